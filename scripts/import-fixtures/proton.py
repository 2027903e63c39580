"""Writes tests/fixtures/import/proton/: Proton Authenticator exports made by this code.

Argon2id comes from argon2-cffi (the reference C implementation) and AES-256-GCM from
`cryptography`, so tests/import_proton.rs checks twofa's reader against code that is not
twofa's. As proton-pass-common's password_exporter.rs and crypto.rs write it:
{"version": 1, "salt": base64(16 bytes), "content": base64(nonce || ciphertext || tag)},
key = Argon2id v0x13 (m = 19,456 KiB, t = 2, p = 1) of the password into 32 bytes,
AES-256-GCM with a 12-byte nonce and the associated data
"proton.authenticator.export.v1"; the plaintext is the plain export.

    pip install --user argon2-cffi cryptography && python3 scripts/import-fixtures/proton.py
"""
import base64
import json
import pathlib

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/proton"
PASSWORD = "proton password"
SALT = bytes(range(0x30, 0x40))
NONCE = bytes(range(0x60, 0x6C))
AAD = b"proton.authenticator.export.v1"


def entry(n, entry_type, uri, name):
    return {"id": f"00000000-0000-0000-0000-00000000000{n}",
            "content": {"uri": uri, "entry_type": entry_type, "name": name}, "note": None}


ENTRIES = [
    entry(0, "Totp", "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME"
                     "&algorithm=SHA256&digits=8&period=15", "ada"),
    entry(1, "Steam", "steam://GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "my steam"),
    # Not base32 (0, 1, lower case, '+'): unpadded base64 of 20 bytes.
    entry(2, "Steam", "steam://" + base64.b64encode(bytes(range(0xF0, 0xFF)) + b"\x01\x02\x03\x04\x05")
          .decode().rstrip("="), "base64 steam"),
    entry(3, "Hotp", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1", "hotp"),
    entry(4, "Totp", "otpauth://totp/Nothing", "no secret"),
    entry(5, "Steam", "http://MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", "wrong scheme"),
    entry(6, "Totp", "otpauth://totp/Issuer%20Only?secret=ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS&issuer=Issuer%20Only",
          "Issuer Only"),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    plain = json.dumps({"version": 1, "entries": ENTRIES})
    (OUT / "plain.json").write_text(plain + "\n")
    key = hash_secret_raw(PASSWORD.encode(), SALT, time_cost=2, memory_cost=19 * 1024, parallelism=1,
                          hash_len=32, type=Type.ID, version=19)
    content = NONCE + AESGCM(key).encrypt(NONCE, plain.encode(), AAD)
    encrypted = {"version": 1, "salt": base64.b64encode(SALT).decode(),
                 "content": base64.b64encode(content).decode()}
    (OUT / "encrypted.json").write_text(json.dumps(encrypted) + "\n")
    # The same sealed without the associated data: Proton would not open it either.
    no_aad = NONCE + AESGCM(key).encrypt(NONCE, plain.encode(), None)
    (OUT / "encrypted_no_aad.json").write_text(json.dumps(dict(encrypted, content=base64.b64encode(no_aad).decode())) + "\n")


main()
