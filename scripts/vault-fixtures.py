"""Writes tests/fixtures/vault/cases.json: twofa vaults sealed by other implementations.

Argon2id comes from argon2-cffi (the reference C implementation), XChaCha20-Poly1305 from
PyNaCl (libsodium), and NFC and HMAC-SHA-256 from Python's own library, so the Rust tests
check twofa's formats (version 1 and 2) against them.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install argon2-cffi pynacl
    /tmp/venv/bin/python scripts/vault-fixtures.py
"""
import base64
import hashlib
import hmac
import json
import pathlib
import unicodedata

from argon2.low_level import Type, hash_secret_raw
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seal(version: int, passphrase: str, plaintext: str, salt: bytes, nonce: bytes, m: int, t: int):
    text = unicodedata.normalize("NFC", passphrase) if version == 2 else passphrase
    key = hash_secret_raw(text.encode(), salt, time_cost=t, memory_cost=m, parallelism=1, hash_len=32, type=Type.ID)
    header = f"$twofa-vault$v={version}$argon2id$m={m},t={t},p=1${b64(salt)}$"
    cipher_key = key
    if version == 2:
        header += b64(hmac.new(key, b"twofa-vault v=2 commitment", hashlib.sha256).digest()) + "$"
        cipher_key = hmac.new(key, b"twofa-vault v=2 encryption", hashlib.sha256).digest()
    header += f"{b64(nonce)}$"
    sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext.encode(), header.encode(), nonce, cipher_key)
    return header + b64(sealed), key.hex()


cases = []
# Costs at or just above the floor (m >= 7168 KiB, m * t >= 35840 KiB), so tests stay quick.
for version, passphrase, plaintext, m, t in [
    (1, "correct horse battery staple", '{"accounts":[]}', 7168, 5),
    (1, "pässwörd 🔑", "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP", 9216, 4),
    (1, "", "", 12288, 3),
    (2, "correct horse battery staple", '{"accounts":[]}', 7168, 5),
    # Decomposed: "a" + U+0308, "o" + U+0308; version 2 stretches the NFC form.
    (2, "pa\u0308sswo\u0308rd 🔑", "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP", 19456, 2),
    (2, "", "", 35840, 1),
]:
    salt = bytes(range(16))
    nonce = bytes(range(100, 124))
    vault, key = seal(version, passphrase, plaintext, salt, nonce, m, t)
    cases.append({"passphrase": passphrase, "plaintext": plaintext, "vault": vault, "key": key})

out = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/vault/cases.json"
out.write_text(json.dumps(cases, ensure_ascii=False, indent=2) + "\n")
print(f"wrote {len(cases)} vaults to {out}")
