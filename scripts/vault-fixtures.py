"""Writes tests/fixtures/vault/cases.json: twofa vaults sealed by other implementations.

Argon2id comes from argon2-cffi (the reference C implementation) and XChaCha20-Poly1305
from PyNaCl (libsodium), so the Rust tests check twofa's format against both.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install argon2-cffi pynacl
    /tmp/venv/bin/python scripts/vault-fixtures.py
"""
import base64
import json
import pathlib

from argon2.low_level import Type, hash_secret_raw
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seal(passphrase: str, plaintext: str, salt: bytes, nonce: bytes, m: int, t: int) -> str:
    key = hash_secret_raw(passphrase.encode(), salt, time_cost=t, memory_cost=m, parallelism=1, hash_len=32, type=Type.ID)
    header = f"$twofa-vault$v=1$argon2id$m={m},t={t},p=1${b64(salt)}${b64(nonce)}$"
    sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext.encode(), header.encode(), nonce, key)
    return header + b64(sealed), key.hex()


cases = []
for passphrase, plaintext, m, t in [
    ("correct horse battery staple", '{"accounts":[]}', 64, 1),
    ("pässwörd 🔑", "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP", 256, 2),
    ("", "", 8, 1),
]:
    salt = bytes(range(16))
    nonce = bytes(range(100, 124))
    vault, key = seal(passphrase, plaintext, salt, nonce, m, t)
    cases.append({"passphrase": passphrase, "plaintext": plaintext, "vault": vault, "key": key})

out = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/vault/cases.json"
out.write_text(json.dumps(cases, ensure_ascii=False, indent=2) + "\n")
print(f"wrote {len(cases)} vaults to {out}")
