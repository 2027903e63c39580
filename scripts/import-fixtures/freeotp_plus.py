"""Writes tests/fixtures/import/freeotp_plus/: a FreeOTP+ JSON backup made by this code.

The layout follows FreeOTP+'s export: `tokens`, each with the secret as an array of Java
(signed) bytes, and `tokenOrder`.

    python3 scripts/import-fixtures/freeotp_plus.py
"""
import base64
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/freeotp_plus"


def signed(b32: str):
    return [b - 256 if b > 127 else b for b in base64.b32decode(b32)]


def token(type_, issuer, label, secret, algo="SHA1", digits=6, period=30, counter=0, issuer_ext=None):
    t = {"algo": algo, "counter": counter, "digits": digits, "issuerExt": issuer if issuer_ext is None else issuer_ext,
         "issuerInt": issuer, "label": label, "period": period, "secret": secret, "type": type_}
    if secret is None:
        del t["secret"]
    return t


TOKENS = [
    token("TOTP", "ACME", "ada", signed("7ELGJSGXNCCTV3O6LKJWYFV2RAAAAAAA"), algo="SHA256", digits=8, period=45),
    token("HOTP", "Counter", "bob", signed("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), counter=41),
    token("TOTP", "Internal", "carol", signed("MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"), issuer_ext=""),
    token("STEAM", "Steam", "dan", signed("ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS")),
    token("TOTP", "Bad", "eve", [1, 2, 300]),
    token("TOTP", "Empty", "fay", None),
    token("TOTP", "Old", "gus", signed("NBSWY3DPEB3W64TMMQQGC3TEEBZWKY3S"), algo="MD5"),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    body = {"tokenOrder": [f"{t['issuerInt']}:{t['label']}" for t in TOKENS], "tokens": TOKENS}
    (OUT / "freeotp_plus.json").write_text(json.dumps(body) + "\n")


main()
