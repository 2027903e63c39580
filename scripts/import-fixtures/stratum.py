"""Writes tests/fixtures/import/stratum/: Authenticator Pro (Stratum) backups that
tests/import_stratum.rs reads: the plain JSON, the strong encryption (Argon2id from
argon2-cffi, AES-256-GCM from `cryptography`) and the legacy one (PBKDF2-HMAC-SHA1 from
hashlib, AES-256-CBC with PKCS#7 from `cryptography`), laid out as the app writes them.
Salts and nonces are fixed so that the output is the same on every run.

    pip install --user argon2-cffi cryptography
    python3 scripts/import-fixtures/stratum.py
"""
import hashlib
import json
import pathlib

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT = pathlib.Path(__file__).resolve().parent.parent.parent / "tests/fixtures/import/stratum"
PASSWORD = "stratum fixture"


def entry(type_, issuer, username, secret, algorithm=0, digits=6, period=30, counter=0, pin=None, **extra):
    e = {
        "Type": type_, "Icon": None, "Issuer": issuer, "Username": username, "Secret": secret, "Pin": pin,
        "Algorithm": algorithm, "Digits": digits, "Period": period, "Counter": counter, "Ranking": 0,
    }
    e.update(extra)
    return e


backup = {
    "Authenticators": [
        entry(2, "ACME", "ada@example.com", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        entry(1, "Initech", "bob", "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", algorithm=1, digits=8, counter=42),
        entry(4, "Steam", "carol", "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK", digits=5),
        entry(3, "VPN", "dave", "0123456789abcdef", pin="1234"),
        entry(5, "Yandex", "erin", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", pin="5678"),
        entry(2, "Hooli", None, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", algorithm=2, period=60),
        # Ten symbols: 50 bits, six bytes and two bits left over, which are not zero.
        entry(2, "Odd", "frank", "AADSDDSSSD"),
        entry(2, "Broken", "gina", "NOT BASE32 0189"),
        entry(2, "Empty", "hank", ""),
        entry(2, "Algo", "ivan", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", algorithm=7),
        entry(2, "Digits", "judy", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", digits=12),
        entry(9, "Kind", "karl", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        entry(2, "  Spaced ", " lena ", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    ],
    "Categories": [],
    "AuthenticatorCategories": [],
    "CustomIcons": [],
}
plain = json.dumps(backup).encode()
# The encrypted backups hold the first two entries: small, so that every truncation of
# them can be tried.
small = json.dumps(dict(backup, Authenticators=backup["Authenticators"][:2])).encode()

OUT.mkdir(parents=True, exist_ok=True)
(OUT / "plain.authpro").write_bytes(plain)

# Strong: AUTHENTICATORPRO, salt (16), nonce (12), AES-256-GCM(ciphertext || tag).
salt = bytes(range(1, 17))
nonce = bytes(range(40, 52))
key = hash_secret_raw(PASSWORD.encode(), salt, time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, type=Type.ID)
(OUT / "strong.authpro").write_bytes(b"AUTHENTICATORPRO" + salt + nonce + AESGCM(key).encrypt(nonce, small, None))

# Legacy: AuthenticatorPro, salt (20), IV (16), AES-256-CBC with PKCS#7.
salt = bytes(range(60, 80))
iv = bytes(range(90, 106))
key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, 64000, 32)
padder = padding.PKCS7(128).padder()
padded = padder.update(small) + padder.finalize()
enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
(OUT / "legacy.authpro").write_bytes(b"AuthenticatorPro" + salt + iv + enc.update(padded) + enc.finalize())

for p in sorted(OUT.iterdir()):
    print(f"wrote {p.name} ({p.stat().st_size} bytes)")

# A wrong password under which the legacy ciphertext still ends in valid PKCS#7 padding
# (about 1 in 256 do): CBC has no tag, so only the check of what it decrypts to refuses it.
n = 0
while True:
    wrong = f"wrong {n}"
    key = hashlib.pbkdf2_hmac("sha1", wrong.encode(), salt, 64000, 32)
    data = (OUT / "legacy.authpro").read_bytes()[16 + 20 + 16 :]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    out = dec.update(data) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        unpadder.update(out) + unpadder.finalize()
        break
    except ValueError:
        n += 1
(OUT / "legacy-padding-password.txt").write_text(wrong + "\n")
print(f"wrote legacy-padding-password.txt ({wrong!r})")
