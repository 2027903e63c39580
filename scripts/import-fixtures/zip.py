"""Writes tests/fixtures/import/zip/: the ZIP exports (Authenticator Plus, WinAuth, Proton
Pass) that tests/import_zip.rs reads.

The archives are laid out here from PKWARE's APPNOTE (local headers, central directory,
end record) with deflate from zlib, and the traditional PKWARE encryption ("ZipCrypto",
APPNOTE 6.1) written from the APPNOTE's description; every archive is then read back
with Python's own zipfile module (and Info-ZIP's `unzip` when installed), which are
not twofa's code. Salts of the encryption headers are fixed so that the output is the
same on every run.

    python3 scripts/import-fixtures/zip.py
"""
import json
import pathlib
import shutil
import struct
import subprocess
import zipfile
import zlib

OUT = pathlib.Path(__file__).resolve().parent.parent.parent / "tests/fixtures/import/zip"

# --- ZipCrypto (APPNOTE 6.1.5, 6.1.6) ---------------------------------------------------


def crc_byte(crc: int, b: int) -> int:
    # zlib.crc32 keeps its value pre- and post-inverted; the cipher wants the raw update.
    return zlib.crc32(bytes([b]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


class Keys:
    def __init__(self, password: bytes):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for b in password:
            self.update(b)

    def update(self, b: int):
        k0, k1, k2 = self.k
        k0 = crc_byte(k0, b)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = crc_byte(k2, k1 >> 24)
        self.k = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for p in data:
            t = (self.k[2] | 2) & 0xFFFF
            out.append(p ^ (((t * (t ^ 1)) >> 8) & 0xFF))
            self.update(p)
        return bytes(out)


# --- archive layout (APPNOTE 4.3) -------------------------------------------------------

TIME, DATE = 0x6B3C, 0x5A21  # 13:25:56, 2025-01-01


def archive(files, password=None, descriptor=False, deflate=True):
    """files: [(name, data)]. Returns the bytes of a ZIP archive."""
    body = bytearray()
    central = bytearray()
    for n, (name, data) in enumerate(files):
        crc = zlib.crc32(data)
        if deflate:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            stored = c.compress(data) + c.flush()
        else:
            stored = data
        flags = 0
        if password is not None:
            flags |= 1
            check = (TIME >> 8) if descriptor else (crc >> 24)
            header = bytes((7 * n + i * 31 + 5) & 0xFF for i in range(11)) + bytes([check])
            stored = Keys(password).encrypt(header + stored)
        if descriptor:
            flags |= 8
        method = 8 if deflate else 0
        nm = name.encode()
        offset = len(body)
        lcrc, lcsize, lsize = (0, 0, 0) if descriptor else (crc, len(stored), len(data))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, TIME, DATE, lcrc, lcsize, lsize, len(nm), 0)
        body += nm + stored
        if descriptor:
            body += struct.pack("<IIII", 0x08074B50, crc, len(stored), len(data))
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, TIME, DATE, crc, len(stored), len(data),
            len(nm), 0, 0, 0, 0, 0, offset,
        )
        central += nm
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(files), len(files), len(central), len(body), 0)
    return bytes(body + central + end)


def check(path: pathlib.Path, password, files):
    with zipfile.ZipFile(path) as z:
        if password is not None:
            z.setpassword(password)
        for name, data in files:
            assert z.read(name) == data, (path, name)
    if shutil.which("unzip"):
        args = ["unzip", "-p"] + (["-P", password.decode()] if password else []) + [str(path)]
        got = subprocess.run(args, check=True, capture_output=True).stdout
        assert got == b"".join(d for _, d in files), path


def write(name, files, password=None, **kw):
    path = OUT / name
    path.write_bytes(archive(files, password, **kw))
    check(path, password, files)
    return path


OUT.mkdir(parents=True, exist_ok=True)

# Authenticator Plus: Accounts.txt of otpauth:// URIs, ZipCrypto, deflated.
accounts = "\n".join([
    "otpauth://totp/ACME:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME",
    "otpauth://hotp/Initech:bob?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Initech&counter=7&digits=8",
    "otpauth://totp/Hooli:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&period=60",
    "",
    "otpauth://motp/VPN:dave?secret=0123456789abcdef",
    "otpauth://totp/Old:erin?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=MD5",
    "this line is not a URI",
    "otpauth://steam/Steam:frank?secret=MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
    "otpauth://totp/Empty:gina?issuer=Empty",
]).encode() + b"\n"
write("authenticator-plus.zip", [("Accounts.txt", accounts)], b"fixture password")

# WinAuth: its text export, CRLF, in a plain (stored) archive and in an encrypted one
# whose sizes follow the data (flag bit 3: the check byte is the time's high byte).
winauth = (
    "otpauth://totp/Microsoft:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=6&icon=WinAuth\r\n"
    "otpauth://totp/Battle.net?secret=MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK&digits=8&icon=BattleNet\r\n"
).encode()
write("winauth.zip", [("winauth-2025-01-01.txt", winauth)], deflate=False)
write("winauth-encrypted.zip", [("winauth-2025-01-01.txt", winauth)], b"winauth", descriptor=True)

# Proton Pass: Proton Pass/data.json, plain, with a folder entry as the app writes.
def login(name, uri, extra=()):
    return {
        "itemId": name,
        "data": {
            "metadata": {"name": name, "note": "", "itemUuid": "0"},
            "extraFields": [{"fieldName": f, "type": "totp", "data": {"totpUri": u}} for f, u in extra]
            + [{"fieldName": "PIN", "type": "hidden", "data": {"content": "1234"}}],
            "type": "login",
            "content": {"itemEmail": "", "password": "", "urls": [], "totpUri": uri, "itemUsername": ""},
        },
        "state": 1,
    }


data = {
    "version": "1.0.0",
    "userId": "u",
    "encrypted": False,
    "vaults": {
        "v1": {
            "name": "Personal",
            "items": [
                login("No TOTP", ""),
                {"itemId": "n", "data": {"metadata": {"name": "A note"}, "extraFields": [], "type": "note", "content": {}}},
                login("GitHub", "otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub"),
            ],
        },
        "v2": {
            "name": "Work",
            "items": [
                login(
                    "Intranet",
                    "otpauth://totp/Intranet:Proton%20Pass?issuer=Intranet&secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&digits=8",
                    [
                        ("TOTP 1", "otpauth://totp/Intranet:Proton%20Pass?issuer=Intranet&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256"),
                        ("Broken", "otpauth://totp/Broken"),
                    ],
                ),
            ],
        },
    },
}
write(
    "proton-pass.zip",
    [("Proton Pass/", b""), ("Proton Pass/data.json", json.dumps(data, indent=2).encode())],
)

# Proton Pass' PGP-encrypted export: not read, but named.
write("proton-pass-pgp.zip", [("Proton Pass/", b""), ("Proton Pass/data.pgp", b"-----BEGIN PGP MESSAGE-----\n\n-----END PGP MESSAGE-----\n")])

# A bomb that lies about its size: a megabyte of zeros stated as 1,000 bytes.
zeros = bytes(1 << 20)
bomb = bytearray(archive([("winauth-2025-01-01.txt", zeros)]))
for at in (22, bomb.index(b"PK\x01\x02") + 24):
    bomb[at : at + 4] = struct.pack("<I", 1000)
(OUT / "bomb-lies.zip").write_bytes(bomb)

for p in sorted(OUT.iterdir()):
    print(f"wrote {p.relative_to(OUT.parent.parent.parent.parent)} ({p.stat().st_size} bytes)")
