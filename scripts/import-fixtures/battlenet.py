"""Writes tests/fixtures/import/battlenet/: Battle.net Authenticator shared preferences.

The app keeps its serial and device secret as hex of ASCII text XORed with a fixed
56-byte mask (the constant below, as Aegis' BattleNetImporter has it); the secret's text
is itself hex. This code masks made-up values the same way.

    python3 scripts/import-fixtures/battlenet.py
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/import/battlenet"
MASK = bytes.fromhex("398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6"
                     "c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a")
PREFIX = "com.blizzard.messenger."


def mask(text: str) -> str:
    return bytes(a ^ b for a, b in zip(text.encode(), MASK)).hex()


def prefs(secret_text: str, serial: str) -> str:
    lines = [
        "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>",
        "<map>",
        f'    <string name="{PREFIX}AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE">MASK</string>',
        f'    <boolean name="{PREFIX}AUTHENTICATOR_SETUP_POSTPONE_LOGIN" value="false" />',
        f'    <string name="{PREFIX}AUTHENTICATOR_DEVICE_SECRET">{mask(secret_text)}</string>',
        f'    <string name="{PREFIX}AUTHENTICATOR_BGS_REGION_CODE">EU</string>',
    ]
    if serial is not None:
        lines.append(f'    <string name="{PREFIX}AUTHENTICATOR_SERIAL">{mask(serial)}</string>')
    lines += [f'    <long name="{PREFIX}AUTHENTICATOR_SERVER_TIME_DIFF" value="15" />', "</map>"]
    return "\n".join(lines) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    secret = bytes(range(0x41, 0x55)).hex()  # 20 bytes, as hex text
    (OUT / "battlenet.xml").write_text(prefs(secret, "EU-1234-5678-9012"))
    (OUT / "no_serial.xml").write_text(prefs(secret, None))
    (OUT / "not_hex.xml").write_text(prefs("zz" + secret[2:], "US-0000-0000-0000"))


main()
