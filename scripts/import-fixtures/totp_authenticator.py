"""Writes tests/fixtures/import/totp_authenticator/: TOTP Authenticator backups.

SHA-256 comes from Python's hashlib and AES-256-CBC with PKCS#7 from `cryptography`, so
tests/import_totp_authenticator.rs checks twofa's reader against code that is not
twofa's. As the app (com.authenticator.authservice2) writes its backups: base64 of
AES-256-CBC (all-zero IV, key = SHA-256 of the password) of a JSON object whose first key
is JSON text: the array of entries.

    pip install --user cryptography && python3 scripts/import-fixtures/totp_authenticator.py
"""
import base64
import hashlib
import json
import pathlib

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/totp_authenticator"
PASSWORD = "Totp password1"


def entry(issuer, name, key, base=16, digits="", period=""):
    e = {"accountHeaderLabel": "", "allowNotifications": False, "base": base, "digits": digits, "fileName": "",
         "iconLabel": "", "iconPath": "", "isFavorite": False, "isSelected": False, "isWidgetActive": False,
         "issuer": issuer, "key": key, "name": name, "period": period, "setIconFromDrawable": True, "source": 0,
         "timeRemaining": 0, "totpCode": "", "widgetId": 0}
    if key is None:
        del e["key"]
    return e


ENTRIES = [
    entry("ACME", "ada", bytes(range(0x41, 0x55)).hex().upper()),
    entry("Seven", "bob", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", base=32, digits="7", period="20"),
    entry("Unknown", "carol", base64.b64encode(bytes(range(0xE0, 0xF4))).decode(), base=64),
    entry("Ten", "dan", "1234567890", base=10),
    entry("Empty", "eve", None),
    entry("Bad", "fay", "xyz"),
]


def seal(password: str, plain: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    key = hashlib.sha256(password.encode()).digest()
    enc = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
    return enc.update(padded) + enc.finalize()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    body = json.dumps({json.dumps(ENTRIES): "1700000000"}).encode()
    (OUT / "backup.bin").write_bytes(base64.b64encode(seal(PASSWORD, body)))
    # Older versions: each entry is JSON text; base64 broken into lines of 76, as
    # android.util.Base64.DEFAULT writes it.
    older = json.dumps({json.dumps([json.dumps(e) for e in ENTRIES[:1]]): "1600000000"}).encode()
    text = base64.b64encode(seal(PASSWORD, older)).decode()
    (OUT / "older.bin").write_text("\n".join(text[i:i + 76] for i in range(0, len(text), 76)) + "\n")


main()
