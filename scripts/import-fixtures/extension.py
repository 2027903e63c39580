"""Writes tests/fixtures/import/extension/: the Authenticator extension's backups, made as its
source (Authenticator-Extension/Authenticator: src/models/storage.ts, encryption.ts,
src/import.ts, src/store/Accounts.ts) makes them, by code that is not twofa's.

CryptoJS' passphrase mode (`CryptoJS.AES.encrypt(text, passphrase)`) is written here with
hashlib's MD5 (OpenSSL's EVP_BytesToKey, one round) and AES-256-CBC from `cryptography`; the
Argon2 hashes (PHC strings, as argon2-browser writes them) come from argon2-cffi.

- plain.json: version-less plain backup, every entry type and the odd ones.
- v1.json: `encrypted: true` secrets sealed with the password.
- v2.json: `key: {enc, hash}`: a random key sealed with the password, the secrets sealed with
  its hex, `hash` an Argon2 hash of that hex.
- v3.json: a `dataType: "Key"` object and `EncOTPStorage` entries, sealed with the unpadded
  base64 of Argon2id(password, salt, t=2, m=19 MiB, p=1); one plain entry beside them.

Every byte is fixed (no randomness), so the output is the same each run.

    pip install --user cryptography argon2-cffi
    python3 scripts/import-fixtures/extension.py
"""
import base64
import hashlib
import json
import pathlib

from argon2.low_level import Type, hash_secret, hash_secret_raw
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/extension"
PASSWORD = "correct horse battery staple"


def fixed(label: str, n: int) -> bytes:
    out = b""
    while len(out) < n:
        out += hashlib.sha256(f"{label} {len(out)}".encode()).digest()
    return out[:n]


def cryptojs_encrypt(plain: bytes, passphrase: str, label: str) -> str:
    """CryptoJS.AES.encrypt(plain, passphrase).toString(): OpenSSL's salted format."""
    salt = fixed("salt " + label, 8)
    material, block = b"", b""
    while len(material) < 48:
        block = hashlib.md5(block + passphrase.encode() + salt).digest()
        material += block
    key, iv = material[:32], material[32:48]
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(b"Salted__" + salt + enc.update(padded) + enc.finalize()).decode()


def phc(value: str, salt: bytes, t=2, m=19 * 1024, kind=Type.ID) -> str:
    """argon2-browser's `hash.encoded`: a PHC string, base64 without padding."""
    return hash_secret(value.encode(), salt, time_cost=t, memory_cost=m, parallelism=1, hash_len=32, type=kind).decode()


def entry(hash_, secret, type_="totp", encrypted=False, index=0, **extra):
    out = {"dataType": "OTPStorage", "encrypted": encrypted, "hash": hash_, "index": index, "type": type_, "secret": secret}
    out.update(extra)
    return out


def uuid(n: int) -> str:
    h = fixed(f"uuid {n}", 16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


# Plain: one entry per case.
PLAIN_ENTRIES = [
    entry(uuid(0), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer="ACME", account="ada@example.com", period=60, digits=8, algorithm="SHA256"),
    entry(uuid(1), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "hotp", issuer="Bank", account="bob", counter=7),
    entry(uuid(2), "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", "steam", issuer="Steam", account="gaben"),
    # Battle.net, as the extension names it from a "blz-" prefix.
    entry(uuid(3), "blz-JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer="Battle.net", account="carol"),
    # A hex secret: read as bytes (TOTP), and an "hhex" one (HOTP).
    entry(uuid(4), "3132333435363738393031323334353637383930", issuer="Hex", account="dave"),
    entry(uuid(5), "3132333435363738393031323334353637383930", "hhex", issuer="HexCounter", account="erin", counter=3),
    # "stm-" prefix: Steam.
    entry(uuid(6), "stm-MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", issuer="Valve", account="frank"),
    # GOST: left out.
    entry(uuid(7), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer="GOST", account="grace", algorithm="GOST3411_2012_256"),
    # 12 digits: left out.
    entry(uuid(8), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer="Digits", account="heidi", digits=12),
    # An unknown type: left out.
    entry(uuid(9), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "motp", issuer="Odd", account="ivan"),
    # An empty secret: left out.
    entry(uuid(10), "", issuer="Empty", account="judy"),
    # Hex of an odd length: left out.
    entry(uuid(11), "313233343536373839303", issuer="OddHex", account="mallory"),
]


def plain_backup():
    data = {e["hash"]: e for e in PLAIN_ENTRIES}
    # The extension's own settings are no entry.
    data = {"UserSettings": {"theme": "normal"}, **data}
    return data


SEALED = [
    entry(uuid(20), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer="ACME", account="ada@example.com"),
    entry(uuid(21), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "hotp", issuer="Bank", account="bob", counter=7, algorithm="SHA512"),
]


def v1_backup():
    out = {}
    for n, e in enumerate(SEALED):
        e = dict(e, encrypted=True, secret=cryptojs_encrypt(e["secret"].encode(), PASSWORD, f"v1 {n}"))
        out[e["hash"]] = e
    return out


def v2_backup():
    key = fixed("v2 key", 120)
    hex_key = key.hex()
    out = {"key": {"enc": cryptojs_encrypt(key, PASSWORD, "v2 key"), "hash": phc(hex_key, b"v2saltv2salt", t=1, m=64, kind=Type.D)}}
    for n, e in enumerate(SEALED):
        e = dict(e, encrypted=True, secret=cryptojs_encrypt(e["secret"].encode(), hex_key, f"v2 {n}"))
        out[e["hash"]] = e
    return out


def v3_backup():
    key_id = uuid(30)
    salt = fixed("v3 salt", 16).hex()[:32]
    raw = phc(PASSWORD, salt.encode())
    passphrase = raw.split("$")[5]
    assert passphrase == base64.b64encode(
        hash_secret_raw(PASSWORD.encode(), salt.encode(), 2, 19 * 1024, 1, 32, Type.ID)
    ).decode().rstrip("=")
    out = {}
    for n, e in enumerate(SEALED):
        inner = dict(e, encrypted=True, keyId=key_id)
        out[e["hash"]] = {
            "dataType": "EncOTPStorage",
            "keyId": key_id,
            "data": cryptojs_encrypt(json.dumps(inner).encode(), passphrase, f"v3 {n}"),
            "index": n,
        }
    # An entry sealed with a key the backup lacks, and a plain entry beside them.
    out[uuid(31)] = {"dataType": "EncOTPStorage", "keyId": uuid(32), "data": out[SEALED[0]["hash"]]["data"], "index": 2}
    plain = entry(uuid(33), "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", issuer="Plain", account="carol", index=3)
    out[plain["hash"]] = plain
    # The key: the hash of the passphrase, with the extension's own cost.
    out[key_id] = {"dataType": "Key", "id": key_id, "salt": salt, "hash": phc(passphrase, b"v3hashsalt16byte"), "version": 3}
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, backup in [("plain.json", plain_backup()), ("v1.json", v1_backup()), ("v2.json", v2_backup()), ("v3.json", v3_backup())]:
        (OUT / name).write_text(json.dumps(backup, indent=2) + "\n")


main()
