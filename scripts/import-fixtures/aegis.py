#!/usr/bin/env python3
"""Aegis fixtures for tests/import_aegis.rs, made with PyCA `cryptography` (OpenSSL's scrypt
and AES-GCM), following Aegis' docs/vault.md, so the Rust tests check twofa against code
that is not twofa's.

Writes tests/fixtures/import/aegis/{plain,encrypted,two-slots}.json, then checks the file
twofa wrote (tests/fixtures/import/aegis/twofa-export.json, made by the Rust test
`the_committed_export_is_what_export_aegis_writes` with UPDATE_FIXTURES=1): it decrypts it
here, with the password, and compares its entries with EXPORTED below.

    python3 -m pip install --user cryptography
    python3 scripts/import-fixtures/aegis.py

Fixtures use scrypt n = 2^10 so that the tests are quick; the export uses Aegis' 2^15.
The random values are drawn from a seeded generator so that the output is stable.
"""
import base64
import json
import pathlib
import random
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

OUT = pathlib.Path(__file__).resolve().parent.parent.parent / "tests" / "fixtures" / "import" / "aegis"
rng = random.Random(20261203)


def rand(n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def uuid4() -> str:
    b = bytearray(rand(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def entry(kind, issuer, name, info, **extra):
    e = {"type": kind, "uuid": uuid4(), "name": name, "issuer": issuer, "note": "", "favorite": False,
         "icon": None, "icon_mime": None, "icon_hash": None, "info": info, "groups": []}
    e.update(extra)
    return e


S20 = bytes(range(1, 21))            # 20-byte secret: AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU
S32 = bytes(range(100, 132))          # 32 bytes
S64 = bytes(range(50, 114))           # 64 bytes
S10 = b"0123456789"                   # 10 bytes (80 bits): weak

# The db of plain.json and encrypted.json: one entry of each kind twofa reads, and one of
# each odd kind, whose warning the Rust test checks by index.
ENTRIES = [
    entry("totp", "Deno", "mason@example.com", {"secret": b32(S20), "algo": "SHA1", "digits": 6, "period": 30}),
    entry("totp", "SPDX", "james", {"secret": b32(S32), "algo": "SHA256", "digits": 7, "period": 20}),
    entry("totp", "Airbnb", "elijah", {"secret": b32(S64), "algo": "SHA512", "digits": 8, "period": 50}),
    entry("hotp", "Issuu", "james", {"secret": b32(S20), "algo": "SHA1", "digits": 6, "counter": 10300}),
    entry("steam", "Steam", "sophia", {"secret": b32(S20), "algo": "SHA1", "digits": 5, "period": 30}),
    # 5: mOTP, 6: Yandex: kinds twofa makes no codes for.
    entry("motp", "Motp", "m", {"secret": b32(S10), "algo": "MD5", "digits": 6, "period": 10, "pin": "1234"}),
    entry("yandex", "Yandex", "y", {"secret": b32(S20[:16]), "algo": "SHA256", "digits": 8, "period": 30,
                                    "pin": "7586"}),
    # 7: MD5 on a TOTP entry: Aegis reads it as SHA-1.
    entry("totp", "Md5", "md5", {"secret": b32(S20), "algo": "MD5", "digits": 6, "period": 30}),
    # 8: an empty secret.
    entry("totp", "Empty", "empty", {"secret": "", "algo": "SHA1", "digits": 6, "period": 30}),
    # 9: twelve digits.
    entry("totp", "Digits", "twelve", {"secret": b32(S20), "algo": "SHA1", "digits": 12, "period": 30}),
    # 10: a negative counter.
    entry("hotp", "Counter", "negative", {"secret": b32(S20), "algo": "SHA1", "digits": 6, "counter": -1}),
    # 11: a type Aegis does not have.
    entry("blizzard", "Battle.net", "b", {"secret": b32(S20), "algo": "SHA1", "digits": 8, "period": 30}),
    # 12: a secret that is not base32.
    entry("totp", "Bad", "secret", {"secret": "0189!", "algo": "SHA1", "digits": 6, "period": 30}),
    # 13: an entry that is not an object.
    "not an entry",
    # 14: no period.
    entry("totp", "No", "period", {"secret": b32(S20), "algo": "SHA1", "digits": 6}),
    # 15: names with white space around them, a weak secret, quotes and non-ASCII.
    entry("totp", "  Caf\u00e9 \"Q\"  ", " ad\u00e4 ", {"secret": b32(S10).lower(), "algo": "sha1", "digits": 6,
                                                     "period": 30}),
]
DB = {"version": 3, "entries": ENTRIES, "groups": [{"uuid": uuid4(), "name": "Work"}], "icons_optimized": True}

PASSWORD = "correct horse \u00fc"
BACKUP_PASSWORD = "backup battery"
N, R, P = 1 << 10, 8, 1


def seal(key: bytes, plain: bytes):
    nonce = rand(12)
    sealed = AESGCM(key).encrypt(nonce, plain, None)
    return sealed[:-16], {"nonce": nonce.hex(), "tag": sealed[-16:].hex()}


def password_slot(password: str, master: bytes) -> dict:
    salt = rand(32)
    key = Scrypt(salt=salt, length=32, n=N, r=R, p=P).derive(password.encode())
    wrapped, params = seal(key, master)
    return {"type": 1, "uuid": uuid4(), "key": wrapped.hex(), "key_params": params, "n": N, "r": R, "p": P,
            "salt": salt.hex(), "repaired": True, "is_backup": False}


def encrypted(db: dict, passwords: list) -> dict:
    master = rand(32)
    # A biometric slot first: its key lives in the phone, so readers skip it.
    biometric_key, biometric_params = seal(rand(32), master)
    slots = [{"type": 2, "uuid": uuid4(), "key": biometric_key.hex(), "key_params": biometric_params}]
    slots += [password_slot(p, master) for p in passwords]
    body, params = seal(master, json.dumps(db, indent=4).encode())
    return {"version": 1, "header": {"slots": slots, "params": params}, "db": base64.b64encode(body).decode()}


def open_export(vault: dict, password: str) -> dict:
    """Decrypts an encrypted Aegis export as Aegis' docs describe it."""
    assert vault["version"] == 1
    header = vault["header"]
    for slot in header["slots"]:
        if slot["type"] != 1:
            continue
        key = Scrypt(salt=bytes.fromhex(slot["salt"]), length=32, n=slot["n"], r=slot["r"],
                     p=slot["p"]).derive(password.encode())
        params = slot["key_params"]
        master = AESGCM(key).decrypt(bytes.fromhex(params["nonce"]),
                                     bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"]), None)
        body = base64.b64decode(vault["db"], validate=True)
        plain = AESGCM(master).decrypt(bytes.fromhex(header["params"]["nonce"]),
                                       body + bytes.fromhex(header["params"]["tag"]), None)
        return json.loads(plain)
    raise ValueError("no password slot")


# What the Rust test exports (tests/import_aegis.rs, EXPORTED there), as Aegis entries.
EXPORT_PASSWORD = "twofa export \u00e9"
EXPORTED = [
    ("totp", "ACME Co", "ada@example.com", b32(S20), "SHA1", 6, ("period", 30)),
    ("totp", "SPDX", "james", b32(S32), "SHA256", 7, ("period", 20)),
    ("hotp", "Issuu", "james", b32(S20), "SHA512", 8, ("counter", 10300)),
    ("steam", "Steam", "sophia", b32(S20), "SHA1", 5, ("period", 30)),
    ("totp", "", "no issuer \"quoted\"", b32(S64), "SHA1", 6, ("period", 60)),
]


def check_export(path: pathlib.Path):
    vault = json.loads(path.read_text())
    slots = [s for s in vault["header"]["slots"] if s["type"] == 1]
    assert len(slots) == 1, "one password slot"
    slot = slots[0]
    assert (slot["n"], slot["r"], slot["p"]) == (1 << 15, 8, 1), "Aegis' scrypt cost"
    assert len(bytes.fromhex(slot["salt"])) == 32
    for uuid in [slot["uuid"]]:
        assert uuid[14] == "4" and uuid[19] in "89ab", uuid
    db = open_export(vault, EXPORT_PASSWORD)
    try:
        open_export(vault, EXPORT_PASSWORD + "x")
        raise AssertionError("a wrong password opened the export")
    except Exception as e:  # cryptography's InvalidTag
        assert type(e).__name__ == "InvalidTag", e
    assert db["version"] == 3, db["version"]
    got = []
    for e in db["entries"]:
        assert e["uuid"][14] == "4" and e["uuid"][19] in "89ab", e["uuid"]
        info = e["info"]
        last = ("counter", info["counter"]) if e["type"] == "hotp" else ("period", info["period"])
        got.append((e["type"], e["issuer"], e["name"], info["secret"], info["algo"], info["digits"], last))
    assert got == EXPORTED, f"{got} != {EXPORTED}"
    print(f"checked {path.name}: {len(got)} entries decrypt with Scrypt and AESGCM as expected")


def write(name: str, value: dict):
    (OUT / name).write_text(json.dumps(value, indent=4, ensure_ascii=False) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write("plain.json", {"version": 1, "header": {"slots": None, "params": None}, "db": DB})
    write("encrypted.json", encrypted(DB, [PASSWORD]))
    small = {"version": 3, "entries": ENTRIES[:2], "groups": []}
    write("two-slots.json", encrypted(small, [PASSWORD, BACKUP_PASSWORD]))
    # The fixtures open with this script's own reader.
    assert open_export(json.loads((OUT / "encrypted.json").read_text()), PASSWORD)["entries"] == ENTRIES
    export = OUT / "twofa-export.json"
    if export.exists():
        check_export(export)
    else:
        print(f"{export} missing: run UPDATE_FIXTURES=1 cargo test --test import_aegis, then this again",
              file=sys.stderr)
        sys.exit(1)


main()
