"""Writes tests/fixtures/import/bitwarden/: Bitwarden exports made by code that is not twofa's.

The password-protected exports are sealed as Bitwarden describes them: PBKDF2-SHA256 (Python's
hashlib) or Argon2id (argon2-cffi, over SHA-256 of the salt text), HKDF-Expand-SHA256 into the
"enc" and "mac" keys (`cryptography`), AES-256-CBC with PKCS#7 (`cryptography`) and
HMAC-SHA256 over iv || ciphertext (hashlib), as EncStrings "2.iv|ct|mac". Costs are cheap so
that the tests run fast. Every byte is fixed (no randomness), so the output is the same each run.

    pip install --user cryptography argon2-cffi
    python3 scripts/import-fixtures/bitwarden.py
"""
import base64
import hashlib
import hmac
import json
import pathlib

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/bitwarden"
PASSWORD = "correct horse battery staple"


def fixed(label: str, n: int) -> bytes:
    return hashlib.sha256(label.encode()).digest()[:n]


def item(name, username=None, totp=None, kind=1, extra=None):
    entry = {
        "id": hashlib.md5(name.encode()).hexdigest(),
        "organizationId": None,
        "folderId": None,
        "type": kind,
        "reprompt": 0,
        "name": name,
        "notes": None,
        "favorite": False,
    }
    if kind == 1:
        entry["login"] = {"uris": [], "username": username, "password": "hunter2", "totp": totp}
    if extra:
        entry.update(extra)
    entry["collectionIds"] = None
    return entry


# The password manager's JSON export: one item per case the reader must handle.
ITEMS = [
    # 0: a full otpauth:// URI, its names win over the item's.
    item("Item A", "item-user", "otpauth://totp/ACME:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA256&digits=8&period=60"),
    # 1: a card: no login, not an entry.
    item("Card", kind=3, extra={"card": {"cardholderName": "Ada", "number": "4111111111111111"}}),
    # 2: a URI with neither issuer nor account: the item's name and username fill them in.
    item("Example", "bob", "otpauth://totp/?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
    # 3: steam://
    item("Steam", "gaben", "steam://MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"),
    # 4: a bare secret, in lower case with spaces.
    item("Bare", "carol", "mfrg gzdf mztw q2lk nnwg 23tp obyx e43u"),
    # 5: a login without a TOTP: not an entry.
    item("No TOTP", "dave", None),
    # 6: mOTP: left out.
    item("mOTP", "erin", "otpauth://motp/erin?secret=0123456789abcdef"),
    # 7: MD5: left out.
    item("MD5", "frank", "otpauth://totp/frank?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=MD5"),
    # 8: not base32: left out.
    item("Broken", "grace", "not base32!"),
    # 9: 12 digits: left out.
    item("Digits", "heidi", "otpauth://totp/heidi?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&digits=12"),
    # 10: HOTP.
    item("Counter", "ivan", "otpauth://hotp/Bank:ivan?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bank&counter=42"),
    # 11: names with white space at either end, a bare secret: trimmed, with a warning.
    item("  Padded  ", " judy ", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
]
PLAIN = {"encrypted": False, "folders": [], "items": ITEMS}


def write(name: str, text: str):
    (OUT / name).write_text(text)


def encstring(enc_key: bytes, mac_key: bytes, plain: bytes, label: str, pad=True) -> str:
    iv = fixed("iv " + label, 16)
    padder = padding.PKCS7(128).padder()
    # Without padding (whole blocks ending in a zero byte): a MAC that matches over
    # ciphertext whose padding is wrong.
    padded = padder.update(plain) + padder.finalize() if pad else plain
    enc = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ct = enc.update(padded) + enc.finalize()
    mac = hmac.new(mac_key, iv + ct, hashlib.sha256).digest()
    b64 = lambda b: base64.b64encode(b).decode()
    return f"2.{b64(iv)}|{b64(ct)}|{b64(mac)}"


def stretch(master: bytes):
    enc = HKDFExpand(hashes.SHA256(), 32, b"enc").derive(master)
    mac = HKDFExpand(hashes.SHA256(), 32, b"mac").derive(master)
    return enc, mac


def protected(kdf_type: int, iterations: int, memory, parallelism, label: str, pad=True) -> dict:
    salt = base64.b64encode(fixed("salt " + label, 16)).decode()
    if kdf_type == 0:
        master = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), iterations, 32)
    else:
        master = hash_secret_raw(
            PASSWORD.encode(),
            hashlib.sha256(salt.encode()).digest(),
            time_cost=iterations,
            memory_cost=memory * 1024,
            parallelism=parallelism,
            hash_len=32,
            type=Type.ID,
        )
    enc, mac = stretch(master)
    data = json.dumps(PLAIN, indent=2).encode()
    return {
        "encrypted": True,
        "passwordProtected": True,
        "salt": salt,
        "kdfType": kdf_type,
        "kdfIterations": iterations,
        "kdfMemory": memory,
        "kdfParallelism": parallelism,
        "encKeyValidation_DO_NOT_EDIT": encstring(enc, mac, fixed("validation " + label, 36).hex().encode(), "validation " + label),
        "data": encstring(enc, mac, data if pad else bytes(32), "data " + label, pad),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write("plain.json", json.dumps(PLAIN, indent=2) + "\n")
    write("encrypted-pbkdf2.json", json.dumps(protected(0, 1000, None, None, "pbkdf2"), indent=2) + "\n")
    write("bad-padding.json", json.dumps(protected(0, 1000, None, None, "padding", pad=False), indent=2) + "\n")
    write("encrypted-argon2id.json", json.dumps(protected(1, 2, 1, 2, "argon2id"), indent=2) + "\n")
    # The account-restricted export: sealed with the account's key, no salt or KDF.
    restricted = {
        "encrypted": True,
        "encKeyValidation_DO_NOT_EDIT": "2." + base64.b64encode(fixed("r iv", 16)).decode() + "|"
        + base64.b64encode(fixed("r ct", 32)).decode() + "|" + base64.b64encode(fixed("r mac", 32)).decode(),
        "folders": [],
        "items": [],
    }
    write("account-restricted.json", json.dumps(restricted, indent=2) + "\n")
    # CSV: quoted fields with commas, doubled quotes and a line break; blank lines; CRLF.
    rows = [
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
        ',,login,"Quoted, Inc.","a note with ""quotes""\nand a second line",,0,https://example.com,"ada, the first",pw,otpauth://totp/?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        "",
        ",,login,No TOTP,,,0,,bob,pw,",
        ",,login,Steam,,,0,,gaben,pw,steam://MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
        ",,note,A note,secret text,,0,,,,",
        ',,login,Bare,,,0,,carol,pw,"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"',
        ",,login,mOTP,,,0,,erin,pw,otpauth://motp/erin?secret=0123456789abcdef",
    ]
    write("plain.csv", "\r\n".join(rows) + "\r\n")
    # Bitwarden Authenticator: no folders or collections; newer versions add issuer, period
    # and digits beside a bare secret.
    authenticator = {
        "encrypted": False,
        "items": [
            {
                "id": "1", "name": "ACME", "folderId": None, "organizationId": None, "collectionIds": None,
                "notes": None, "type": 1, "favorite": False,
                "login": {"totp": "otpauth://totp/ACME%3Aada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30&issuer=ACME"},
            },
            {
                "id": "2", "name": "bob@example.com", "folderId": None, "organizationId": None, "collectionIds": None,
                "notes": None, "type": 1, "favorite": False,
                "login": {"totp": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "issuer": "Example", "period": 60, "digits": 8},
            },
            {
                "id": "3", "name": "Steam", "folderId": None, "organizationId": None, "collectionIds": None,
                "notes": None, "type": 1, "favorite": False,
                "login": {"totp": "steam://MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"},
            },
        ],
    }
    write("authenticator.json", json.dumps(authenticator, indent=2) + "\n")


main()
