"""Writes tests/fixtures/import/ente/: Ente Auth encrypted exports made by libsodium (PyNaCl).

The key is libsodium's crypto_pwhash (Argon2id 1.3) and the data one message of
crypto_secretstream_xchacha20poly1305, as Ente writes them; argon2-cffi checks that
crypto_pwhash is Argon2id with one lane over memLimit / 1024 KiB. `secretstream.json` holds
single messages of many lengths (the MAC pads the ciphertext in libsodium's own way), each
pushed by libsodium, for the unit test of twofa's pull. Every byte is fixed (libsodium's
push draws its header at random, so the fixtures are written once and committed; re-running
the script writes new, equally valid, bytes).

    pip install --user pynacl argon2-cffi
    python3 scripts/import-fixtures/ente.py
"""
import base64
import hashlib
import json
import pathlib

from argon2.low_level import Type, hash_secret_raw
from nacl import bindings as sodium

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/ente"
PASSWORD = "correct horse battery staple"

# Ente's plain export: otpauth:// lines, with parameters of Ente's own; a blank line; a
# line that is not a URI; mOTP.
LINES = [
    "otpauth://totp/ACME:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA256&digits=8&period=30&codeDisplay=%7B%22pinned%22%3Afalse%2C%22trashed%22%3Afalse%7D",
    "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank&algorithm=SHA1&digits=6&counter=7",
    "",
    "otpauth://steam/Steam:gaben?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Steam&algorithm=SHA1&digits=5&period=30",
    "a note that is not a URI",
    "otpauth://motp/erin?secret=0123456789abcdef",
]


def fixed(label: str, n: int) -> bytes:
    return hashlib.sha256(label.encode()).digest()[:n]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def push(key: bytes, plain: bytes, tag: int):
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    sealed = sodium.crypto_secretstream_xchacha20poly1305_push(state, plain, None, tag)
    return header, sealed


def export(label: str, ops: int, mem: int, tag: int) -> dict:
    salt = fixed("salt " + label, 16)
    key = sodium.crypto_pwhash_alg(32, PASSWORD.encode(), salt, ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13)
    assert key == hash_secret_raw(PASSWORD.encode(), salt, ops, mem // 1024, 1, 32, Type.ID)
    header, sealed = push(key, "\n".join(LINES).encode() + b"\n", tag)
    return {
        "version": 1,
        "kdfParams": {"memLimit": mem, "opsLimit": ops, "salt": b64(salt)},
        "encryptedData": b64(sealed),
        "encryptionNonce": b64(header),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    final = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    message = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
    exports = {
        "encrypted.json": export("final", 2, 64 * 1024, final),
        "encrypted-message-tag.json": export("message", 1, 16 * 1024, message),
    }
    for name, body in exports.items():
        (OUT / name).write_text(json.dumps(body, indent=2) + "\n")
    vectors = []
    for n, length in enumerate([0, 1, 15, 16, 17, 31, 47, 48, 63, 64, 65, 100, 1000]):
        key = fixed(f"key {n}", 32)
        plain = fixed(f"plain {n}", 32) * (length // 32 + 1)
        plain = plain[:length]
        tag = [message, final, sodium.crypto_secretstream_xchacha20poly1305_TAG_PUSH][n % 3]
        header, sealed = push(key, plain, tag)
        vectors.append({"key": key.hex(), "header": header.hex(), "sealed": sealed.hex(), "plain": plain.hex(), "tag": tag})
    (OUT / "secretstream.json").write_text(json.dumps(vectors, indent=1) + "\n")


main()
