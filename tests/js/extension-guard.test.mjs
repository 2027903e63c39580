// The extension's guards (www/extension, loaded unpacked into Debian's Chromium as a user
// loads it): the passphrase asked again before every export that shows secrets and before
// it is changed or removed; a stored vault that asks for gigabytes refused at once;
// passphrases read in NFC; one account's QR code, drawn by twofa/qr exactly as the package
// draws it in Node; "Clear all data" offering a backup that imports back; and two windows
// changing storage at once without either change being lost. Any console error fails the
// test it happened in.
import assert from "node:assert/strict";
import { readFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { codeButton, launchExtension } from "./extension-kit.mjs";
import { ARTIFACTS, artifact, listFiles, nodeEntries, ROOT } from "./helpers.mjs";

const twofa = await nodeEntries("twofa", "qr", "vault");
const PASSPHRASE = "correct horse battery staple";
const WRONG = "wrong horse battery staple";
const WRONG_SAID = "Wrong passphrase. Try again.";
const REFUSED_SAID = "The stored vault asks for more memory or passes than this extension allows (at most 256 MiB and 8 passes), or it is damaged, so it was not opened. Nothing was changed.";

const ACME = "otpauth://totp/ACME%20Co:ada@acme.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co";
const COUNTER = "otpauth://hotp/Counter%20Co:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Counter%20Co&counter=0";
const ACCOUNTS = [ACME, COUNTER].map((uri, i) => ({ id: `guard-${i}`, uri: twofa.buildUri(twofa.parseUri(uri)) }));

let extension;
let shots = 0;

before(async () => {
  if (existsSync(ARTIFACTS)) for (const old of listFiles(ARTIFACTS).filter((f) => f.startsWith("extension-guard-"))) rmSync(join(ARTIFACTS, old));
  extension = await launchExtension("extension-guard-test");
});

afterEach(() => assert.deepEqual(extension.errors.splice(0), [], "console errors"));

after(() => extension?.context.close());

const shot = (page, name) => page.screenshot({ path: artifact(`extension-guard-${String(++shots).padStart(2, "0")}-${name}.png`), fullPage: true });
const stored = () => extension.stored();
const session = () => extension.worker.evaluate(() => chrome.storage.session.get(null));

/** A sealed vault of `accounts` under `passphrase`, made by the package in Node. */
function sealed(accounts, passphrase = PASSPHRASE) {
  const key = twofa.VaultKey.derive(passphrase);
  try {
    return key.seal(JSON.stringify({ accounts }));
  } finally {
    key.free();
  }
}

/** The accounts a vault holds, opened by the package in Node. */
function opened(vault, passphrase) {
  const key = twofa.VaultKey.unlock(passphrase, vault);
  try {
    return JSON.parse(key.open(vault)).accounts;
  } finally {
    key.free();
  }
}

/** Starts over with `record` as the stored "twofa" (or nothing), and nothing unlocked. */
const seed = (record) =>
  extension.worker.evaluate(async (twofa) => {
    await chrome.storage.local.clear();
    await chrome.storage.session.clear();
    if (twofa) await chrome.storage.local.set({ twofa });
  }, record ?? null);

const plainRecord = (accounts = ACCOUNTS) => ({ format: "twofa-extension", version: 1, plain: { accounts } });
const vaultRecord = (vault) => ({ format: "twofa-extension", version: 1, vault });

/** Unlocks the page's unlock form (popup or options page) with `passphrase`. */
async function unlock(page, passphrase = PASSPHRASE) {
  await page.locator("#unlock-passphrase").fill(passphrase);
  await page.getByRole("button", { name: "Unlock" }).click();
}

/** The re-authentication dialog, once it is open. */
async function reauth(page, text) {
  const dialog = page.getByRole("dialog", { name: "Enter your passphrase again" });
  await dialog.waitFor();
  assert.equal(await page.textContent("#reauth-text"), text);
  return dialog;
}

/** Types `passphrase` into the open dialog; a wrong one must leave it open saying so. */
async function answer(page, dialog, passphrase, { wrong = false } = {}) {
  await dialog.getByLabel("Current passphrase").fill(passphrase);
  await dialog.getByRole("button", { name: "Continue" }).click();
  if (wrong) {
    await page.locator("#reauth-passphrase-error").getByText(WRONG_SAID, { exact: true }).waitFor({ timeout: 15_000 });
    assert.equal(await dialog.isVisible(), true, "the dialog stays open");
  } else {
    await dialog.waitFor({ state: "hidden", timeout: 15_000 });
  }
}

/** Opens an extension page in a window of its own, as a second browser window. */
async function openWindow(file) {
  const url = `chrome-extension://${extension.extensionId}/${file}`;
  const [page] = await Promise.all([
    extension.context.waitForEvent("page", (p) => p.url() === url),
    extension.worker.evaluate((u) => chrome.windows.create({ url: u, type: "popup", width: 400, height: 640, focused: false }), url),
  ]);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

test("every export that shows secrets asks for the passphrase again: a wrong one shows nothing", async () => {
  await seed(vaultRecord(sealed(ACCOUNTS)));
  const before = await stored();
  const options = await extension.openPage("options.html");
  await unlock(options);
  await options.getByText("Unlocked.").waitFor();

  // Google Authenticator's QR codes.
  await options.getByRole("button", { name: "Show export QR codes" }).click();
  let dialog = await reauth(options, "These QR codes hold every secret. Enter your passphrase to show them.");
  await answer(options, dialog, WRONG, { wrong: true });
  assert.equal(await options.locator("#export-codes svg").count(), 0);
  await shot(options, "reauth-wrong");
  await answer(options, dialog, PASSPHRASE);
  await options.getByRole("img", { name: "Export QR code 1 of 1" }).waitFor();

  // The plain list, shown: cancelled, then wrong, then right.
  await options.getByLabel("I understand: show the secrets in plain text").check();
  await options.getByRole("button", { name: "Show the list" }).click();
  dialog = await reauth(options, "The plain list shows every secret. Enter your passphrase to show it.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await options.locator("#plain-list").isVisible(), false);
  await options.getByRole("button", { name: "Show the list" }).click();
  dialog = await reauth(options, "The plain list shows every secret. Enter your passphrase to show it.");
  await dialog.getByRole("button", { name: "Continue" }).click();
  assert.equal(await options.textContent("#reauth-passphrase-error"), "Enter your passphrase.");
  await answer(options, dialog, WRONG, { wrong: true });
  assert.equal(await options.locator("#plain-list").inputValue(), "");
  assert.equal(await options.locator("#plain-list").isVisible(), false);
  await answer(options, dialog, PASSPHRASE);
  await options.locator("#plain-list:not([hidden])").waitFor();
  assert.equal(await options.locator("#plain-list").inputValue(), `${ACCOUNTS.map((a) => a.uri).join("\n")}\n`);

  // The plain list, downloaded: nothing is downloaded on a wrong passphrase.
  const downloads = [];
  options.on("download", (d) => downloads.push(d));
  await options.getByRole("button", { name: "Download the list" }).click();
  dialog = await reauth(options, "The plain list holds every secret. Enter your passphrase to download it.");
  await answer(options, dialog, WRONG, { wrong: true });
  assert.equal(downloads.length, 0);
  const [download] = await Promise.all([options.waitForEvent("download"), answer(options, dialog, PASSPHRASE)]);
  assert.match(download.suggestedFilename(), /^twofa-accounts-\d{4}-\d{2}-\d{2}\.txt$/);
  const path = join(ROOT, "target/extension-guard-plain.txt");
  await download.saveAs(path);
  assert.equal(readFileSync(path, "utf8"), `${ACCOUNTS.map((a) => a.uri).join("\n")}\n`);
  rmSync(path);
  // Checking a passphrase writes nothing.
  assert.deepEqual(await stored(), before);
  await options.close();
});

test("changing and removing the passphrase ask for the current one, and a wrong one changes nothing", async () => {
  await seed(vaultRecord(sealed(ACCOUNTS)));
  const options = await extension.openPage("options.html");
  await unlock(options);
  await options.getByText("Unlocked.").waitFor();
  const before = await stored();
  const NEW = "a brand new passphrase";
  await options.getByLabel("New passphrase").fill(NEW);
  await options.getByLabel("Repeat the passphrase").fill(NEW);
  await options.getByRole("button", { name: "Change passphrase" }).click();
  const dialog = await reauth(options, "Enter your current passphrase to change it.");
  await answer(options, dialog, NEW, { wrong: true });
  assert.deepEqual(await stored(), before, "a wrong passphrase changes nothing");
  await answer(options, dialog, PASSPHRASE);
  await options.getByText("Passphrase changed.").waitFor();
  const changed = (await stored()).twofa.vault;
  assert.notEqual(changed, before.twofa.vault);
  assert.deepEqual(opened(changed, NEW), ACCOUNTS);

  // Removal: confirmed, then the passphrase; the old one is wrong now.
  await options.getByRole("button", { name: "Remove passphrase" }).click();
  await options.getByRole("dialog", { name: "Remove the passphrase?" }).getByRole("button", { name: "Remove" }).click();
  const again = await reauth(options, "Enter your current passphrase to remove it.");
  await answer(options, again, PASSPHRASE, { wrong: true });
  assert.equal((await stored()).twofa.vault, changed);
  await answer(options, again, NEW);
  await options.getByText("Passphrase removed.").waitFor();
  assert.deepEqual((await stored()).twofa, plainRecord());

  // Without a passphrase there is nothing to ask: the export shows at once.
  await options.getByRole("button", { name: "Show export QR codes" }).click();
  await options.getByRole("img", { name: "Export QR code 1 of 1" }).waitFor();
  assert.equal(await options.locator("#reauth").isVisible(), false);
  await options.close();
});

/**
 * The size of `page`'s twofa/vault WebAssembly memory, in bytes: the package's init
 * resolves to the module's memory (the page's own instance: shared/twofa/vault.js loaded
 * this same module and initialised it when the page started). Argon2id
 * takes its memory there, and a WebAssembly memory never shrinks, so the size says
 * whether a key of `m` KiB was ever derived in the page.
 */
const vaultMemory = (page) =>
  page.evaluate(async () => (await (await import("./pkg/vault.js")).default()).memory.buffer.byteLength);
const MIB = 1024 * 1024;

test("a stored vault that asks for 4 GiB (or 512 MiB) is refused at once with a sentence, and nothing is overwritten", async () => {
  // "At once" is shown by what did not happen, not by a time: a derivation of even the
  // cheapest forged cost (64 MiB, 9 passes, about 1.4 s here) grows the page's vault memory
  // past 64 MiB, and a budget in wall-clock time over clicks and waits both passes a
  // derivation on a fast machine and fails a refusal on a loaded one. First the contrast:
  // an unlock of the real vault (64 MiB) does grow it.
  const good = sealed(ACCOUNTS);
  await seed(vaultRecord(good));
  const opened = await extension.openPage("popup.html");
  await opened.getByRole("heading", { name: "twofa is locked" }).waitFor();
  assert.ok((await vaultMemory(opened)) < 64 * MIB, "nothing derived yet");
  await unlock(opened);
  await codeButton(opened, "ACME Co: ada@acme.test").waitFor({ timeout: 15_000 });
  assert.ok((await vaultMemory(opened)) >= 64 * MIB, `a derivation shows: ${await vaultMemory(opened)} bytes`);
  await opened.close();

  for (const cost of ["m=4194304,t=3,p=1", "m=524288,t=3,p=1", "m=65536,t=9,p=1"]) {
    const forged = good.replace("m=65536,t=3,p=1", cost);
    assert.notEqual(forged, good);
    await seed(vaultRecord(forged));
    const before = await stored();
    const popup = await extension.openPage("popup.html");
    await popup.getByRole("heading", { name: "twofa is locked" }).waitFor();
    await unlock(popup);
    await popup.locator("#unlock-passphrase-error").getByText(REFUSED_SAID, { exact: true }).waitFor({ timeout: 5000 });
    // Refused from the header, before any key is derived.
    assert.ok((await vaultMemory(popup)) < 64 * MIB, `${cost}: ${await vaultMemory(popup)} bytes of vault memory`);
    if (cost.startsWith("m=4194304")) await shot(popup, "vault-refused");
    await popup.close();
    const options = await extension.openPage("options.html");
    await unlock(options);
    await options.locator("#unlock-passphrase-error").getByText(REFUSED_SAID, { exact: true }).waitFor({ timeout: 5000 });
    assert.ok((await vaultMemory(options)) < 64 * MIB, `${cost}: ${await vaultMemory(options)} bytes of vault memory`);
    await options.close();
    assert.deepEqual(await stored(), before, `${cost}: nothing is overwritten`);
    assert.equal((await session()).unlocked, undefined, "nothing unlocked");
  }
});

test("passphrases are read in NFC: set as one é, typed as e and an accent; length counts characters", async () => {
  await seed(plainRecord());
  const options = await extension.openPage("options.html");
  const field = options.getByLabel("New passphrase");
  const repeat = options.getByLabel("Repeat the passphrase");
  const submit = options.getByRole("button", { name: "Set passphrase" });
  // 7 characters, 8 UTF-16 units: a key emoji is one character.
  const emoji = "s3cret\u{1F511}";
  assert.deepEqual([emoji.length, [...emoji].length], [8, 7]);
  // 8 code points typed, 7 characters once composed.
  const decomposed = "cafe\u0301123";
  assert.deepEqual([[...decomposed].length, [...decomposed.normalize("NFC")].length], [8, 7]);
  for (const short of [emoji, decomposed]) {
    await field.fill(short);
    await repeat.fill(short);
    await submit.click();
    assert.equal(await options.textContent("#new-passphrase-error"), "Use at least 8 characters.");
    assert.deepEqual((await stored()).twofa, plainRecord(), "nothing is set");
  }
  // Typed twice, once composed and once decomposed: the same passphrase.
  await field.fill("caf\u00e9 au lait");
  await repeat.fill("cafe\u0301 au lait");
  await submit.click();
  await options.getByText("Passphrase set: your accounts are encrypted.", { exact: false }).waitFor({ timeout: 15_000 });
  const { vault } = (await stored()).twofa;
  assert.match(vault, /^\$twofa-vault\$v=2\$/);
  assert.deepEqual(opened(vault, "caf\u00e9 au lait"), ACCOUNTS);
  await options.getByRole("button", { name: "Lock now" }).click();
  await options.getByText("Locked.", { exact: true }).waitFor();
  await options.close();

  const popup = await extension.openPage("popup.html");
  await popup.getByRole("heading", { name: "twofa is locked" }).waitFor();
  await unlock(popup, "cafe\u0301 au lait");
  await codeButton(popup, "ACME Co: ada@acme.test").waitFor({ timeout: 15_000 });
  await popup.close();
});

test("one account's QR code: after the passphrase, twofa/qr's SVG of its URI, gone when leaving the view or locking", async () => {
  await seed(vaultRecord(sealed(ACCOUNTS)));
  const popup = await extension.openPage("popup.html");
  await unlock(popup);
  await codeButton(popup, "ACME Co: ada@acme.test").waitFor({ timeout: 15_000 });
  const loads = extension.loads.get(popup);
  assert.ok(!loads.includes("/pkg/qr.js"), "twofa/qr loads only when a code is asked for");
  await popup.getByRole("button", { name: "Edit ACME Co: ada@acme.test" }).click();
  await popup.getByRole("button", { name: "Show QR code" }).click();
  const dialog = await reauth(popup, "This QR code holds the account's secret. Enter your passphrase to show it.");
  await answer(popup, dialog, WRONG, { wrong: true });
  assert.equal(await popup.locator("#e-qr-code svg").count(), 0);
  await answer(popup, dialog, PASSPHRASE);
  const figure = popup.getByRole("img", { name: "QR code of ACME Co: ada@acme.test" });
  await figure.locator("svg").waitFor();
  assert.ok(loads.includes("/pkg/qr.js") && loads.includes("/pkg/qr_bg.wasm"));
  assert.equal(
    await popup.textContent("#e-qr-box .banner"),
    "Anyone who sees this QR code can make this account's codes. Scan it with your phone, then hide it.",
  );
  // The SVG is the package's, drawn in Node from the stored URI.
  const svg = await figure.evaluate((f) => new XMLSerializer().serializeToString(f.querySelector("svg")));
  assert.equal(svg, twofa.qrSvg(ACCOUNTS[0].uri, { ecc: "M" }));
  await shot(popup, "account-qr");
  // Leaving the view removes it; coming back does not show it again.
  await popup.getByRole("button", { name: "Back" }).click();
  assert.equal(await popup.locator("#e-qr-code svg").count(), 0);
  await popup.getByRole("button", { name: "Edit ACME Co: ada@acme.test" }).click();
  assert.equal(await popup.locator("#e-qr-box").isVisible(), false);
  // Shown again, then the vault locks (elsewhere, or the auto-lock): it goes.
  await popup.getByRole("button", { name: "Show QR code" }).click();
  await answer(popup, await reauth(popup, "This QR code holds the account's secret. Enter your passphrase to show it."), PASSPHRASE);
  await figure.locator("svg").waitFor();
  await extension.worker.evaluate(() => chrome.storage.session.remove(["unlocked", "activity"]));
  await popup.getByRole("heading", { name: "twofa is locked" }).waitFor();
  assert.equal(await popup.locator("#e-qr-code svg").count(), 0);
  await popup.close();
});

test("Clear all data offers an encrypted backup first, and the file imports back, sites too", async () => {
  // One account has sites (Fill's phishing guard): the backup keeps them, and so does its import.
  const accounts = [{ ...ACCOUNTS[0], sites: ["acme.test", "login.example"] }, ACCOUNTS[1]];
  await seed(plainRecord(accounts));
  const options = await extension.openPage("options.html");
  await options.getByRole("button", { name: "Clear all data" }).click();
  const dialog = options.getByRole("dialog", { name: "Clear all data?" });
  await dialog.waitFor();
  // No passphrase is set: the backup asks for one.
  await dialog.getByRole("button", { name: "Download a backup first" }).click();
  assert.equal(await options.textContent("#clear-backup-passphrase-error"), "Use at least 8 characters.");
  await dialog.getByLabel("Passphrase for the backup").fill(PASSPHRASE);
  await dialog.getByLabel("Type the backup passphrase again").fill(PASSPHRASE);
  const [download] = await Promise.all([options.waitForEvent("download"), dialog.getByRole("button", { name: "Download a backup first" }).click()]);
  const name = download.suggestedFilename();
  assert.match(name, /^twofa-backup-\d{4}-\d{2}-\d{2}\.twofa$/);
  // Asked again, with the file named; nothing cleared yet.
  await dialog.getByText(`The backup was downloaded as ${name}. Clear all data now?`).waitFor();
  assert.deepEqual((await stored()).twofa, plainRecord(accounts));
  const path = join(ROOT, "target/extension-guard-backup.twofa");
  await download.saveAs(path);
  const backup = readFileSync(path, "utf8");
  assert.deepEqual(opened(backup.trim(), PASSPHRASE), accounts);
  await shot(options, "clear-after-backup");
  await dialog.getByRole("button", { name: "Clear all data" }).click();
  await options.getByText("All data cleared.").waitFor();
  assert.deepEqual(await stored(), {});

  // The file imports back, into the vault (the backup's passphrase becomes this browser's).
  await options.getByLabel("A file or picture").setInputFiles(path);
  await options.getByRole("button", { name: "Import", exact: true }).click();
  await options.getByLabel("Password of the export").fill(PASSPHRASE);
  await options.getByRole("button", { name: "Import", exact: true }).click();
  const seal = options.getByRole("dialog", { name: "Keep the restored accounts encrypted" });
  await seal.getByRole("button", { name: "Set the passphrase and import" }).click();
  await options.getByText(`Imported ${ACCOUNTS.length} accounts. Passphrase set: your accounts are encrypted.`).waitFor({ timeout: 15_000 });
  const restored = opened((await stored()).twofa.vault, PASSPHRASE);
  assert.deepEqual(restored.map((a) => [a.uri, a.sites]), accounts.map((a) => [a.uri, a.sites]));

  // With a passphrase, the backup is the vault as stored: no passphrase asked for it.
  await options.getByRole("button", { name: "Clear all data" }).click();
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel("Passphrase for the backup").isVisible(), false);
  const [again] = await Promise.all([options.waitForEvent("download"), dialog.getByRole("button", { name: "Download a backup first" }).click()]);
  await again.saveAs(path);
  assert.equal(readFileSync(path, "utf8"), `${(await stored()).twofa.vault}\n`);
  // Cancelled: nothing is cleared.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(Object.keys(await stored()).includes("twofa"), true);
  rmSync(path);
  await options.close();
});

/**
 * Takes the store's Web Lock in `page` and keeps it until the returned function is
 * called: the extension's own changes queue behind it, as behind a slow change elsewhere.
 */
async function holdLock(page) {
  await page.evaluate(() => {
    window.releaseStore = null;
    navigator.locks.request("twofa-store", () => new Promise((resolve) => (window.releaseStore = resolve)));
  });
  await page.waitForFunction(() => window.releaseStore !== null);
  return () => page.evaluate(() => window.releaseStore());
}

/** Waits (in `page`, for up to 10 s) until `count` changes wait for the store's lock. */
const queued = (page, count) =>
  page.evaluate(async (n) => {
    const waiting = async () => (await navigator.locks.query()).pending.filter((l) => l.name === "twofa-store").length;
    const until = Date.now() + 10_000;
    while ((await waiting()) < n) {
      if (Date.now() > until) throw new Error(`${await waiting()} of ${n} changes wait for the store's lock`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }, count);

test("two windows: an edit in one and changes in the other all survive", async () => {
  await seed(plainRecord());
  // Window A renames an HOTP account while window B moves its counter on, B's change
  // first: A's rename is made to the account as B left it, not as A last saw it.
  const a = await openWindow("popup.html");
  const b = await openWindow("popup.html");
  await a.getByRole("button", { name: "Edit Counter Co: bob" }).click();
  await a.locator("#view-edit").getByLabel("Issuer").fill("Counter Company");
  const release = await holdLock(a);
  await b.getByRole("button", { name: "Next code for Counter Co: bob" }).click();
  await queued(a, 1);
  await a.getByRole("button", { name: "Save" }).click();
  await queued(a, 2);
  assert.deepEqual((await stored()).twofa, plainRecord(), "nothing written under the lock");
  await release();
  // B's change ran first (it asked for the lock first), then A's.
  await a.getByText("Saved.").waitFor();
  const [, edited] = (await stored()).twofa.plain.accounts;
  const parsed = twofa.parseUri(edited.uri);
  assert.deepEqual([parsed.issuer, parsed.account, String(parsed.counter)], ["Counter Company", "bob", "1"], "the rename kept B's counter");
  // Both windows show both changes.
  for (const page of [a, b]) {
    await codeButton(page, "Counter Company: bob").waitFor();
    await page.locator(".account .seconds", { hasText: "#1" }).waitFor();
  }
  await a.close();
  await b.close();

  // Settings changed in two windows at once: while one page holds the store's lock,
  // neither writes; once it is released, both changes are there.
  const theme = await openWindow("options.html");
  const lockAfter = await openWindow("options.html");
  const before = await stored();
  const unlockStore = await holdLock(theme);
  await theme.getByLabel("Theme").selectOption("dark");
  await lockAfter.getByLabel("Lock after").selectOption("5");
  await queued(theme, 2);
  assert.deepEqual(await stored(), before, "no settings written under another page's lock");
  await unlockStore();
  await theme.getByText("Saved.").waitFor();
  await lockAfter.getByText("Saved.").waitFor();
  assert.deepEqual((await stored()).settings, { theme: "dark", autoLockMinutes: 5 });
  assert.deepEqual((await stored()).twofa, before.twofa);
  await theme.close();
  await lockAfter.close();
});
