#!/usr/bin/env python3
"""Writes the peer-made QR pictures that tests/qr.rs and tests/js/qr.test.mjs decode.

The pictures are made by other tools (Python `segno` 1.6 and `qrcode` 8 with Pillow), so
the decoder is tested on codes twofa did not draw. They are committed; run this again
only to change them:

    python3 -m venv /tmp/qrvenv && /tmp/qrvenv/bin/pip install segno qrcode pillow
    /tmp/qrvenv/bin/python scripts/qr-fixtures.py

Each picture's expected text is in tests/fixtures/qr/expected.json.
"""
import io
import json
import pathlib

import qrcode
import segno
from PIL import Image, ImageDraw, ImageFilter

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "qr"
URI = ("otpauth://totp/ACME%20Co:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
       "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30")
HOTP = "otpauth://hotp/Star%20Trek%3A%20Website:kirk?secret=GEZDGNBVGY3TQOJQ&issuer=Star%20Trek%3A%20Website&counter=7"
MIGRATION = ("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC")
UNICODE = "otpauth://totp/%C3%84rzte%20%F0%9F%94%91:j%C3%BCrgen?secret=JBSWY3DPEHPK3PXP&issuer=%C3%84rzte%20%F0%9F%94%91"


def segno_img(text, scale, border=4, error="m", dark="black", light="white"):
    buf = io.BytesIO()
    segno.make(text, error=error, micro=False).save(
        buf, kind="png", scale=scale, border=border, dark=dark, light=light)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def pyqrcode_img(text, box, border=4, error=qrcode.constants.ERROR_CORRECT_H):
    qr = qrcode.QRCode(error_correction=error, box_size=box, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}

    def save(name, img, texts):
        img.save(OUT / name, optimize=True)
        expected[name] = texts

    # Plain, as an authenticator setup page shows it.
    save("segno-plain.png", segno_img(URI, 4), [URI])
    # Another generator, high error correction, large modules.
    save("pyqrcode-h.png", pyqrcode_img(HOTP, 7), [HOTP])
    # Scaled by a non-integer factor with smoothing, so module edges are grey.
    img = segno_img(URI, 3)
    save("segno-scaled.png", img.resize((int(img.width * 2.37), int(img.height * 2.37)),
                                        Image.BILINEAR), [URI])
    # Rotated by 90 degrees.
    save("segno-rot90.png", segno_img(MIGRATION, 5).rotate(90, expand=True), [MIGRATION])
    # Dark grey modules on a light grey background.
    save("segno-grey.png", segno_img(UNICODE, 5, dark="#303030", light="#d0d0d0"), [UNICODE])
    # A page around the code: margins, text-like bars and a frame, the code off centre.
    page = Image.new("RGB", (1100, 800), "#f4f4f0")
    draw = ImageDraw.Draw(page)
    for y in range(60, 760, 34):
        draw.rectangle((40, y, 40 + (y * 7) % 420 + 120, y + 12), fill="#9a9a9a")
    draw.rectangle((560, 150, 1040, 650), outline="#444444", width=3)
    page.paste(pyqrcode_img(URI, 4, border=2, error=qrcode.constants.ERROR_CORRECT_M), (640, 240))
    save("page-margin.png", page, [URI])
    # Rotated by a small angle and slightly blurred, as a photo of a screen.
    img = segno_img(HOTP, 6).rotate(11, expand=True, fillcolor="white", resample=Image.BICUBIC)
    save("segno-tilted.png", img.filter(ImageFilter.GaussianBlur(0.8)), [HOTP])
    # Two codes in one picture: both are found, left to right.
    left, right = segno_img(HOTP, 4), segno_img(UNICODE, 4)
    both = Image.new("RGB", (left.width + right.width + 40, max(left.height, right.height)), "white")
    both.paste(left, (0, 0))
    both.paste(right, (left.width + 40, 0))
    save("two-codes.png", both, [HOTP, UNICODE])
    # No code at all.
    save("no-code.png", page.crop((0, 0, 520, 800)), [])

    (OUT / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
