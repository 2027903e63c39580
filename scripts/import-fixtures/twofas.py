"""Writes tests/fixtures/import/twofas/: 2FAS backups made by this independent code.

PBKDF2-HMAC-SHA256 comes from Python's hashlib and AES-256-GCM from `cryptography`, so
tests/import_twofas.rs checks twofa's reader against code that is not twofa's. The layout
follows 2FAS' backups (schema 1 and 4): servicesEncrypted = base64(ciphertext || tag) :
base64(salt) : base64(nonce), 10,000 iterations, and `reference`, a fixed text sealed
with the same key.

    pip install --user cryptography && python3 scripts/import-fixtures/twofas.py
"""
import base64
import hashlib
import json
import pathlib

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/twofas"
PASSWORD = "correct horse"
SALT = bytes(range(1, 33)) * 8  # 2FAS uses 256-byte salts
NONCE = bytes(range(100, 112))
REF_NONCE = bytes(range(200, 212))
REFERENCE = "a fixed text, as 2FAS seals one to check the password"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def seal(key: bytes, nonce: bytes, plain: bytes) -> str:
    return f"{b64(AESGCM(key).encrypt(nonce, plain, None))}:{b64(SALT)}:{b64(nonce)}"


def service(name, secret, **otp):
    entry = {"name": name, "secret": secret, "updatedAt": 1700000000000, "otp": otp,
             "order": {"position": 0}, "icon": {"selected": "Label"}}
    if secret is None:
        del entry["secret"]
    return entry


SERVICES = [
    # 0: TOTP, every field given
    service("ACME", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", label="ACME:ada", account="ada", issuer="ACME",
            digits=8, period=60, algorithm="SHA256", tokenType="TOTP", source="Link"),
    # 1: HOTP with a counter
    service("Counter", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", account="bob", issuer="Counter Inc",
            digits=6, algorithm="SHA1", counter=7, tokenType="HOTP", source="Manual"),
    # 2: Steam
    service("Steam", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", issuer="Steam", digits=5, period=30,
            algorithm="SHA1", tokenType="STEAM", source="Link"),
    # 3: no issuer: the service's name is the issuer; defaults for the rest
    service("NoIssuer", "ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS", account="carol", tokenType="TOTP", source="Manual"),
    # 4: a token type twofa does not know
    service("Yandex", "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA", issuer="Yandex", tokenType="YANDEX", source="Manual"),
    # 5: MD5
    service("Old", "NBSWY3DPEB3W64TMMQQGC3TEEBZWKY3S", issuer="Old", account="dan", algorithm="MD5",
            tokenType="TOTP", source="Manual"),
    # 6: no secret
    service("Empty", None, issuer="Empty", tokenType="TOTP", source="Manual"),
    # 7: 12 digits
    service("Long", "MNUGC3DMMVXGOZJAON2HE2LOM4QGC3TE", issuer="Long", digits=12, tokenType="TOTP", source="Manual"),
    # 8: names with white space at either end
    service(" Spaced ", "OBQWIZDJNZTSA2LTEBXGS3TFEB2GK6DU", issuer=" Spaced ", account=" eve ",
            tokenType="TOTP", source="Manual"),
]


def backup(schema, **body):
    return {"services": [], "groups": [], "updatedAt": 1700000000000, "schemaVersion": schema,
            "appVersionCode": 5000000, "appVersionName": "5.0.0", "appOrigin": "android", **body}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    key = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), SALT, 10_000, 32)
    files = {
        "plain_v4.2fas": backup(4, services=SERVICES),
        # Schema 1: no tokenType, digits, period or algorithm.
        "plain_v1.json": {"appOrigin": "android", "appVersionCode": 300101, "appVersionName": "3.1.1",
                          "schemaVersion": 1, "updatedAt": 1618417377507, "services": [
                              {"name": "First", "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "type": "Unknown",
                               "otp": {"account": "ada", "issuer": "First", "label": "First:ada"},
                               "order": {"position": 0}, "updatedAt": 1618417205843}]},
        "encrypted_v4.2fas": backup(4, servicesEncrypted=seal(key, NONCE, json.dumps(SERVICES).encode()),
                                    reference=seal(key, REF_NONCE, REFERENCE.encode())),
        "schema5.2fas": backup(5, services=SERVICES[:1]),
    }
    # The services changed after sealing: the reference still opens.
    sealed = base64.b64decode(files["encrypted_v4.2fas"]["servicesEncrypted"].split(":")[0])
    changed = bytes([sealed[0] ^ 1]) + sealed[1:]
    files["changed.2fas"] = backup(4, servicesEncrypted=f"{b64(changed)}:{b64(SALT)}:{b64(NONCE)}",
                                   reference=files["encrypted_v4.2fas"]["reference"])
    for name, body in files.items():
        (OUT / name).write_text(json.dumps(body, indent=1) + "\n")


main()
