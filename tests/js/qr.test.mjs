// QR codes against peers: twofa's SVG read by jsQR after a real browser rasterises it,
// and twofa's decoder reading codes drawn by other generators (npm qrcode; Python segno
// and qrcode, committed as PNGs), also scaled, rotated, greyed, framed and inverted.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import jsQR from "jsqr";
import QRCode from "qrcode";
import { artifact, launchChromium, nodeEntries, openPage, PKG, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const FIXTURES = join(ROOT, "tests/fixtures/qr");
const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8"));
const URI = "otpauth://totp/ACME%20Co:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";
const TEXTS = [
  URI,
  "otpauth://hotp/%C3%84rzte%20%F0%9F%94%91:j%C3%BCrgen?secret=GEZDGNBVGY3TQOJQ&counter=7",
  "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC",
  "Ärzte 🔑 東京",
];

let browser;
let server;
let page;
let errors;
before(async () => {
  browser = await launchChromium();
  server = await startServer({
    mounts: { "/pkg/": PKG, "/qr/": FIXTURES, "/jsqr/": join(ROOT, "node_modules/jsqr/dist"), "/": join(ROOT, "tests/js/fixtures") },
  });
  ({ page, errors } = await openPage(browser, `${server.url}/qr.html`));
  await page.waitForSelector("body[data-ready=true]");
});
after(async () => {
  await page?.close();
  await browser?.close();
  await server?.close();
});

test("twofa reads its own dense export codes at every size from 200 to 500 px, alone and six to a page", async () => {
  const { buildMigrationUris } = await nodeEntries("migration");
  // 30 accounts: six Google Authenticator export codes of about version 20, 97 modules a
  // side, so 2 to 5 pixels a module. Before the 2× pass, 28 of these 186 readings failed.
  const accounts = Array.from({ length: 30 }, (_, i) => ({
    secret: `JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX${"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[i]}`,
    issuer: `Bulk Site ${i}`,
    account: `user${i}@example.com`,
  }));
  const { uris } = buildMigrationUris(accounts);
  assert.equal(uris.length, 6);
  const sizes = Array.from({ length: 31 }, (_, i) => 200 + i * 10);
  const { missed, page: onPage } = await page.evaluate(([t, s]) => window.readOwnSvgs(t, s, 300), [uris, sizes]);
  assert.deepEqual(missed, []);
  assert.deepEqual(onPage, uris, "all six on one page, in reading order");
  assert.deepEqual(errors, []);
});

test("jsQR reads twofa's SVG as Chromium draws it, at every error correction level", async () => {
  for (const text of TEXTS) {
    for (const ecc of ["L", "M", "Q", "H"]) {
      for (const [options, scale] of [[{ ecc }, 1], [{ ecc, margin: 2, dark: "#1a237e", light: "#fffde7" }, 0.5]]) {
        const found = await page.evaluate(([t, o, s]) => window.readSvgWithJsQR(t, o, s), [text, options, scale]);
        assert.equal(found, text, `${ecc} ${JSON.stringify(options)} at ${scale}×`);
      }
    }
  }
  assert.deepEqual(errors, []);
});

test("reads the PNGs made by Python segno and qrcode, as the browser loads them", async () => {
  for (const [name, texts] of Object.entries(EXPECTED)) {
    assert.deepEqual(await page.evaluate((n) => window.decode(`/qr/${n}`), name), texts, name);
  }
});

test("reads npm qrcode's codes scaled, rotated, on grey, framed by a page and inverted", async () => {
  const shots = [];
  for (const text of TEXTS) {
    for (const ecc of ["L", "M", "Q", "H"]) {
      const png = await QRCode.toDataURL(text, { errorCorrectionLevel: ecc, margin: 4, scale: 4 });
      for (const view of [
        {},
        { scale: 1.7 },
        { scale: 0.8 },
        { rotate: 1 },
        { rotate: 3, scale: 1.3 },
        { background: "#d9d9d9", pad: 20 },
        { background: "#f3f1ea", pad: 300 },
        { dark: true, background: "#000000", pad: 40 },
      ]) {
        const found = await page.evaluate(([src, v]) => window.decode(src, v), [png, view]);
        assert.deepEqual(found, [text], `${ecc} ${JSON.stringify(view)}`);
        if (text === URI && ecc === "M") shots.push(view);
      }
    }
  }
  // One picture of the hardest view, for people to look at.
  const png = await QRCode.toDataURL(URI, { errorCorrectionLevel: "M", margin: 4, scale: 4 });
  await page.evaluate((src) => window.draw(src, { rotate: 1, background: "#d9d9d9", pad: 60, scale: 1.3 }), png);
  await page.locator("#c").screenshot({ path: artifact("qr-npm-rotated-grey.png") });
  assert.ok(shots.length === 8);
  assert.deepEqual(errors, []);
});

test("in Node: npm qrcode's modules read by twofa, twofa's modules read by jsQR", async () => {
  const { decodeQr, qrMatrix } = await nodeEntries("qr");
  const paint = (size, dark, scale = 4, margin = 4) => {
    const side = (size + 2 * margin) * scale;
    const data = new Uint8ClampedArray(side * side * 4).fill(255);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const mx = Math.floor(x / scale) - margin, my = Math.floor(y / scale) - margin;
        if (mx >= 0 && my >= 0 && mx < size && my < size && dark(mx, my)) data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
      }
    }
    return { width: side, height: side, data };
  };
  for (const text of TEXTS) {
    for (const ecc of ["L", "M", "Q", "H"]) {
      const peer = QRCode.create(text, { errorCorrectionLevel: ecc }).modules;
      const image = paint(peer.size, (x, y) => peer.get(y, x));
      assert.deepEqual(decodeQr(image), [text], `npm qrcode ${ecc}`);
      const ours = qrMatrix(text, { ecc });
      const painted = paint(ours.size, (x, y) => ours.modules[y * ours.size + x] === 1);
      const read = jsQR(painted.data, painted.width, painted.height);
      assert.equal(new TextDecoder().decode(Uint8Array.from(read.binaryData)), text, `jsQR ${ecc}`);
    }
  }
  assert.deepEqual(decodeQr({ width: 3, height: 2, data: new Uint8Array(24) }), []);
});
