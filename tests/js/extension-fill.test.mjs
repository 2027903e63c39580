// Filling codes into pages, the phishing guard and the site match (www/extension: lib/fill.js,
// lib/sites.js, lib/fill-command.js and the popup), with the extension loaded into Debian's
// Chromium as extension.test.mjs loads it. Test pages are served on 127.0.0.1; the same
// server reached as `localhost` (and `login.acme.localhost`, which Chromium resolves to
// the loopback address itself) is another site. Every code a page receives is checked
// against the package's own computation in Node, and any console error fails the test.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, afterEach, before, test } from "node:test";
import { clearStatus, codesAround, launchExtension } from "./extension-kit.mjs";
import { artifact, nodeEntries } from "./helpers.mjs";
import { guessSite, hostOf, matchesEntry, registered, siteMatches, siteOf, sitesOf } from "../../www/extension/lib/sites.js";

const twofa = await nodeEntries("twofa", "qr", "vault");
/** A URI as the extension stores it: rebuilt by twofa. */
const stored = (uri) => twofa.buildUri(twofa.parseUri(uri));

const GITHUB = stored("otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub");
const OTHER = stored("otpauth://totp/Other:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Other&digits=8");
const ZED = stored("otpauth://totp/Zed:cy?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Zed");
const ACME = stored("otpauth://totp/ACME:dee?secret=KRUGKIDROVUWG2ZAMJZG653OEBTG66BA&issuer=ACME");
const SCANNED = "otpauth://totp/Scanned:eve?secret=ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU&issuer=Scanned";

/** The test pages, by path. */
const PAGES = {
  // One field marked for the code, after a hidden one that must be left alone; every event
  // the field gets is recorded.
  "/single": `<!doctype html><title>Sign in</title>
    <form><label>Email <input type="email" id="email"></label>
    <input autocomplete="one-time-code" id="hidden" style="display:none">
    <label>Code <input autocomplete="one-time-code" inputmode="numeric" id="otp"></label></form>
    <script>
      window.seen = [];
      const otp = document.getElementById("otp");
      otp.addEventListener("input", (e) => seen.push(["input", e.constructor.name, e.inputType, e.data, e.bubbles]));
      otp.addEventListener("change", (e) => seen.push(["change", e.bubbles]));
    </script>`,
  // Six one-digit boxes, each in its own cell, as a sign-in widget makes them: it keeps the
  // digits it was given by input events, shows them joined, and moves the focus on; and a
  // lone one-character box elsewhere that is not part of the code.
  "/boxes": `<!doctype html><title>Enter the code</title>
    <p><label>Middle initial <input maxlength="1" id="initial"></label></p>
    <p>Enter the 6-digit code</p>
    <div id="row">${[1, 2, 3, 4, 5, 6].map((i) => `<span class="cell"><input maxlength="1" inputmode="numeric" aria-label="Digit ${i}"></span>`).join("")}</div>
    <output id="typed"></output>
    <script>
      const digits = ["", "", "", "", "", ""];
      const boxes = [...document.querySelectorAll("#row input")];
      boxes.forEach((box, i) => box.addEventListener("input", (e) => {
        digits[i] = e.data ?? box.value;
        document.getElementById("typed").textContent = digits.join("");
        if (box.value && boxes[i + 1]) boxes[i + 1].focus();
      }));
    </script>`,
  // A framework-like form: the code lives in the script's state, which only input events
  // change, and the field is rendered from that state again and again, so a value set
  // without events is lost. The field is known by its label alone.
  "/framework": `<!doctype html><title>App</title><div id="app"></div>
    <script>
      const state = { code: "", submitted: null };
      document.getElementById("app").innerHTML =
        '<form id="form"><label for="vc">Verification code</label><input id="vc" name="vc"><button id="go">Verify</button></form><output id="out"></output>';
      const input = document.getElementById("vc");
      function render() {
        if (input.value !== state.code) input.value = state.code;
        document.getElementById("out").textContent = state.submitted === null ? "" : "Submitted: " + state.submitted;
      }
      input.addEventListener("input", (e) => { state.code = e.target.value; render(); });
      document.getElementById("form").addEventListener("submit", (e) => { e.preventDefault(); state.submitted = state.code; render(); });
      setInterval(render, 20);
    </script>`,
  // Two unlabelled inputs: the focused one is the code's.
  "/focused": `<!doctype html><title>Code</title><input id="first"> <input id="second">`,
  // Boxes whose first is marked for the code, as sites mark them for the phone's SMS autofill.
  "/marked-boxes": `<!doctype html><title>Enter the code</title>
    <div id="row"><input maxlength="1" autocomplete="one-time-code">${"<input maxlength=\"1\">".repeat(5)}</div>`,
  // Nothing to fill.
  "/none": `<!doctype html><title>Welcome</title><label>Search <input type="search" id="q"></label>`,
  // A QR code to scan.
  "/qr": `<!doctype html><title>Set up 2FA</title><img src="/qr.svg" width="260" height="260" alt="QR code">`,
};

let server;
let port;
let extension;
let context;
let worker;
let errors;
let site;

before(async () => {
  const qr = twofa.qrSvg(SCANNED, { ecc: "M" });
  server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/qr.svg") return void res.writeHead(200, { "content-type": "image/svg+xml" }).end(qr);
    if (!(path in PAGES)) return void res.writeHead(path === "/favicon.ico" ? 204 : 404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(PAGES[path]);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  port = server.address().port;
  extension = await launchExtension("extension-fill-test");
  ({ context, worker, errors } = extension);
  site = await context.newPage();
});

afterEach(() => assert.deepEqual(errors.splice(0), [], "console errors"));

after(async () => {
  await context?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

const codesFor = (uri, from) => codesAround(twofa, uri, from);

/** Stores `accounts` ([{ id, uri, sites? }]) as the extension stores them without a passphrase. */
const storeAccounts = (accounts) =>
  worker.evaluate((a) => chrome.storage.local.set({ twofa: { format: "twofa-extension", version: 1, plain: { accounts: a } } }), accounts);
const storedAccounts = async () => (await extension.stored()).twofa.plain.accounts;

/** Opens the test page `path` on `host` in the site tab, the active tab of the normal window. */
async function visit(path, host = "127.0.0.1") {
  await site.goto(`http://${host}:${port}${path}`);
  await site.bringToFront();
}

/** Opens the popup in a window of its own, over the site tab, as the toolbar button does. */
async function openPopup() {
  const url = `chrome-extension://${extension.extensionId}/popup.html`;
  const [popup] = await Promise.all([
    context.waitForEvent("page", (p) => p.url() === url),
    worker.evaluate((u) => chrome.windows.create({ url: u, type: "popup", width: 380, height: 620, focused: false }), url),
  ]);
  await popup.waitForSelector("body[data-ready=true]");
  return popup;
}

/** Waits until the popup's status line says exactly `text`. */
const said = (popup, text) =>
  popup.waitForFunction((t) => document.getElementById("status").textContent === t, text, { timeout: 10_000 }).catch(async (err) => {
    throw new Error(`${err.message}; the popup says: ${await popup.textContent("#status")}`);
  });
const fillButton = (popup, name) => popup.getByRole("button", { name: `Fill the code for ${name} into the page`, exact: true });
/** The accounts' names in the order the popup lists them, with "This site" where marked. */
const listed = (popup) =>
  popup.locator(".account").evaluateAll((rows) => rows.map((r) => `${r.querySelector(".code").dataset.name}${r.querySelector(".site-badge") ? ` [${r.querySelector(".site-badge").textContent}]` : ""}`));

test("sites: host names, matching with subdomains, and the guess from the issuer", () => {
  assert.equal(siteOf("GitHub.com"), "github.com");
  assert.equal(siteOf(" https://login.GitHub.com:8443/path?q=1 "), "login.github.com");
  assert.equal(siteOf("bücher.example"), "xn--bcher-kva.example");
  assert.equal(siteOf("127.0.0.1"), "127.0.0.1");
  assert.equal(siteOf("localhost"), "localhost");
  for (const bad of ["", "exa mple.com", "a_b.com", "-x.com", "x..com", "javascript:alert(1)", `${"a".repeat(64)}.com`]) assert.equal(siteOf(bad), null, bad);
  assert.equal(hostOf("https://github.com/login"), "github.com");
  assert.equal(hostOf("chrome://extensions"), null);
  assert.equal(hostOf("not a url"), null);

  assert.equal(siteMatches("github.com", "github.com"), true);
  assert.equal(siteMatches("github.com", "login.github.com"), true);
  assert.equal(siteMatches("github.com", "evilgithub.com"), false);
  assert.equal(siteMatches("github.com", "github.com.evil.test"), false);
  assert.equal(siteMatches("0.0.1", "127.0.0.1"), false, "an IP address matches only itself");
  assert.equal(siteMatches("127.0.0.1", "127.0.0.1"), true);
  assert.equal(siteMatches("github.com", null), false);

  // A stored list is read, never trusted.
  assert.deepEqual(sitesOf({ sites: ["github.com", "GitHub.com", 7, "github.com", "a b"] }), ["github.com"]);
  assert.deepEqual(sitesOf({}), []);
  assert.equal(matchesEntry({ sites: ["github.com"] }, "gist.github.com"), true);
  assert.equal(matchesEntry({}, "github.com"), false);

  assert.equal(guessSite("GitHub", "login.github.com"), "github.com");
  assert.equal(guessSite("Proton Mail", "account.protonmail.com"), "protonmail.com");
  assert.equal(guessSite("Google", "accounts.google.co.uk"), "google.co.uk");
  assert.equal(guessSite("Com", "example.com"), null, "the top-level label never counts");
  assert.equal(guessSite("GitHub", "evil.test"), null);
  assert.equal(guessSite("ACME", "127.0.0.1"), null);
  assert.equal(guessSite(undefined, "github.com"), null);
  // Only the registered name counts: an issuer's name elsewhere in a host is a phishing address.
  assert.equal(guessSite("GitHub", "github.com-login.xyz"), null);
  assert.equal(guessSite("Google", "google.evil.com"), null);
  assert.equal(guessSite("PayPal", "paypal.secure-login.co"), null);
  assert.equal(guessSite("GitHub", "ada.github.io"), null, "a shared host's customer is not GitHub");
  assert.equal(guessSite("Ada", "ada.github.io"), "ada.github.io");
  assert.equal(registered("login.github.com"), "github.com");
  assert.equal(registered("a.b.google.co.uk"), "google.co.uk");
  assert.equal(registered("127.0.0.1"), "127.0.0.1");
  // A site never covers a whole registry or shared host.
  for (const broad of ["com", "co.uk", "github.io", "uk"]) assert.equal(siteOf(broad), null, broad);
});

test("Fill types the code into a one-time-code field, and the site's accounts come first", async () => {
  await storeAccounts([
    { id: "other", uri: OTHER },
    { id: "github", uri: GITHUB, sites: ["127.0.0.1"] },
    { id: "zed", uri: ZED, sites: ["localhost"] },
  ]);
  await visit("/single");
  const popup = await openPopup();
  // The tab's account first and marked; the others in the user's order.
  assert.deepEqual(await listed(popup), ["GitHub: ada [This site]", "Other: bob", "Zed: cy"]);
  await popup.screenshot({ path: artifact("extension-fill-1-match-first.png"), fullPage: true });
  // Search still works, and keeps the order.
  await popup.getByPlaceholder("Search").fill("e");
  assert.deepEqual(await listed(popup), ["Other: bob", "Zed: cy"]);
  await popup.getByPlaceholder("Search").fill("");

  const from = Date.now();
  await fillButton(popup, "GitHub: ada").click();
  await said(popup, "Filled the code for GitHub: ada.");
  const { value, hidden, email, seen } = await site.evaluate(() => ({
    value: document.getElementById("otp").value,
    hidden: document.getElementById("hidden").value,
    email: document.getElementById("email").value,
    seen: window.seen,
  }));
  assert.ok(codesFor(GITHUB, from).includes(value), value);
  assert.equal(hidden, "", "a hidden field is never filled");
  assert.equal(email, "");
  assert.deepEqual(seen, [["input", "InputEvent", "insertText", value, true], ["change", true]]);
  await popup.close();

  // On the other site, its own account comes first.
  await visit("/single", "localhost");
  const again = await openPopup();
  assert.deepEqual(await listed(again), ["Zed: cy [This site]", "Other: bob", "GitHub: ada"]);
  await again.close();
});

test("Fill types one digit into each of six boxes", async () => {
  await storeAccounts([{ id: "github", uri: GITHUB, sites: ["127.0.0.1"] }]);
  await visit("/boxes");
  const popup = await openPopup();
  const from = Date.now();
  await fillButton(popup, "GitHub: ada").click();
  await said(popup, "Filled the code for GitHub: ada.");
  const { digits, initial, typed } = await site.evaluate(() => ({
    digits: [...document.querySelectorAll("#row input")].map((i) => i.value),
    initial: document.getElementById("initial").value,
    typed: document.getElementById("typed").textContent,
  }));
  assert.equal(initial, "", "a lone box elsewhere is not part of the code");
  assert.ok(digits.every((d) => /^\d$/.test(d)), digits.join(","));
  assert.ok(codesFor(GITHUB, from).includes(digits.join("")), digits.join(""));
  // The widget got each digit from its input event.
  assert.equal(typed, digits.join(""));
  await popup.close();
});

test("Fill takes the focused input, and a row of boxes whose first is marked for the code", async () => {
  await storeAccounts([{ id: "github", uri: GITHUB, sites: ["127.0.0.1"] }]);
  await visit("/focused");
  await site.focus("#second");
  const popup = await openPopup();
  let from = Date.now();
  await fillButton(popup, "GitHub: ada").click();
  await said(popup, "Filled the code for GitHub: ada.");
  assert.equal(await site.inputValue("#first"), "");
  assert.ok(codesFor(GITHUB, from).includes(await site.inputValue("#second")));

  await visit("/marked-boxes");
  await clearStatus(popup);
  from = Date.now();
  await fillButton(popup, "GitHub: ada").click();
  await said(popup, "Filled the code for GitHub: ada.");
  const digits = await site.locator("#row input").evaluateAll((b) => b.map((i) => i.value));
  assert.ok(digits.every((d) => /^\d$/.test(d)), digits.join(","));
  assert.ok(codesFor(GITHUB, from).includes(digits.join("")), digits.join(""));
  await popup.close();
});

test("Fill reaches a framework's state: the form submits the code", async () => {
  await storeAccounts([{ id: "other", uri: OTHER, sites: ["127.0.0.1"] }]);
  await visit("/framework");
  // The page is strict: a value set without events is rendered away.
  await site.evaluate(() => (document.getElementById("vc").value = "11111111"));
  await site.waitForFunction(() => document.getElementById("vc").value === "");
  const popup = await openPopup();
  const from = Date.now();
  await fillButton(popup, "Other: bob").click();
  await said(popup, "Filled the code for Other: bob.");
  await site.getByRole("button", { name: "Verify" }).click();
  const out = await site.locator("#out").textContent();
  const code = out.replace(/^Submitted: /, "");
  assert.match(out, /^Submitted: \d{8}$/);
  assert.ok(codesFor(OTHER, from).includes(code), out);
  assert.equal(await site.inputValue("#vc"), code);
  await popup.close();
});

test("a page with no code field, or a browser page, is said plainly", async () => {
  await storeAccounts([{ id: "other", uri: OTHER, sites: ["127.0.0.1"] }]);
  await visit("/none");
  const popup = await openPopup();
  await fillButton(popup, "Other: bob").click();
  await said(popup, "No code field was found on this page. Click the field, then choose Fill again.");
  assert.equal(await site.inputValue("#q"), "", "a search field is not a code field");
  // A page that left the host its site was checked for gets nothing, and the popup says so.
  await visit("/single");
  const moved = await popup.evaluate(async () => {
    const { fillTab } = await import("./lib/fill.js");
    const [tab] = await chrome.tabs.query({ url: "http://127.0.0.1/*" });
    return fillTab(tab.id, "123456", "elsewhere.example");
  });
  assert.deepEqual(moved, { field: null, boxes: 0, moved: true });
  assert.equal(await site.inputValue("#otp"), "");
  await popup.close();
  await site.goto("about:blank");
  await site.bringToFront();
  const blank = await openPopup();
  await fillButton(blank, "Other: bob").click();
  await said(blank, "Codes can be filled only into web pages (http or https).");
  await blank.close();
});

test("the phishing guard asks on another site, names it, and fills nothing when cancelled", async () => {
  await storeAccounts([{ id: "github", uri: GITHUB, sites: ["127.0.0.1"] }]);
  await visit("/single", "localhost");
  const popup = await openPopup();
  const dialog = popup.getByRole("dialog", { name: "Fill the code on this site?" });
  await fillButton(popup, "GitHub: ada").click();
  await dialog.waitFor();
  assert.equal(await popup.textContent("#fill-ask-text"), "This page is localhost, which is not a site of GitHub (127.0.0.1). Fill the code anyway?");
  const remember = dialog.getByLabel("Remember localhost as a site of GitHub.");
  await popup.screenshot({ path: artifact("extension-fill-2-guard.png") });
  assert.equal(await remember.isChecked(), false, "a site that does not match is never remembered unasked");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await said(popup, "Nothing was filled.");
  assert.equal(await site.inputValue("#otp"), "");
  assert.deepEqual(await site.evaluate(() => window.seen), []);
  assert.deepEqual(await storedAccounts(), [{ id: "github", uri: GITHUB, sites: ["127.0.0.1"] }]);

  // Escape cancels too.
  await fillButton(popup, "GitHub: ada").click();
  await dialog.waitFor();
  await popup.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await site.inputValue("#otp"), "");

  // Fill anyway, remembering the site: the next fill does not ask.
  let from = Date.now();
  await fillButton(popup, "GitHub: ada").click();
  await remember.check();
  await dialog.getByRole("button", { name: "Fill" }).click();
  await said(popup, "Filled the code for GitHub: ada.");
  assert.ok(codesFor(GITHUB, from).includes(await site.inputValue("#otp")));
  assert.deepEqual(await storedAccounts(), [{ id: "github", uri: GITHUB, sites: ["127.0.0.1", "localhost"] }]);
  await visit("/single", "localhost");
  await clearStatus(popup);
  from = Date.now();
  await fillButton(popup, "GitHub: ada").click();
  await said(popup, "Filled the code for GitHub: ada.");
  assert.equal(await dialog.isVisible(), false);
  assert.ok(codesFor(GITHUB, from).includes(await site.inputValue("#otp")));
  await popup.close();
});

test("an account with no sites asks too, offering the site its issuer names", async () => {
  await storeAccounts([{ id: "acme", uri: ACME }, { id: "other", uri: OTHER }]);
  await visit("/single", "login.acme.localhost");
  const popup = await openPopup();
  const dialog = popup.getByRole("dialog", { name: "Fill the code on this site?" });
  await fillButton(popup, "ACME: dee").click();
  await dialog.waitFor();
  assert.equal(await popup.textContent("#fill-ask-text"), "This page is login.acme.localhost. ACME has no sites yet, and its name matches acme.localhost. Fill the code?");
  // Offered, never checked: the user chooses to remember it.
  const remember = dialog.getByLabel("Remember acme.localhost as a site of ACME.");
  assert.equal(await remember.isChecked(), false);
  await remember.check();
  const from = Date.now();
  await dialog.getByRole("button", { name: "Fill" }).click();
  await said(popup, "Filled the code for ACME: dee.");
  assert.ok(codesFor(ACME, from).includes(await site.inputValue("#otp")));
  assert.deepEqual(await storedAccounts(), [{ id: "acme", uri: ACME, sites: ["acme.localhost"] }, { id: "other", uri: OTHER }]);

  // No guess: the page's own host is offered, unchecked.
  await fillButton(popup, "Other: bob").click();
  await dialog.waitFor();
  assert.equal(await popup.textContent("#fill-ask-text"), "This page is login.acme.localhost. Other has no sites yet, so twofa cannot tell whether this page is one of them. Fill the code anyway?");
  assert.equal(await dialog.getByLabel("Remember login.acme.localhost as a site of Other.").isChecked(), false);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await said(popup, "Nothing was filled.");
  assert.deepEqual(await storedAccounts(), [{ id: "acme", uri: ACME, sites: ["acme.localhost"] }, { id: "other", uri: OTHER }]);
  await popup.close();
});

test("Edit sets an account's sites; a scan gives the scanned site", async () => {
  await storeAccounts([{ id: "github", uri: GITHUB }]);
  await visit("/qr");
  const popup = await openPopup();
  await popup.getByRole("button", { name: "Edit GitHub: ada" }).click();
  const sites = popup.getByLabel("Sites");
  assert.equal(await sites.inputValue(), "");
  await sites.fill("github.com, exa_mple");
  await popup.getByRole("button", { name: "Save" }).click();
  assert.equal(await popup.textContent("#e-sites-error"), "Not a site: “exa_mple”. Enter a host name such as github.com.");
  assert.deepEqual(await storedAccounts(), [{ id: "github", uri: GITHUB }], "an error saves nothing");
  await sites.fill("GitHub.com  https://gist.github.com/x, github.com");
  await popup.getByRole("button", { name: "Save" }).click();
  await said(popup, "Saved.");
  assert.deepEqual(await storedAccounts(), [{ id: "github", uri: GITHUB, sites: ["github.com", "gist.github.com"] }]);
  await popup.getByRole("button", { name: "Edit GitHub: ada" }).click();
  assert.equal(await sites.inputValue(), "github.com, gist.github.com");
  await sites.fill("");
  // The status still says "Saved." from the save before: cleared, so that only this save's counts.
  await clearStatus(popup);
  await popup.getByRole("button", { name: "Save" }).click();
  await said(popup, "Saved.");
  assert.deepEqual(await storedAccounts(), [{ id: "github", uri: GITHUB }], "no sites: the field is left out");

  // Scanning the QR code shown on 127.0.0.1 gives the new account that site.
  await popup.getByRole("button", { name: "Add account" }).click();
  await popup.getByRole("button", { name: "Scan QR code on this page" }).click();
  await said(popup, "Added 1 account.");
  const [, scanned] = await storedAccounts();
  assert.deepEqual(scanned.sites, ["127.0.0.1"]);
  assert.equal(scanned.uri, stored(SCANNED));
  await popup.close();
});

/**
 * Runs the fill shortcut's handler: headless Chromium cannot press a browser command, so
 * the test calls, in the service worker, the function its chrome.commands listener calls
 * (lib/fill-command.js exposes it as globalThis.fillCommand).
 */
/**
 * The shortcut's handler, called as the command's listener calls it: with the tab the
 * command came from (`{ id, url }`), or, as some browsers give none, without one.
 */
const shortcut = ({ withTab = true } = {}) =>
  worker.evaluate(async (given) => {
    const [tab] = given ? await chrome.tabs.query({ active: true, url: ["http://127.0.0.1/*", "http://localhost/*"] }) : [];
    return globalThis.fillCommand(tab && { id: tab.id, url: tab.url });
  }, withTab);

test("the fill shortcut fills the one matching account, and only then", async () => {
  await storeAccounts([
    { id: "other", uri: OTHER, sites: ["localhost"] },
    { id: "github", uri: GITHUB, sites: ["127.0.0.1"] },
  ]);
  await visit("/single");
  let from = Date.now();
  assert.equal(await shortcut(), "filled");
  assert.ok(codesFor(GITHUB, from).includes(await site.inputValue("#otp")));
  await visit("/boxes");
  from = Date.now();
  assert.equal(await shortcut({ withTab: false }), "filled");
  assert.ok(codesFor(GITHUB, from).includes((await site.locator("#row input").evaluateAll((b) => b.map((i) => i.value))).join("")));

  // One account, but not of this site, or with no sites at all: never filled without asking.
  for (const only of [{ id: "other", uri: OTHER, sites: ["localhost"] }, { id: "other", uri: OTHER }]) {
    await storeAccounts([only]);
    await visit("/single");
    assert.notEqual(await shortcut(), "filled", JSON.stringify(only));
    assert.equal(await site.inputValue("#otp"), "");
    for (const p of context.pages().filter((p) => p.url().endsWith("/popup.html"))) await p.close();
  }
  await storeAccounts([
    { id: "other", uri: OTHER, sites: ["localhost"] },
    { id: "github", uri: GITHUB, sites: ["127.0.0.1"] },
  ]);

  // Two accounts for the site: the shortcut fills nothing, and opens the popup or marks the button.
  await storeAccounts([
    { id: "other", uri: OTHER, sites: ["127.0.0.1"] },
    { id: "github", uri: GITHUB, sites: ["127.0.0.1"] },
  ]);
  await visit("/single");
  const outcome = await shortcut();
  assert.ok(["popup", "badge"].includes(outcome), outcome);
  assert.equal(await site.inputValue("#otp"), "");
  if (outcome === "badge") {
    // The browser would not open the popup: the tab's button says to open it, until it is.
    const badge = () => worker.evaluate(async () => {
      const [tab] = await chrome.tabs.query({ url: "http://127.0.0.1/*" });
      return [await chrome.action.getBadgeText({ tabId: tab.id }), await chrome.action.getTitle({ tabId: tab.id })];
    });
    assert.deepEqual(await badge(), ["?", "twofa: open it to choose the account to fill"]);
    const popup = await openPopup();
    assert.deepEqual(await listed(popup), ["Other: bob [This site]", "GitHub: ada [This site]"]);
    assert.deepEqual(await badge(), ["", "twofa Authenticator"]);
  }
  for (const p of context.pages().filter((p) => p.url().endsWith("/popup.html"))) await p.close();

  // In a vault: the background opens it with the session key, as the pages do.
  const key = twofa.VaultKey.derive("correct horse battery staple");
  const vault = key.seal(JSON.stringify({ accounts: [{ id: "github", uri: GITHUB, sites: ["127.0.0.1"] }] }));
  const unlocked = Buffer.from(key.toBytes()).toString("base64");
  key.free();
  await worker.evaluate(([v, k]) => Promise.all([
    chrome.storage.local.set({ twofa: { format: "twofa-extension", version: 1, vault: v } }),
    chrome.storage.session.set({ unlocked: { key: k }, activity: Date.now() }),
  ]), [vault, unlocked]);
  await visit("/single");
  from = Date.now();
  assert.equal(await shortcut(), "filled");
  assert.ok(codesFor(GITHUB, from).includes(await site.inputValue("#otp")));
  // Locked, it fills nothing.
  await worker.evaluate(() => chrome.storage.session.remove(["unlocked", "activity"]));
  await visit("/single");
  assert.notEqual(await shortcut(), "filled");
  assert.equal(await site.inputValue("#otp"), "");
  for (const p of context.pages().filter((p) => p.url().endsWith("/popup.html"))) await p.close();
});

test("the options page names the fill shortcut", async () => {
  const options = await extension.openPage("options.html");
  assert.equal(await options.textContent("#fill-shortcut"),
    "Fill the code of the current site's account with Alt+Shift+F. It fills only when exactly one account has the page's site and the vault is open; otherwise it opens the popup.");
  await options.close();
});
