"""Writes tests/fixtures/import/freeotp/: FreeOTP 2 encrypted backups that
tests/import_freeotp.rs reads.

The map of strings is written twice: with Java object serialization, laid out here from
the Java Object Serialization Stream Protocol (one java.util.HashMap, its class data and
writeObject block, then TC_STRING keys and values in modified UTF-8, one value written
as a back-reference) and read back with javaobj-py3; and as Android shared preferences
XML, read back with xml.etree. The keys are made with hashlib's PBKDF2 and the
`cryptography` package's AES-GCM, as FreeOTP's MasterKey and EncryptedKey classes do
(AAD = the key's Java algorithm name). Salts, nonces and keys are fixed so that the output
is the same on every run.

    pip install --user cryptography javaobj-py3
    python3 scripts/import-fixtures/freeotp.py
"""
import hashlib
import json
import pathlib
import struct
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import javaobj.v2 as javaobj
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT = pathlib.Path(__file__).resolve().parent.parent.parent / "tests/fixtures/import/freeotp"
PASSWORD = "freeotp fixture"
ITERATIONS = 1000


def signed(data: bytes):
    return [b - 256 if b > 127 else b for b in data]


def der_gcm(nonce: bytes, bare: bool) -> bytes:
    octets = bytes([0x04, len(nonce)]) + nonce
    if bare:  # Android 6 writes the nonce alone
        return octets
    body = octets + bytes([0x02, 0x01, 16])
    return bytes([0x30, len(body)]) + body


def encrypted_key(key: bytes, plain: bytes, token: str, nonce: bytes, bare: bool, tamper=False) -> dict:
    sealed = bytearray(AESGCM(key).encrypt(nonce, plain, token.encode()))
    if tamper:
        sealed[-1] ^= 1
    return {
        "mCipher": "AES/GCM/NoPadding",
        "mCipherText": signed(bytes(sealed)),
        "mParameters": signed(der_gcm(nonce, bare)),
        "mToken": token,
    }


def backup(prf: str, bare: bool, tamper_master=False):
    """The map, in order: [(key, value)]."""
    salt = bytes(range(17, 49))
    pkey = hashlib.pbkdf2_hmac(prf.lower(), PASSWORD.encode(), salt, ITERATIONS, 32)
    master = bytes(range(200, 232))
    nonces = (bytes([n] * 12) for n in range(1, 100))
    pairs = [(
        "masterKey",
        json.dumps({
            "mAlgorithm": f"PBKDF2withHmac{prf}",
            "mEncryptedKey": encrypted_key(pkey, master, "AES", next(nonces), bare, tamper_master),
            "mIterations": ITERATIONS,
            "mSalt": signed(salt),
        }, separators=(",", ":")),
    )]

    def token(uuid, secret, details, tamper=False, hmac="HmacSHA1", with_details=True):
        key = encrypted_key(master, secret, hmac, next(nonces), bare, tamper)
        pairs.append((uuid, json.dumps({"key": json.dumps(key, separators=(",", ":"))}, separators=(",", ":"))))
        if with_details:
            pairs.append((uuid + "-token", json.dumps(details, separators=(",", ":"), ensure_ascii=False)))

    s20 = bytes(range(20))
    token("11111111-0000-4000-8000-000000000001", bytes(range(32)),
          {"algo": "SHA256", "digits": 8, "issuerExt": "ACME", "issuerInt": "ACME", "label": "ada", "period": 60, "type": "TOTP"},
          hmac="HmacSHA256")
    token("11111111-0000-4000-8000-000000000002", s20,
          {"algo": "SHA1", "counter": 5, "digits": 6, "issuerExt": "Initech", "label": "bob", "type": "HOTP"})
    # Only what FreeOTP always writes: SHA1, 6 digits, 30 s apply; the internal issuer.
    token("11111111-0000-4000-8000-000000000003", s20, {"issuerInt": "Internal", "label": "Jos\u00e9 \U0001f511", "type": "TOTP"})
    token("11111111-0000-4000-8000-000000000004", s20, {"algo": "MD5", "issuerExt": "Old", "label": "dave", "type": "TOTP"})
    token("11111111-0000-4000-8000-000000000005", s20, {"issuerExt": "Odd", "label": "erin", "type": "MOTP"})
    token("11111111-0000-4000-8000-000000000006", s20, {"issuerExt": "Changed", "label": "frank", "type": "TOTP"}, tamper=True)
    token("11111111-0000-4000-8000-000000000007", s20, {}, with_details=False)
    token("11111111-0000-4000-8000-000000000008", s20, {"digits": 12, "issuerExt": "Long", "label": "gina", "type": "TOTP"})
    # Renamed in the app: the names shown are issuerAlt and labelAlt.
    token("11111111-0000-4000-8000-00000000000b", s20,
          {"issuerAlt": "Renamed", "issuerExt": "Orig", "label": "old", "labelAlt": "new", "type": "TOTP"})
    # Details whose secret is missing.
    pairs.append(("11111111-0000-4000-8000-000000000009-token", json.dumps({"issuerExt": "Lost", "label": "hank", "type": "TOTP"})))
    return pairs


def modified_utf8(text: str) -> bytes:
    out = bytearray()
    units = struct.unpack(f">{len(text.encode('utf-16-be')) // 2}H", text.encode("utf-16-be"))
    for u in units:
        if 0 < u < 0x80:
            out.append(u)
        elif u < 0x800:
            out += bytes([0xC0 | u >> 6, 0x80 | u & 0x3F])
        else:
            out += bytes([0xE0 | u >> 12, 0x80 | (u >> 6) & 0x3F, 0x80 | u & 0x3F])
    return bytes(out)


def java_hashmap(pairs, reference=None) -> bytes:
    """java.util.HashMap<String, String> as ObjectOutputStream writes it. `reference`
    (value index, earlier value index) writes one value as a back-reference."""
    out = bytearray(b"\xac\xed\x00\x05")  # STREAM_MAGIC, STREAM_VERSION
    out += b"\x73\x72" + struct.pack(">H", 17) + b"java.util.HashMap"  # TC_OBJECT TC_CLASSDESC
    out += struct.pack(">q", 362498820763181265)  # serialVersionUID
    out += b"\x03" + struct.pack(">H", 2)  # SC_WRITE_METHOD | SC_SERIALIZABLE, 2 fields
    out += b"F" + struct.pack(">H", 10) + b"loadFactor"
    out += b"I" + struct.pack(">H", 9) + b"threshold"
    out += b"\x78\x70"  # TC_ENDBLOCKDATA (no annotation), TC_NULL (no superclass)
    out += struct.pack(">fi", 0.75, 24)
    out += b"\x77\x08" + struct.pack(">ii", 32, len(pairs))  # TC_BLOCKDATA: capacity, size
    handles = {}
    next_handle = 0x7E0002  # 0x7E0000 the class description, 0x7E0001 the map
    for n, (k, v) in enumerate(pairs):
        for m, s in ((2 * n, k), (2 * n + 1, v)):
            if reference and m == reference[0]:
                out += b"\x71" + struct.pack(">I", handles[reference[1]])
                continue
            data = modified_utf8(s)
            out += (b"\x74" + struct.pack(">H", len(data))) if len(data) < 0x10000 else (b"\x7c" + struct.pack(">Q", len(data)))
            out += data
            handles[m] = next_handle
            next_handle += 1
    out += b"\x78"  # TC_ENDBLOCKDATA
    return bytes(out)


def shared_prefs(pairs) -> str:
    lines = ["<?xml version='1.0' encoding='utf-8' standalone='yes' ?>", "<map>"]
    for k, v in pairs:
        lines.append(f'    <string name="{escape(k)}">{escape(v, {chr(34): "&quot;"})}</string>')
    lines.append('    <int name="unrelated" value="3" />')
    lines.append("</map>")
    return "\n".join(lines) + "\n"


OUT.mkdir(parents=True, exist_ok=True)

pairs = backup("SHA512", bare=False)
# A copy of the first token at the end, its details written as a back-reference to the
# first token's details string.
pairs.append(("11111111-0000-4000-8000-00000000000a", pairs[1][1]))
pairs.append(("11111111-0000-4000-8000-00000000000a-token", pairs[2][1]))
ref = (2 * (len(pairs) - 1) + 1, 2 * 2 + 1)
binary = java_hashmap(pairs, reference=ref)
(OUT / "backup.bin").write_bytes(binary)
read = javaobj.loads(binary)
assert {str(k): str(v) for k, v in read.items()} == dict(pairs)

xml_pairs = backup("SHA1", bare=True) + [("tokenOrder", '["11111111-0000-4000-8000-000000000001"]')]
xml = shared_prefs(xml_pairs)
(OUT / "backup.xml").write_text(xml, encoding="utf-8")
assert {e.get("name"): e.text for e in ET.fromstring(xml.encode()) if e.tag == "string"} == dict(xml_pairs)

(OUT / "tampered-master.xml").write_text(shared_prefs(backup("SHA1", bare=True, tamper_master=True)), encoding="utf-8")

for p in sorted(OUT.iterdir()):
    print(f"wrote {p.name} ({p.stat().st_size} bytes)")
