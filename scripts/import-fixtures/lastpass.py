"""Writes tests/fixtures/import/lastpass/: LastPass Authenticator exports made by this code.

The layout follows LastPass Authenticator's JSON export (Android writes version 3 with
device fields and folders; iOS writes version 1 in another key order).

    python3 scripts/import-fixtures/lastpass.py
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/lastpass"


def account(issuer, user, secret, step=30, digits=6, algorithm="SHA1"):
    a = {"accountID": f"id-{user or issuer}", "lmiUserId": "", "issuerName": issuer, "originalIssuerName": issuer,
         "userName": user, "originalUserName": user, "pushNotification": False, "secret": secret,
         "timeStep": step, "digits": digits, "creationTimestamp": 1700000000000, "isFavorite": False,
         "algorithm": algorithm, "folderData": {"folderId": 0, "position": 0}}
    if secret is None:
        del a["secret"]
    return a


ACCOUNTS = [
    account("ACME", "ada", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    account("Nine", "bob", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", step=60, digits=9, algorithm="SHA256"),
    account("OnlyIssuer", "", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", algorithm="SHA512"),
    account("", "only user", "ONSWG4TFOQQGC3TEEBZWKY3SMV2"),  # 27 symbols: the last makes no byte
    account("Old", "carol", "NBSWY3DPEB3W64TMMQQGC3TEEBZWKY3S", algorithm="MD5"),
    account("Empty", "dan", None),
    account("Zero", "eve", "MNUGC3DMMVXGOZJAON2HE2LOM4QGC3TE", step=0),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    android = {"deviceId": "", "deviceSecret": "", "localDeviceId": "00000000-0000-0000-0000-000000000000",
               "deviceName": "Test phone", "version": 3, "accounts": ACCOUNTS,
               "folders": [{"id": 0, "name": "Other Accounts", "isOpened": True}]}
    (OUT / "android.json").write_text(json.dumps(android, indent=1) + "\n")
    ios = {"deviceName": "iPhone", "localDeviceId": None,
           "accounts": [dict(reversed(list(account("iOS", "fay", "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA").items())))],
           "folders": [], "version": 1}
    (OUT / "ios.json").write_text(json.dumps(ios) + "\n")


main()
