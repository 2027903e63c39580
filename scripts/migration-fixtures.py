#!/usr/bin/env python3
"""Writes tests/fixtures/migration/cases.json: Google Authenticator export URIs encoded by
Google's own protobuf runtime (PyPI `protobuf`), with what each must decode to.

They are committed; run this again only to change them:

    python3 -m venv /tmp/qrvenv && /tmp/qrvenv/bin/pip install protobuf
    /tmp/qrvenv/bin/python scripts/migration-fixtures.py

The message is declared here from Google Authenticator's published schema, and proto3
leaves default values (SHA1, six digits, counter 0) off the wire, as the app does.
"""
import base64
import json
import pathlib
import urllib.parse

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "migration"


def schema():
    f = descriptor_pb2.FileDescriptorProto(name="migration.proto", package="ga", syntax="proto3")
    for name, values in [
        ("Algorithm", ["ALGORITHM_UNSPECIFIED", "SHA1", "SHA256", "SHA512", "MD5"]),
        ("DigitCount", ["DIGIT_COUNT_UNSPECIFIED", "SIX", "EIGHT"]),
        ("OtpType", ["OTP_TYPE_UNSPECIFIED", "HOTP", "TOTP"]),
    ]:
        e = f.enum_type.add(name=name)
        for i, v in enumerate(values):
            e.value.add(name=v, number=i)
    T = descriptor_pb2.FieldDescriptorProto
    p = f.message_type.add(name="OtpParameters")
    for num, name, typ, tname in [
        (1, "secret", T.TYPE_BYTES, None), (2, "name", T.TYPE_STRING, None),
        (3, "issuer", T.TYPE_STRING, None), (4, "algorithm", T.TYPE_ENUM, ".ga.Algorithm"),
        (5, "digits", T.TYPE_ENUM, ".ga.DigitCount"), (6, "type", T.TYPE_ENUM, ".ga.OtpType"),
        (7, "counter", T.TYPE_INT64, None),
    ]:
        fld = p.field.add(name=name, number=num, type=typ, label=T.LABEL_OPTIONAL)
        if tname:
            fld.type_name = tname
    m = f.message_type.add(name="MigrationPayload")
    m.field.add(name="otp_parameters", number=1, type=T.TYPE_MESSAGE,
                label=T.LABEL_REPEATED, type_name=".ga.OtpParameters")
    for num, name in [(2, "version"), (3, "batch_size"), (4, "batch_index"), (5, "batch_id")]:
        m.field.add(name=name, number=num, type=T.TYPE_INT32, label=T.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ga.MigrationPayload"))


def uri(payload):
    data = base64.b64encode(payload.SerializeToString()).decode()
    return "otpauth-migration://offline?data=" + urllib.parse.quote(data, safe="")


def main():
    Payload = schema()
    cases = []

    p = Payload(version=1, batch_size=2, batch_index=1, batch_id=-1234567)
    p.otp_parameters.add(secret=bytes(range(1, 21)), name="ACME Co:ada@example.com",
                         issuer="ACME Co", type=2)  # SHA1 and six digits left off the wire
    p.otp_parameters.add(secret=b"12345678901234567890123456789012", name="bank:ada",
                         issuer="bank", algorithm=2, digits=2, type=1, counter=42)
    p.otp_parameters.add(secret=b"\xff" * 64, name="Ärzte 🔑:jürgen", issuer="Ärzte 🔑",
                         algorithm=3, type=2)
    p.otp_parameters.add(secret=b"0123456789", name="no-issuer@example.com", type=2)
    cases.append({
        "uri": uri(p), "batchSize": 2, "batchIndex": 1, "batchId": -1234567, "version": 1,
        "accounts": [
            {"type": "totp", "secret": base64.b32encode(bytes(range(1, 21))).decode().rstrip("="),
             "name": "ACME Co:ada@example.com", "issuer": "ACME Co", "account": "ada@example.com",
             "algorithm": "SHA1", "digits": 6},
            {"type": "hotp", "secret": base64.b32encode(b"12345678901234567890123456789012").decode().rstrip("="),
             "name": "bank:ada", "issuer": "bank", "account": "ada",
             "algorithm": "SHA256", "digits": 8, "counter": 42},
            {"type": "totp", "secret": base64.b32encode(b"\xff" * 64).decode().rstrip("="),
             "name": "Ärzte 🔑:jürgen", "issuer": "Ärzte 🔑", "account": "jürgen",
             "algorithm": "SHA512", "digits": 6},
            {"type": "totp", "secret": base64.b32encode(b"0123456789").decode().rstrip("="),
             "name": "no-issuer@example.com", "issuer": None, "account": "no-issuer@example.com",
             "algorithm": "SHA1", "digits": 6},
        ],
        "warnings": [[3, "WEAK_SECRET"]],
    })

    p = Payload(version=1, batch_size=1)  # batch_index 0 and batch_id 0 left off the wire
    p.otp_parameters.add(secret=b"A" * 16, name="old", issuer="MD5 Inc", algorithm=4, type=2)
    p.otp_parameters.add(secret=b"B" * 16, name="Label Issuer:bob", type=0)
    p.otp_parameters.add(secret=b"", name="empty", type=2)
    p.otp_parameters.add(secret=b"C" * 16, name="future", digits=7, type=2)
    cases.append({
        "uri": uri(p), "batchSize": 1, "batchIndex": 0, "batchId": 0, "version": 1,
        "accounts": [
            {"type": "totp", "secret": base64.b32encode(b"B" * 16).decode().rstrip("="),
             "name": "Label Issuer:bob", "issuer": "Label Issuer", "account": "bob",
             "algorithm": "SHA1", "digits": 6},
        ],
        "warnings": [[0, "UNSUPPORTED_ACCOUNT"], [2, "UNSUPPORTED_ACCOUNT"], [3, "UNSUPPORTED_ACCOUNT"]],
    })

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cases.json").write_text(json.dumps(cases, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
