"""Writes tests/fixtures/import/andotp/: andOTP backups made by this independent code.

PBKDF2-HMAC-SHA1 and SHA-256 come from Python's hashlib and AES-256-GCM from
`cryptography`, so tests/import_andotp.rs checks twofa's reader against code that is
not twofa's. Layouts as andOTP writes them:
- new: 4-byte big-endian iterations || 12-byte salt || 12-byte nonce || ciphertext || tag,
  key = PBKDF2-HMAC-SHA1(password, salt, iterations, 32 bytes);
- old: 12-byte nonce || ciphertext || tag, key = SHA-256(password).
The fixtures use 1,000 iterations (andOTP uses 140,000 to 160,000) so tests stay quick.

    pip install --user cryptography && python3 scripts/import-fixtures/andotp.py
"""
import hashlib
import json
import pathlib
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/andotp"
PASSWORD = "andotp password"
ITERATIONS = 1000
SALT = bytes(range(10, 22))
NONCE = bytes(range(40, 52))


def entry(type_, secret, issuer, label, **rest):
    e = {"secret": secret, "issuer": issuer, "label": label, "digits": 6, "type": type_,
         "algorithm": "SHA1", "thumbnail": "Default", "last_used": 0, "used_frequency": 0, "tags": []}
    e.update(rest)
    if secret is None:
        del e["secret"]
    return e


ENTRIES = [
    entry("TOTP", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ACME", "ada", period=30),
    entry("TOTP", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "Long", "bob", digits=8, algorithm="SHA512", period=60),
    entry("HOTP", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", "Counter", "carol", algorithm="SHA256", counter=12),
    entry("STEAM", "ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS", "Steam", "dan", digits=5),
    entry("MOTP", "IFAUCQKBIFAUCQKBIFAUCQKBIFAUCQKB", "Motp", "eve"),
    entry("YAOTP", "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA", "Yandex", "fay", period=30),
    entry("TOTP", "NBSWY3DPEB3W64TMMQQGC3TEEBZWKY3S", "Old", "gus", algorithm="MD5", period=30),
    entry("TOTP", None, "Empty", "hal", period=30),
    entry("HOTP", "MNUGC3DMMVXGOZJAON2HE2LOM4QGC3TE", "Neg", "ivy", counter=-1),
]

# andOTP before 0.6.3: no issuer field, the label is "issuer - account".
OLD_ENTRIES = [
    {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "label": "ACME - ada@example.com", "digits": 6,
     "type": "TOTP", "algorithm": "SHA1", "period": 30, "tags": []},
    {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "label": "no issuer here", "digits": 6,
     "type": "HOTP", "algorithm": "SHA1", "counter": 3, "tags": []},
]


def new_format(password: str, iterations: int, plain: bytes) -> bytes:
    key = hashlib.pbkdf2_hmac("sha1", password.encode(), SALT, iterations, 32)
    return struct.pack(">I", iterations) + SALT + NONCE + AESGCM(key).encrypt(NONCE, plain, None)


def old_format(password: str, plain: bytes, nonce: bytes = NONCE) -> bytes:
    key = hashlib.sha256(password.encode()).digest()
    return nonce + AESGCM(key).encrypt(nonce, plain, None)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    plain = json.dumps(ENTRIES).encode()
    (OUT / "plain.json").write_text(json.dumps(ENTRIES, indent=1) + "\n")
    (OUT / "encrypted.bin").write_bytes(new_format(PASSWORD, ITERATIONS, plain))
    (OUT / "encrypted_old.bin").write_bytes(old_format(PASSWORD, json.dumps(OLD_ENTRIES).encode()))
    # One iteration and two entries, for the test that opens every prefix.
    (OUT / "small.bin").write_bytes(new_format(PASSWORD, 1, json.dumps(ENTRIES[:2]).encode()))
    # An old backup whose nonce, read as the new format's count, is no Java int.
    high = bytes(range(0xF0, 0xFC))
    (OUT / "encrypted_old_high.bin").write_bytes(old_format(PASSWORD, json.dumps(OLD_ENTRIES).encode(), high))
    # A cost bomb: 2,000,000,000 iterations asked for (sealed with 1,000: never derived).
    bomb = bytearray(new_format(PASSWORD, ITERATIONS, b"[]"))
    bomb[0:4] = struct.pack(">I", 2_000_000_000)
    (OUT / "bomb.bin").write_bytes(bytes(bomb))


main()
