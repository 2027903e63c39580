// The extension's clock check (www/extension/lib/clock.js, lib/clock-check.js), in
// Chromium: the options page checks the clock against local servers on 127.0.0.1 whose
// Date header is 125 s behind this computer's clock, right, missing or malformed; the
// popup warns with the offset in seconds, applies it to the codes on request (each code
// checked against the package's own in Node at Date.now() − 125 s) and stops applying it,
// and checks again by itself when the last check is old. Any console error fails a test.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, afterEach, before, test } from "node:test";
import { launchExtension, shownCode } from "./extension-kit.mjs";
import { nodeEntries } from "./helpers.mjs";

const twofa = await nodeEntries("twofa");

/** How far the skewed server's clock is behind this computer's. */
const SKEW_MS = -125_000;
const ACME = "otpauth://totp/ACME%20Co:ada@acme.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co";
const ACME_NAME = "ACME Co: ada@acme.test";
/** A Date header that contradicts itself: 1994-11-06 was a Sunday. */
const WRONG_WEEKDAY = "Mon, 06 Nov 1994 08:49:37 GMT";

let extension;
let errors;
const servers = [];

/**
 * A site on 127.0.0.1 whose responses carry `date()` as their Date header (none when it
 * returns null). Returns its origin and what it was asked.
 */
async function dateServer(date) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, cookie: req.headers.cookie, cacheControl: req.headers["cache-control"] });
    const value = date();
    if (value === null) res.sendDate = false;
    else res.setHeader("Date", value);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { origin: `http://127.0.0.1:${server.address().port}`, host: `127.0.0.1:${server.address().port}`, requests };
}

let skewed;
let right;
let silent;
let garbled;

before(async () => {
  skewed = await dateServer(() => new Date(Date.now() + SKEW_MS).toUTCString());
  right = await dateServer(() => new Date().toUTCString());
  silent = await dateServer(() => null);
  garbled = await dateServer(() => WRONG_WEEKDAY);
  extension = await launchExtension("extension-clock-test");
  ({ errors } = extension);
  // A cookie the sites would get if the check sent credentials: it must not.
  await extension.context.addCookies([{ name: "session", value: "kept-out", domain: "127.0.0.1", path: "/" }]);
  // One TOTP account of 30 s, stored as the extension stores it without a passphrase.
  await extension.worker.evaluate(
    (uri) => chrome.storage.local.set({ twofa: { format: "twofa-extension", version: 1, plain: { accounts: [{ id: "acme", uri }] } } }),
    ACME,
  );
});

afterEach(() => assert.deepEqual(errors.splice(0), [], "console errors"));

after(async () => {
  await extension?.context.close();
  for (const server of servers) server.close();
});

/** The codes twofa makes for ACME at `shift` ms from now, and a second and a half either side. */
function codesAt(shift) {
  const totp = twofa.Totp.fromUri(ACME);
  const at = Date.now() + shift;
  const codes = new Set([at - 1500, at, at + 1500].map((t) => totp.generate(t)));
  totp.free();
  return codes;
}

/** Waits until the popup shows ACME a code among those of `shift`. */
async function waitForCodes(popup, shift) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shown = await shownCode(popup, ACME_NAME);
    if (codesAt(shift).has(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`the popup shows ${shown}, not a code of ${shift} ms from now`);
    await popup.waitForTimeout(100);
  }
}

const stored = async () => (await extension.stored()).clock;

/** `n` seconds as the extension words them. */
const seconds = (n) => (n === 1 ? "1 second" : `${n} seconds`);

/**
 * What a check says, worked out here from the stored numbers: the offset rounded to whole
 * seconds, the bound covering the error and that rounding, and the sentence around them.
 */
function described(check, host) {
  const size = Math.abs(check.offsetMs);
  const shown = Math.round(size / 1000);
  const bound = Math.ceil((check.errorMs + Math.abs(size - shown * 1000)) / 1000);
  const text =
    shown === 0
      ? `Your computer's clock is right (± ${seconds(bound)}, checked against ${host}).`
      : `Your computer's clock is ${seconds(shown)} ${check.offsetMs > 0 ? "slow" : "fast"} (± ${seconds(bound)}, checked against ${host}).`;
  return { shown, bound, text };
}

/** Checks the clock on the options page against `site`; returns the page. */
async function checkOnOptions(site) {
  const options = await extension.openPage("options.html");
  await options.getByLabel("Site to check against").fill(site);
  await options.getByRole("button", { name: "Check the clock" }).click();
  return options;
}

test("the options page refuses a site it would not trust for the time, and says why", async () => {
  const options = await extension.openPage("options.html");
  assert.equal(await options.getByRole("heading", { name: "Clock" }).isVisible(), true);
  const check = options.getByRole("button", { name: "Check the clock" });
  const site = options.getByLabel("Site to check against");
  for (const [typed, message] of [
    ["", "Enter a site, such as https://example.com."],
    ["http://example.com", "Use an https:// site: the time must come over a secure connection."],
    ["ftp://example.com", "Use an https:// site: the time must come over a secure connection."],
    ["https://exa mple.com", "This is not a web address. Enter a site such as https://example.com."],
    ["https://", "This is not a web address. Enter a site such as https://example.com."],
  ]) {
    await site.fill(typed);
    await check.click();
    await options.locator("#clock-site-error").waitFor();
    assert.equal(await options.textContent("#clock-site-error"), message, typed);
  }
  // A site with no Date header, and one whose Date contradicts itself: said, nothing stored.
  for (const [server, message] of [
    [silent, `${silent.host} did not give its time (its answer has no Date header). Choose another site.`],
    [garbled, `${garbled.host} gave its time in a form that twofa cannot read. Http date says Mon, but that date is a Sun. Choose another site.`],
  ]) {
    await site.fill(server.origin);
    await check.click();
    await options.getByText(message).waitFor();
    assert.equal(server.requests.length, 1);
  }
  // A site that does not answer: a port nothing listens on any more.
  const gone = await dateServer(() => new Date().toUTCString());
  await new Promise((resolve) => servers.pop().close(resolve));
  await site.fill(gone.origin);
  await check.click();
  await options.getByText(`Could not get the time from ${gone.host}. Check the address (the one the site answers at itself, not one that redirects elsewhere) and your connection, then try again.`).waitFor();
  // The browser logs the refused connection itself: that one line is expected, nothing else.
  const refused = errors.filter((e) => e.endsWith("options.html: Failed to load resource: net::ERR_CONNECTION_REFUSED"));
  assert.equal(refused.length, 1, JSON.stringify(errors));
  errors.splice(0, errors.length, ...errors.filter((e) => !refused.includes(e)));
  assert.equal(await stored(), undefined);
  await options.close();
});

test("a clock 125 s fast: the popup warns, applies the offset to the codes on request, and stops", async () => {
  const options = await checkOnOptions(skewed.origin);
  await options.getByText("Clock checked.").waitFor();
  const check = await stored();
  // One HEAD request, no cookies, past every cache.
  assert.deepEqual(skewed.requests, [{ method: "HEAD", cookie: undefined, cacheControl: "no-cache" }]);
  assert.equal(check.site, skewed.origin);
  assert.equal(check.apply, false);
  assert.ok(Number.isSafeInteger(check.offsetMs) && Number.isSafeInteger(check.errorMs), JSON.stringify(check));
  assert.ok(Math.abs(Date.now() - check.checkedAt) < 10_000);
  // The true offset lies within the stated bound, and the bound is that of a quick request.
  assert.ok(Math.abs(check.offsetMs - SKEW_MS) <= check.errorMs, JSON.stringify(check));
  assert.ok(check.errorMs >= 500 && check.errorMs < 5000, JSON.stringify(check));
  const { shown, bound, text } = described(check, skewed.host);
  assert.ok(Math.abs(shown - 125) <= bound, text);
  assert.match(await options.textContent("#clock-result"), new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} Last checked .+\\.$`));
  await options.close();

  const popup = await extension.openPage("popup.html");
  const banner = popup.locator("#clock-banner");
  await banner.waitFor();
  assert.equal(await popup.textContent("#clock-text"), `${text} Sites may refuse its codes.`);
  // The codes are this computer's clock's until the offset is applied.
  const plain = await waitForCodes(popup, 0);
  // Unless the two clocks' codes happen to coincide (one 6-digit code of each window in
  // common: a chance of a few in a million), which no code can tell apart: then the check
  // is skipped rather than failed.
  const [here, there] = [codesAt(0), codesAt(SKEW_MS)];
  if (![...here].some((code) => there.has(code))) assert.ok(!there.has(plain), `${plain} is a code of ${SKEW_MS} ms from now`);

  await popup.getByRole("button", { name: "Show codes for the right time" }).click();
  await waitForCodes(popup, SKEW_MS);
  assert.equal((await stored()).apply, true);
  assert.equal(
    await popup.textContent("#clock-text"),
    `${text} Codes are shown for the time of ${skewed.host}, ${seconds(shown)} behind this computer's clock.`,
  );
  // A popup opened now applies it too.
  const second = await extension.openPage("popup.html");
  await waitForCodes(second, SKEW_MS);
  await second.close();

  await popup.getByRole("button", { name: "Stop correcting the time" }).click();
  await waitForCodes(popup, 0);
  assert.equal((await stored()).apply, false);
  assert.equal(await popup.textContent("#clock-text"), `${text} Sites may refuse its codes.`);
  // Only the one request: the popup did not check again, the last check being fresh.
  assert.equal(skewed.requests.length, 1);
  await popup.close();
});

test("an offset past an hour is never applied", async () => {
  await extension.worker.evaluate(
    (site) => chrome.storage.local.set({ clock: { site, offsetMs: 3_700_000, errorMs: 600, checkedAt: Date.now(), apply: true } }),
    skewed.origin,
  );
  const popup = await extension.openPage("popup.html");
  await popup.locator("#clock-banner").waitFor();
  assert.equal(
    await popup.textContent("#clock-text"),
    `Your computer's clock is 3700 seconds slow (± 1 second, checked against ${skewed.host}). Sites may refuse its codes. That is more than an hour: set the right time and time zone in your system's settings.`,
  );
  assert.equal(await popup.locator("#clock-apply").isVisible(), false);
  await waitForCodes(popup, 0);
  await popup.close();
});

test("a clock that is right: no warning, and an old check is made again when the popup opens", async () => {
  const options = await checkOnOptions(right.origin);
  await options.getByText("Clock checked.").waitFor();
  const check = await stored();
  assert.equal(check.site, right.origin);
  // The site changed, so a correction applied for another is not carried over.
  assert.equal(check.apply, false);
  assert.ok(Math.abs(check.offsetMs) <= check.errorMs, JSON.stringify(check));
  assert.match(await options.textContent("#clock-result"), new RegExp(`^${described(check, right.host).text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} Last checked`));
  await options.close();

  const popup = await extension.openPage("popup.html");
  await waitForCodes(popup, 0);
  assert.equal(await popup.locator("#clock-banner").isHidden(), true);
  await popup.close();

  // A check of the skewed site made an hour ago, as if the clock had been wrong then: the
  // popup warns from it at once, checks again (the site now being right), and the warning goes.
  const hourAgo = Date.now() - 3_600_000;
  await extension.worker.evaluate(
    ([site, checkedAt]) => chrome.storage.local.set({ clock: { site, offsetMs: -125_000, errorMs: 600, checkedAt, apply: false } }),
    [right.origin, hourAgo],
  );
  const asked = right.requests.length;
  const again = await extension.openPage("popup.html");
  await again.waitForFunction(
    (since) => chrome.storage.local.get("clock").then(({ clock }) => clock.checkedAt > since),
    hourAgo + 3_000_000,
  );
  await again.locator("#clock-banner").waitFor({ state: "hidden" });
  assert.equal(right.requests.length, asked + 1);
  const renewed = await stored();
  assert.ok(Math.abs(renewed.offsetMs) <= renewed.errorMs, JSON.stringify(renewed));
  await waitForCodes(again, 0);
  await again.close();

  // An applied correction never grows by itself: a re-check that moves it by more than
  // 15 s clears it (the banner asks again); one that moves it less keeps it.
  for (const [offsetMs, kept] of [[-125_000, false], [2_000, true]]) {
    await extension.worker.evaluate(
      ([site, checkedAt, offset]) => chrome.storage.local.set({ clock: { site, offsetMs: offset, errorMs: 600, checkedAt, apply: true } }),
      [right.origin, hourAgo, offsetMs],
    );
    const page = await extension.openPage("popup.html");
    await page.waitForFunction((since) => chrome.storage.local.get("clock").then(({ clock }) => clock.checkedAt > since), hourAgo + 3_000_000);
    assert.equal((await stored()).apply, kept, `applied ${offsetMs} ms, then the site said about 0`);
    await page.close();
  }
});

test("the warning follows the shortest period among the time-based accounts", async () => {
  const SLOW = "otpauth://totp/Slow:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Slow&period=300";
  const COUNTER = "otpauth://hotp/Counter:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Counter&counter=0";
  const store = (uris, offsetMs) =>
    extension.worker.evaluate(
      ([list, site, offset]) =>
        chrome.storage.local.set({
          twofa: { format: "twofa-extension", version: 1, plain: { accounts: list.map((uri, i) => ({ id: `a${i}`, uri })) } },
          clock: { site, offsetMs: offset, errorMs: 600, checkedAt: Date.now(), apply: false },
        }),
      [uris, right.origin, offsetMs],
    );
  // [accounts, offset, warned]: 125 s is too far for 30-second codes, not for 300-second ones
  // (half is 150 s); 160 s is; HOTP codes have no period.
  for (const [uris, offsetMs, warned] of [
    [[SLOW, ACME], -125_000, true],
    [[SLOW, COUNTER], -125_000, false],
    [[SLOW], -160_000, true],
    [[SLOW], 150_600, false],
    [[SLOW], 150_601, true],
    [[COUNTER], -3_000_000, false],
  ]) {
    await store(uris, offsetMs);
    const popup = await extension.openPage("popup.html");
    assert.equal(await popup.locator("#clock-banner").isVisible(), warned, `${uris.length} accounts, ${offsetMs} ms`);
    await popup.close();
  }
});
