// The browser extension (www/extension, built by `make extension` into dist/), loaded
// unpacked into Debian's Chromium. Its popup and options page are driven as a user
// drives them, found by role and label; every code shown is checked against the
// package's own computation in Node. Screenshots go to tests/artifacts, and any console
// error fails the test it happened in.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { codeButton, codesAround, DIST, launchExtension, shownCode } from "./extension-kit.mjs";
import { ARTIFACTS, artifact, listFiles, nodeEntries, PKG, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const twofa = await nodeEntries("twofa", "qr", "migration", "vault");
const VERSION = readFileSync(join(ROOT, "Cargo.toml"), "utf8").match(/^version = "([^"]*)"/m)[1];
const MIGRATION = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/migration/cases.json"), "utf8"));
const PASSPHRASE = "correct horse battery staple";

const ACME = "otpauth://totp/ACME%20Co:ada@acme.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co";
const SCANNED = "otpauth://totp/Scanned%20Site:bob@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Scanned%20Site&algorithm=SHA256";

let context;
let server;
let extension;
let worker;
let shots = 0;
let errors = [];
/** The paths each page (and its workers) loaded, in order. */
let loads;
/** The package's files that `page` loaded since `loads[from]`, sorted. */
const packageLoads = (page, from = 0) => loads.get(page).slice(from).filter((p) => p.startsWith("/pkg/")).sort();

/** The package's entries the extension loads: every one but twofa/flows. */
const ENTRIES = ["import", "migration", "qr", "twofa", "vault"];
/** Every file a build must hold, and nothing else (and Chrome's offscreen document, CHROME_ONLY). */
const EXPECTED_FILES = [
  "_locales/en/messages.json", "background.js", "ext.css", "icons/icon-128.png", "icons/icon-16.png", "icons/icon-32.png", "icons/icon-48.png",
  "lib/accounts.js", "lib/autolock.js", "lib/clear-clipboard.js", "lib/clipboard.js", "lib/clock-check.js", "lib/clock.js", "lib/fill-command.js", "lib/fill.js",
  "lib/i18n.js", "lib/import.js", "lib/pictures.js", "lib/reauth.js", "lib/session.js", "lib/sites.js", "lib/store.js", "lib/ui.js", "manifest.json", "options.html",
  "options.js", "popup.html", "popup.js",
  "shared/accounts.js", "shared/dom.js", "shared/qr-worker.js", "shared/qr.js",
  ...ENTRIES.map((e) => `shared/twofa/${e}.js`),
  ...ENTRIES.flatMap((e) => [`pkg/${e}.js`, `pkg/${e}_bg.wasm`]),
].sort();
/** What only Chrome's build holds: Firefox has no offscreen documents. */
const CHROME_ONLY = ["offscreen.html", "offscreen.js"];

function zipEntries(zip) {
  const script = "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({'names':sorted(z.namelist()),'manifest':json.loads(z.read('manifest.json'))}))";
  return JSON.parse(execFileSync("python3", ["-c", script, zip], { encoding: "utf8" }));
}

before(async () => {
  if (existsSync(ARTIFACTS)) for (const old of listFiles(ARTIFACTS).filter((f) => /^extension-\d/.test(f))) rmSync(join(ARTIFACTS, old));
  // A site that shows a QR code to scan.
  const site = join(ROOT, "target/extension-site");
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, "qr.svg"), twofa.qrSvg(SCANNED, { ecc: "M" }));
  writeFileSync(join(site, "index.html"), '<!doctype html><title>Set up 2FA</title><h1>Scan this code</h1><img src="qr.svg" width="260" height="260" alt="QR code">');
  server = await startServer({ mounts: { "/": site } });

  extension = await launchExtension("extension-test");
  ({ context, worker, errors, loads } = extension);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
});

afterEach(() => assert.deepEqual(errors.splice(0), [], "console errors"));

after(async () => {
  await context?.close();
  await server?.close();
});

const shot = (page, name) => page.screenshot({ path: artifact(`extension-${String(++shots).padStart(2, "0")}-${name}.png`), fullPage: true });
const openPage = (file) => extension.openPage(file);

const codesFor = (uri, from) => codesAround(twofa, uri, from);
/**
 * Checks the code the popup shows for `name` against `uri`'s codes from `from` (taken before
 * the action) to after the read: the code is read first, then the window ends.
 */
async function showsCodeOf(popup, name, uri, from) {
  const shown = await shownCode(popup, name);
  assert.ok(codesFor(uri, from).includes(shown), `${name}: ${shown}`);
}

const stored = () => extension.stored();

test("make extension: a zip for each browser, with its own manifest and only what it loads", () => {
  for (const browser of ["chrome", "firefox"]) {
    const zip = join(DIST, `twofa-extension-${browser}-${VERSION}.zip`);
    assert.ok(existsSync(zip), zip);
    const { names, manifest } = zipEntries(zip);
    assert.deepEqual(names, browser === "chrome" ? [...EXPECTED_FILES, ...CHROME_ONLY].sort() : EXPECTED_FILES, browser);
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.manifest_version, 3);
    // Every name the browser shows comes from _locales/.
    assert.equal(manifest.default_locale, "en");
    assert.deepEqual([manifest.name, manifest.short_name, manifest.description], ["__MSG_extName__", "__MSG_extShortName__", "__MSG_extDescription__"]);
    // scripting: Fill, into the tab activeTab grants on a click or the shortcut; no host
    // permission. alarms: the auto-lock with the background stopped; idle (Chrome: Firefox
    // reports no "locked"): the lock with the screen; offscreen (Chrome), clipboardRead and
    // clipboardWrite: a copied code cleared in 30 s.
    const chromeOnly = (...names) => (browser === "chrome" ? names : []);
    assert.deepEqual(manifest.permissions, ["storage", "activeTab", "scripting", "alarms", ...chromeOnly("idle", "offscreen"), "clipboardRead", "clipboardWrite"]);
    assert.deepEqual(manifest.commands["fill-code"], { suggested_key: { default: "Alt+Shift+F", mac: "MacCtrl+Shift+F" }, description: "__MSG_commandFill__" });
    assert.equal(manifest.host_permissions, undefined);
    // The clock check asks for the one site the user chooses, when it is used.
    assert.deepEqual(manifest.optional_host_permissions, ["https://*/*", "http://127.0.0.1/*", "http://localhost/*"]);
    assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    if (browser === "chrome") {
      assert.deepEqual(manifest.background, { service_worker: "background.js", type: "module" });
      assert.equal(manifest.browser_specific_settings, undefined);
      // Chrome 120 fires a packed extension's alarms 30 s after they are set, at the soonest.
      assert.equal(manifest.minimum_chrome_version, "120");
    } else {
      assert.deepEqual(manifest.background, { scripts: ["background.js"], type: "module" });
      assert.equal(manifest.browser_specific_settings.gecko.id, "authenticator@twofa.invalid");
    }
  }
  // What comes from www/shared and the package is copied as it is.
  for (const name of EXPECTED_FILES.filter((n) => /^(shared|pkg)\//.test(n))) {
    const from = name.startsWith("pkg/") ? join(PKG, name.slice(4)) : join(ROOT, "www", name);
    assert.ok(readFileSync(join(DIST, "chrome", name)).equals(readFileSync(from)), name);
  }
  // The build is reproducible: the same inputs give the same bytes.
  const before = readFileSync(join(DIST, `twofa-extension-chrome-${VERSION}.zip`));
  execFileSync(process.execPath, [join(ROOT, "scripts/build-extension.mjs"), PKG, DIST], { stdio: "ignore" });
  assert.ok(before.equals(readFileSync(join(DIST, `twofa-extension-chrome-${VERSION}.zip`))));
});

test("add an account by URI and by hand: the codes are the package's", async () => {
  const popup = await openPage("popup.html");
  // The popup loads the entries it uses, each once: the QR decoder comes with a scan (in its
  // worker), and twofa/flows never.
  assert.deepEqual(packageLoads(popup), [
    "/pkg/migration.js", "/pkg/migration_bg.wasm", "/pkg/twofa.js", "/pkg/twofa_bg.wasm", "/pkg/vault.js", "/pkg/vault_bg.wasm",
  ]);
  await popup.getByText("No accounts yet.").waitFor();
  assert.equal(await popup.getByText("Secrets are stored unencrypted on this computer.").isVisible(), true);
  await popup.getByRole("button", { name: "Add account" }).click();
  await popup.getByLabel("Paste an otpauth:// URI").fill("otpauth://totp/x?secret=JBSW1");
  await popup.getByRole("button", { name: "Add", exact: true }).first().click();
  assert.equal(await popup.textContent("#uri-error"), "Invalid base32 character at position 5.");
  await popup.getByLabel("Paste an otpauth:// URI").fill(ACME);
  let from = Date.now();
  await popup.getByRole("button", { name: "Add", exact: true }).first().click();
  await popup.getByText("Added 1 account.").waitFor();
  await showsCodeOf(popup, "ACME Co: ada@acme.test", ACME, from);
  // The countdown bar holds the share of the period left: seconds shown ≈ width × 30 s.
  const [width, secondsLeft] = await popup.evaluate(() => [
    parseFloat(document.querySelector(".account .countdown .fill").style.width),
    parseInt(document.querySelector(".account .seconds").textContent, 10),
  ]);
  assert.ok(Math.abs((width / 100) * 30 - secondsLeft) <= 1.5, `${width}% and ${secondsLeft}s`);

  // By hand, with advanced settings: SHA-512, 8 digits, 60 s.
  await popup.getByRole("button", { name: "Add account" }).click();
  const form = popup.locator("#manual-form");
  await form.getByLabel("Issuer").fill("Bank");
  await form.getByLabel("Account").fill("ada");
  await form.getByLabel("Key").fill("gezd gnbv gy3t qojq");
  await form.getByText("Advanced settings").click();
  await form.getByLabel("Algorithm").selectOption("SHA512");
  await form.getByLabel("Digits").selectOption("8");
  await form.getByLabel("Period (seconds)").fill("60");
  from = Date.now();
  await form.getByRole("button", { name: "Add" }).click();
  // An 80-bit key works, and the popup says it is weak.
  await popup.getByText("Added 1 account. Note: the secret is 80 bits; 128 bits is the least that is safe.").waitFor();
  const bank = "otpauth://totp/Bank:ada?secret=GEZDGNBVGY3TQOJQ&issuer=Bank&algorithm=SHA512&digits=8&period=60";
  await showsCodeOf(popup, "Bank: ada", bank, from);
  await shot(popup, "accounts");
  await popup.close();
});

test("scan a QR code shown in the current tab", async () => {
  const site = await context.newPage();
  await site.goto(`${server.url}/`);
  await site.bringToFront();
  // The popup opens in its own window, as the toolbar button opens it over the tab.
  await worker.evaluate((url) => chrome.windows.create({ url, type: "popup", width: 380, height: 620, focused: false }), `chrome-extension://${extension.extensionId}/popup.html`);
  const popup = await context.waitForEvent("page", (p) => p.url().endsWith("/popup.html"));
  await popup.waitForSelector("body[data-ready=true]");
  await popup.getByRole("button", { name: "Add account" }).click();
  const beforeScan = loads.get(popup).length;
  const from = Date.now();
  await popup.getByRole("button", { name: "Scan QR code on this page" }).click();
  await popup.getByText("Added 1 account.").waitFor({ timeout: 15_000 }).catch(async (err) => {
    throw new Error(`${err.message}; the popup says: ${await popup.textContent("#scan-error")}`);
  });
  // The QR worker loads twofa/qr alone.
  assert.ok(loads.get(popup).slice(beforeScan).includes("/shared/qr-worker.js"));
  assert.deepEqual(packageLoads(popup, beforeScan), ["/pkg/qr.js", "/pkg/qr_bg.wasm"]);
  await showsCodeOf(popup, "Scanned Site: bob@example.com", SCANNED, from);
  await popup.close();
  await site.close();
});

test("import a Google Authenticator migration link", async () => {
  const options = await openPage("options.html");
  // The options page loads every entry but twofa/flows, each once.
  assert.deepEqual(packageLoads(options), [
    "/pkg/import.js", "/pkg/import_bg.wasm", "/pkg/migration.js", "/pkg/migration_bg.wasm", "/pkg/qr.js", "/pkg/qr_bg.wasm",
    "/pkg/twofa.js", "/pkg/twofa_bg.wasm", "/pkg/vault.js", "/pkg/vault_bg.wasm",
  ]);
  const fixture = MIGRATION[0];
  await options.getByLabel("Or paste it here").fill(fixture.uri);
  await options.getByRole("button", { name: "Import", exact: true }).click();
  await options.getByText(`Imported ${fixture.accounts.length} accounts.`).waitFor();
  await options.close();
  const popup = await openPage("popup.html");
  for (const a of fixture.accounts) {
    const name = [a.issuer, a.account].filter(Boolean).join(": ");
    await codeButton(popup, name).waitFor();
  }
  const bank = fixture.accounts.find((a) => a.type === "hotp");
  const hotp = new twofa.Hotp({ secret: bank.secret, algorithm: bank.algorithm, digits: bank.digits });
  assert.equal(await shownCode(popup, `${bank.issuer}: ${bank.account}`), hotp.generate(bank.counter));
  await popup.getByRole("button", { name: `Next code for ${bank.issuer}: ${bank.account}`, exact: true }).click();
  await codeButton(popup, `${bank.issuer}: ${bank.account}`).filter({ hasText: hotp.generate(bank.counter + 1) }).waitFor();
  await popup.close();
});

test("copy with feedback, search, rename, reorder by dragging and by keys, delete after a confirmation", async () => {
  const popup = await openPage("popup.html");
  const name = "ACME Co: ada@acme.test";
  const from = Date.now();
  await codeButton(popup, name).click();
  await popup.getByText(`Copied the code for ${name}. It will be cleared from the clipboard in 30 seconds.`, { exact: true }).waitFor();
  assert.ok(codesFor(ACME, from).includes(await popup.evaluate(() => navigator.clipboard.readText())));
  // The background clears it in 30 s (extension-background.test.mjs times it); made due now,
  // so that the session holds nothing more below.
  await worker.evaluate(() => chrome.alarms.create("clear-clipboard", { when: Date.now() }));
  for (let i = 0; "copied" in (await worker.evaluate(() => chrome.storage.session.get("copied"))); i++) {
    assert.ok(i < 100, "the copied code forgotten");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(await popup.evaluate(() => navigator.clipboard.readText()), "");

  await popup.getByLabel("Search accounts").fill("bank");
  const items = popup.getByRole("list", { name: "Accounts" }).getByRole("listitem");
  assert.deepEqual((await items.allTextContents()).map((t) => t.slice(0, 4)), ["Bank", "bank"]);
  await popup.getByLabel("Search accounts").fill("zzz");
  await popup.getByText("No account matches.").waitFor();
  await popup.getByLabel("Search accounts").fill("");

  // Each row as issuer and account name, run together: "ACME Coada@acme.test".
  const order = async () => (await popup.locator(".account .who").allTextContents());
  const first = await order();
  await popup.locator(".account").nth(0).dragTo(popup.locator(".account").nth(2));
  await popup.waitForFunction((was) => document.querySelector(".account .who")?.textContent !== was, first[0]);
  const dragged = await order();
  assert.deepEqual(dragged, [first[1], first[2], first[0], ...first.slice(3)]);

  // A dropped link or text is not a row: the order stays.
  await popup.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text/plain", "https://example.com/");
    document.querySelectorAll(".account")[1].dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  assert.deepEqual(await order(), dragged);

  // Moving by keys, even with a double click, moves the account being edited, and the
  // rename lands on it.
  await popup.getByRole("button", { name: `Edit ${name}` }).click();
  await popup.getByRole("button", { name: "Move up" }).dblclick();
  await popup.getByText(/^Moved to place [12] of /).waitFor();
  const place = (await order()).indexOf("ACME Coada@acme.test");
  assert.ok(place === 0 || place === 1, String(place));
  await popup.locator("#view-edit").getByLabel("Issuer").fill("");
  await popup.locator("#view-edit").getByLabel("Account").fill(" ");
  await popup.getByRole("button", { name: "Save" }).click();
  assert.equal(await popup.textContent("#e-issuer-error"), "Enter an issuer or an account name.");
  await popup.locator("#view-edit").getByLabel("Account").fill("ada@acme.test");
  await popup.locator("#view-edit").getByLabel("Issuer").fill("ACME Corp");
  await popup.getByRole("button", { name: "Save" }).click();
  await popup.getByText("Saved.").waitFor();
  // Focus returns to the edited row, not to the top of the list.
  assert.equal(await popup.evaluate(() => document.activeElement.getAttribute("aria-label")), "Edit ACME Corp: ada@acme.test");
  const renamed = await order();
  assert.equal(renamed[place], "ACME Corpada@acme.test");
  assert.deepEqual(renamed.filter((n) => n !== "ACME Corpada@acme.test").sort(), dragged.filter((n) => n !== "ACME Coada@acme.test").sort());

  await popup.getByRole("button", { name: "Edit ACME Corp: ada@acme.test" }).click();
  await popup.getByRole("button", { name: "Delete account" }).click();
  await popup.getByRole("dialog", { name: "Delete ACME Corp: ada@acme.test?" }).getByRole("button", { name: "Cancel" }).click();
  await popup.getByRole("button", { name: "Delete account" }).click();
  await popup.getByRole("dialog", { name: "Delete ACME Corp: ada@acme.test?" }).getByRole("button", { name: "Delete" }).click();
  await popup.getByText("Deleted ACME Corp: ada@acme.test.").waitFor();
  assert.equal(await codeButton(popup, "ACME Corp: ada@acme.test").count(), 0);
  await popup.close();
});

test("a passphrase encrypts the vault; a wrong one is refused and changes nothing", async () => {
  const before = await stored();
  assert.ok(JSON.stringify(before).includes("GEZDGNBVGY3TQOJQ"), "stored unencrypted before");
  const options = await openPage("options.html");
  await options.getByLabel("New passphrase").fill("short");
  await options.getByRole("button", { name: "Set passphrase" }).click();
  assert.equal(await options.textContent("#new-passphrase-error"), "Use at least 8 characters.");
  await options.getByLabel("New passphrase").fill(PASSPHRASE);
  await options.getByLabel("Repeat the passphrase").fill(PASSPHRASE + "!");
  await options.getByRole("button", { name: "Set passphrase" }).click();
  assert.equal(await options.textContent("#confirm-passphrase-error"), "The two passphrases differ.");
  await options.getByLabel("Repeat the passphrase").fill(PASSPHRASE);
  await options.getByRole("button", { name: "Set passphrase" }).click();
  await options.getByText("Passphrase set: your accounts are encrypted.").waitFor();
  await options.getByRole("button", { name: "Lock now" }).click();
  await options.getByText("Locked.", { exact: true }).waitFor();
  await shot(options, "options-locked");
  await options.close();

  // No secret, URI or name in storage: one vault line.
  const sealed = await stored();
  const text = JSON.stringify(sealed.twofa);
  for (const secret of ["GEZDGNBVGY3TQOJQ", "JBSWY3DPEHPK3PXP", "AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU", "otpauth", "ada@example.com"]) assert.ok(!text.includes(secret), secret);
  assert.match(sealed.twofa.vault, /^\$twofa-vault\$v=2\$argon2id\$m=65536,t=3,p=1\$[\w-]{22}\$[\w-]{43}\$[\w-]{32}\$[\w-]+$/);
  assert.deepEqual(await worker.evaluate(() => chrome.storage.session.get(null)), {});

  const popup = await openPage("popup.html");
  await popup.getByRole("heading", { name: "twofa is locked" }).waitFor();
  await popup.getByLabel("Passphrase").fill("wrong horse battery staple");
  await popup.getByRole("button", { name: "Unlock" }).click();
  await popup.getByText("Wrong passphrase. Try again.").waitFor();
  assert.deepEqual(await stored(), sealed, "a wrong passphrase changes nothing");
  await shot(popup, "popup-wrong-passphrase");
  await popup.getByLabel("Passphrase").fill(PASSPHRASE);
  await popup.getByRole("button", { name: "Unlock" }).click();
  await codeButton(popup, "Bank: ada").waitFor();
  // Lock sticks: the session key is gone, and a reopened popup asks again.
  await popup.getByRole("button", { name: "Lock" }).click();
  await popup.getByRole("heading", { name: "twofa is locked" }).waitFor();
  await popup.close();
  assert.deepEqual(await worker.evaluate(() => chrome.storage.session.get(null)), {});
  const reopened = await openPage("popup.html");
  await reopened.getByRole("heading", { name: "twofa is locked" }).waitFor();
  await reopened.getByLabel("Passphrase").fill(PASSPHRASE);
  await reopened.getByRole("button", { name: "Unlock" }).click();
  await codeButton(reopened, "Bank: ada").waitFor();
  await reopened.close();

  // Auto-lock: with "1 minute idle", an unlock last used two minutes ago is gone when the
  // popup opens (the clock is not moved: the last activity is).
  const settings = await openPage("options.html");
  await settings.getByLabel("Lock after").selectOption("1");
  await settings.getByText("Saved.").waitFor();
  await settings.close();
  await worker.evaluate(async () => {
    await chrome.storage.session.set({ activity: Date.now() - 120_000 });
  });
  const idle = await openPage("popup.html");
  await idle.getByRole("heading", { name: "twofa is locked" }).waitFor();
  assert.deepEqual(await worker.evaluate(() => chrome.storage.session.get(null)), {});
  await idle.getByLabel("Passphrase").fill(PASSPHRASE);
  await idle.getByRole("button", { name: "Unlock" }).click();
  await codeButton(idle, "Bank: ada").waitFor();
  await idle.close();
  const reset = await openPage("options.html");
  await reset.getByLabel("Lock after").selectOption("15");
  await reset.getByText("Saved.").waitFor();
  // The keyboard shortcut that opens the popup, as the browser reports it.
  assert.equal(await reset.textContent("#shortcut-keys"), "Ctrl+Shift+Y");
  await reset.close();
});

test("reopened, the popup keeps the accounts, their order and the unlock", async () => {
  const first = await openPage("popup.html");
  const order = await first.locator(".account .issuer").allTextContents();
  await first.close();
  const again = await openPage("popup.html");
  assert.deepEqual(await again.locator(".account .issuer").allTextContents(), order);
  // The HOTP counter that "Next code" moved on was saved.
  const bank = MIGRATION[0].accounts.find((a) => a.type === "hotp");
  const hotp = new twofa.Hotp({ secret: bank.secret, algorithm: bank.algorithm, digits: bank.digits });
  assert.equal(await shownCode(again, `${bank.issuer}: ${bank.account}`), hotp.generate(bank.counter + 1));
  assert.ok(order.length >= 6, order.join());
  await shot(again, "popup-reopened");
  await again.close();
});

test("export an encrypted backup, clear everything, and import the backup again", async () => {
  const options = await openPage("options.html");
  const [download] = await Promise.all([options.waitForEvent("download"), options.getByRole("button", { name: "Download encrypted backup" }).click()]);
  assert.match(download.suggestedFilename(), /^twofa-backup-\d{4}-\d{2}-\d{2}\.twofa$/);
  const backupPath = join(ROOT, "target/extension-backup.twofa");
  await download.saveAs(backupPath);
  const backup = readFileSync(backupPath, "utf8");
  assert.equal(backup, `${(await stored()).twofa.vault}\n`);

  // The phone export: Google Authenticator QR codes that hold the accounts, after the
  // passphrase is given again (tests/js/extension-guard.test.mjs walks a wrong one).
  const reauth = options.getByRole("dialog", { name: "Enter your passphrase again" });
  await options.getByRole("button", { name: "Show export QR codes" }).click();
  await reauth.getByLabel("Current passphrase").fill(PASSPHRASE);
  await reauth.getByRole("button", { name: "Continue" }).click();
  await options.getByRole("img", { name: /^Export QR code 1 of \d+$/ }).waitFor();
  // The plain list only behind the acknowledgement, and the passphrase again.
  assert.equal(await options.getByRole("button", { name: "Show the list" }).isDisabled(), true);
  await options.getByLabel("I understand: show the secrets in plain text").check();
  await options.getByRole("button", { name: "Show the list" }).click();
  await reauth.getByLabel("Current passphrase").fill(PASSPHRASE);
  await reauth.getByRole("button", { name: "Continue" }).click();
  // The list is filled once the accounts are read: wait for it, not for the click.
  await options.locator("#plain-list:not([hidden])").waitFor();
  const plain = (await options.locator("#plain-list").inputValue()).trim().split("\n");
  assert.ok(plain.every((uri) => twofa.parseUri(uri)));
  // Locked meanwhile (the auto-lock, another page): the plain list leaves the screen.
  await worker.evaluate(() => chrome.storage.session.remove(["unlocked", "activity"]));
  await options.getByRole("heading", { name: "Unlock to change settings, import or export" }).waitFor();
  assert.equal(await options.locator("#plain-list").inputValue(), "");
  assert.equal(await options.locator("#plain-list").isVisible(), false);
  assert.equal(await options.locator("#export-codes svg").count(), 0);
  await options.getByLabel("Passphrase", { exact: true }).fill(PASSPHRASE);
  await options.getByRole("button", { name: "Unlock" }).click();
  await options.getByText("Unlocked.").waitFor();
  const listed = await openPage("popup.html");
  const names = await listed.locator(".account .issuer").allTextContents();
  await listed.close();
  await shot(options, "options-export");

  await options.getByRole("button", { name: "Clear all data" }).click();
  await options.getByRole("dialog", { name: "Clear all data?" }).getByRole("button", { name: "Clear all data" }).click();
  await options.getByText("All data cleared.").waitFor();
  assert.deepEqual(await stored(), {});

  // The backup asks for its passphrase; a wrong one writes nothing.
  const importButton = options.getByRole("button", { name: "Import", exact: true });
  await options.getByLabel("A file or picture").setInputFiles(backupPath);
  await importButton.click();
  await options.getByLabel("Password of the export").waitFor();
  assert.equal(await options.textContent("#import-password-hint"), "This is a twofa encrypted backup: enter its passphrase.");
  await options.getByLabel("Password of the export").fill("not the passphrase");
  await importButton.click();
  await options.locator("#import-password-error").getByText("Wrong password. The passphrase does not open this twofa backup. Try again.").waitFor();
  assert.deepEqual(await stored(), {});
  // Restored into a store with no passphrase: the backup's becomes it before anything is
  // written, so no secret is ever stored unencrypted.
  await options.getByLabel("Password of the export").fill(PASSPHRASE);
  await importButton.click();
  const seal = options.getByRole("dialog", { name: "Keep the restored accounts encrypted" });
  assert.equal(await seal.getByLabel("Use the password you just entered as the passphrase").isChecked(), true);
  await seal.getByRole("button", { name: "Set the passphrase and import" }).click();
  await options.getByText(`Imported ${names.length} accounts. Passphrase set: your accounts are encrypted.`).waitFor();
  const restored = await stored();
  assert.deepEqual(Object.keys(restored.twofa).sort(), ["format", "vault", "version"]);
  assert.notEqual(restored.twofa.vault, backup.trim(), "sealed anew, under a new salt");
  const text = JSON.stringify(restored);
  for (const secret of ["otpauth", ...plain.map((uri) => twofa.parseUri(uri).secret)]) assert.ok(!text.includes(secret), "a secret in storage");
  const key = twofa.VaultKey.unlock(PASSPHRASE, restored.twofa.vault);
  assert.deepEqual(JSON.parse(key.open(restored.twofa.vault)).accounts.map((a) => a.uri).sort(), [...plain].sort());
  key.free();
  await options.close();
  const popup = await openPage("popup.html");
  assert.deepEqual(await popup.locator(".account .issuer").allTextContents(), names);
  await popup.close();
});

test("an Aegis plain export and a picture of an export QR code import, and the dark theme applies", async () => {
  const aegis = {
    version: 1,
    header: { slots: null, params: null },
    db: {
      version: 3,
      entries: [
        { type: "totp", name: "carol", issuer: "Aegis Site", info: { secret: "JBSWY3DPEHPK3PXP", algo: "SHA1", digits: 6, period: 30 } },
        { type: "steam", name: "gamer", issuer: "Steam", info: { secret: "BASE32SECRET3232", algo: "SHA1", digits: 5, period: 30 } },
        { type: "motp", name: "x", issuer: "Old", info: { secret: "JBSWY3DPEHPK3PXP" } },
      ],
    },
  };
  const options = await openPage("options.html");
  await options.getByLabel("Or paste it here").fill(JSON.stringify(aegis));
  await options.getByRole("button", { name: "Import", exact: true }).click();
  // Read by twofa/import: the entry left out and the notes are listed by entry number.
  await options.getByText("Imported 2 accounts. One entry was left out, and there are 2 notes: see the list under the form.").waitFor();
  assert.equal(await options.textContent("#import-report-summary"), "One entry was left out, and there are 2 notes:");
  assert.deepEqual(await options.getByRole("list", { name: "One entry was left out, and there are 2 notes:" }).getByRole("listitem").allTextContents(), [
    "Entry 3: left out: mOTP accounts are not supported.",
    "Entry 1 (carol): the secret is 80 bits; 128 bits is the least that is safe.",
    "Entry 2 (gamer): the secret is 80 bits; 128 bits is the least that is safe.",
  ]);
  assert.ok(!(await options.textContent("#import")).includes("JBSWY3DP"), "no secret is shown");
  await shot(options, "options-import-report");
  // A picture of a Google Authenticator export QR code (made by segno, turned 90°).
  await options.getByLabel("A file or picture").setInputFiles(join(ROOT, "tests/fixtures/qr/segno-rot90.png"));
  await options.getByRole("button", { name: "Import", exact: true }).click();
  await options.getByText("Imported 1 account.").waitFor();
  await options.getByLabel("Theme").selectOption("dark");
  await options.getByText("Saved.", { exact: true }).waitFor();
  await options.close();
  const from = Date.now();
  const popup = await openPage("popup.html");
  const steam = "otpauth://totp/Steam:gamer?secret=BASE32SECRET3232&encoder=steam";
  await showsCodeOf(popup, "Steam: gamer", steam, from);
  const pictured = twofa.parseMigrationUri(JSON.parse(readFileSync(join(ROOT, "tests/fixtures/qr/expected.json"), "utf8"))["segno-rot90.png"][0]).accounts[0];
  await showsCodeOf(popup, `${pictured.issuer}: ${pictured.account}`, twofa.buildUri(pictured), from);
  assert.equal(await popup.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await popup.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(20, 24, 30)");
  await shot(popup, "popup-dark");
  const unnamed = await popup.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || (e.matches("button") && e.textContent.trim())))
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  await popup.close();
});

test("odd imports: Windows line ends, a byte-order mark, raw spaces, junk, and one batch of two", async () => {
  const options = await openPage("options.html");
  const bulk = Array.from({ length: 12 }, (_, i) => ({ secret: `JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX${"ABCDEFGHIJKL"[i]}`, issuer: "Bulk", account: `user${i}` }));
  const { uris } = twofa.buildMigrationUris(bulk);
  assert.equal(uris.length, 2);
  const text = [
    "\uFEFFotpauth://totp/My Bank:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=My Bank",
    "",
    "not a uri with JBSWY3DPEHPK3PXP in it",
    uris[0],
  ].join("\r\n");
  await options.getByLabel("Or paste it here").fill(text);
  await options.getByRole("button", { name: "Import", exact: true }).click();
  const status = options.locator("#status");
  const expected = 1 + twofa.parseMigrationUri(uris[0]).accounts.length;
  await options.getByText(new RegExp(`^Imported ${expected} accounts\\.`)).waitFor({ timeout: 5000 }).catch(async (err) => {
    throw new Error(`${err.message}; status: ${await status.textContent()}; error: ${await options.textContent("#import-text-error")}`);
  });
  assert.equal(await status.textContent(), `Imported ${expected} accounts. One entry was left out, and there is one note: see the list under the form.`);
  assert.deepEqual(await options.locator("#import-notes li").allTextContents(), [
    "Entry 2: left out: the line is not an otpauth:// URI.",
    // The batch is the first of two QR codes: the second's accounts are missing.
    "The file: the export has 2 qr codes and 1 was given: the accounts of the others are missing.",
  ]);
  assert.ok(!(await options.textContent("#import")).includes("JBSWY3DP"), "a skipped line's text is never shown");
  await options.close();
  const popup = await openPage("popup.html");
  await codeButton(popup, "My Bank: me").waitFor();
  await codeButton(popup, `Bulk: user${expected - 2}`).waitFor();
  await popup.close();
});

/**
 * A vault the extension stored before vault version 2: sealed by twofa at 8cb1860 at the
 * default cost with PASSPHRASE, holding `{ accounts: [{ id: "before-v2", uri: Old Bank: ada }] }`.
 */
const VAULT_V1 = "$twofa-vault$v=1$argon2id$m=65536,t=3,p=1$Hq20msHGRSWFdENgyeKpEw$IHQGWtdX4P0vKBXIYSe9tYAvVC0iwSQI$iUzdd-yHa_7ArL_TqjZM9Hm1rXYoFESScBSvWTl4ZqPARoZ-rtNWbp4bWBZgfAmmevp2ph9a3uTaSKkxs9aF7nVFlVDrPyHcFfaYhHcRfH7toY-Xfke1g9PvO3B8rCc27jzcDAllX7VfglvhEyohJwRDMW-0VTkL0hOUxUlPjRSIu5zN6gpimSbVOU3toMmreva2wlQmjrkSXAxk3ASAZbn6HA";

test("a vault stored before version 2 unlocks as it was, and the next change seals version 2", async () => {
  await worker.evaluate(async (vault) => {
    await chrome.storage.session.remove(["unlocked", "activity"]);
    await chrome.storage.local.set({ twofa: { format: "twofa-extension", version: 1, vault } });
  }, VAULT_V1);
  const popup = await openPage("popup.html");
  await popup.getByRole("heading", { name: "twofa is locked" }).waitFor();
  await popup.getByLabel("Passphrase").fill(PASSPHRASE);
  await popup.getByRole("button", { name: "Unlock" }).click();
  await codeButton(popup, "Old Bank: ada").waitFor();
  assert.equal((await stored()).twofa.vault, VAULT_V1, "unlocking writes nothing");
  // The passphrase is ASCII, so NFC: the unlocked key seals version 2 at the next change.
  await popup.getByRole("button", { name: "Edit Old Bank: ada" }).click();
  await popup.getByRole("button", { name: "Delete account" }).click();
  await popup.getByRole("dialog", { name: "Delete Old Bank: ada?" }).getByRole("button", { name: "Delete" }).click();
  await popup.getByText("Deleted Old Bank: ada.").waitFor();
  const moved = (await stored()).twofa.vault;
  assert.match(moved, /^\$twofa-vault\$v=2\$argon2id\$m=65536,t=3,p=1\$[\w-]{22}\$[\w-]{43}\$[\w-]{32}\$[\w-]+$/);
  // Same salt and cost: the same passphrase opens it.
  assert.equal(moved.split("$")[5], VAULT_V1.split("$")[5]);
  const key = twofa.VaultKey.unlock(PASSPHRASE, moved);
  assert.deepEqual(JSON.parse(key.open(moved)), { accounts: [] });
  key.free();
  await popup.close();
});

test("data of another version is refused plainly, and Clear all data still works", async () => {
  await worker.evaluate(async () => {
    const { twofa } = await chrome.storage.local.get("twofa");
    await chrome.storage.local.set({ twofa: { ...twofa, version: 2 } });
  });
  const popup = await openPage("popup.html");
  await popup.getByRole("heading", { name: "twofa cannot read its data" }).waitFor();
  assert.equal(await popup.textContent("#error-text"), "The stored data is of a newer version of twofa.");
  await popup.close();
  const options = await openPage("options.html");
  await options.getByText(/^twofa cannot read its data: /).waitFor();
  await options.getByRole("button", { name: "Clear all data" }).click();
  await options.getByRole("dialog", { name: "Clear all data?" }).getByRole("button", { name: "Clear all data" }).click();
  await options.getByText("All data cleared.").waitFor();
  await options.close();
  const fresh = await openPage("popup.html");
  await fresh.getByText("No accounts yet.").waitFor();
  await fresh.close();
});
