// The demo page (www/demo), walked as a visitor walks it, in Debian's Chromium: set up
// 2FA, log in every way, the account owner's tools, and the tools tab. Controls are found
// by role and label; every code typed is computed here, in Node, by the package itself,
// from the key the page shows. Each step leaves a screenshot in tests/artifacts, and any
// console error fails the run.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { ARTIFACTS, artifact, codeAwayFrom, codesNear, launchChromium, listFiles, nodeEntries, PKG, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const twofa = await nodeEntries("twofa", "migration");
const QR_FIXTURES = join(ROOT, "tests/fixtures/qr");
const MIGRATION = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/migration/cases.json"), "utf8"));

const ACCOUNT = "ada@example.com";
const PASSWORD = "correct horse battery staple";

let browser;
let server;
let context;
let page;
const errors = [];
/** The page's simulated clock runs this far ahead of Date.now(); the test moves it with the page's buttons. */
let offset = 0;
let shots = 0;
/** The paths the page (and its workers) asked the server for, in order. */
const requests = [];
/** The package's files asked for since `requests[from]`, sorted. */
const packageLoads = (from = 0) => requests.slice(from).filter((p) => p.startsWith("/pkg/")).sort();
/** State carried from one flow to the next, as a visitor carries it. */
const saved = { secret: null, backup: [], setupQr: null };

before(async () => {
  if (existsSync(ARTIFACTS)) for (const old of listFiles(ARTIFACTS).filter((f) => f.startsWith("demo-"))) rmSync(join(ARTIFACTS, old));
  // As `make demo` serves it.
  server = await startServer({ mounts: { "/pkg/": PKG, "/shared/": join(ROOT, "www/shared"), "/": join(ROOT, "www/demo") } });
  // A fake camera (a moving test pattern) and no permission prompt, for the QR reader's camera.
  browser = await launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  // Printing opens no dialog headless: count the calls instead.
  await context.addInitScript(() => {
    window.__prints = 0;
    window.print = () => {
      window.__prints += 1;
    };
  });
  page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/`);
  await page.waitForSelector("body[data-ready=true]");
});

// Console errors fail the test they happened in.
afterEach(() => assert.deepEqual(errors.splice(0), [], "console errors"));

after(async () => {
  await browser?.close();
  await server?.close();
});

const panel = (name) => page.getByRole("tabpanel", { name });
const shot = (name) => page.screenshot({ path: artifact(`demo-${String(++shots).padStart(2, "0")}-${name}.png`), fullPage: true });
const now = () => Date.now() + offset;
/** A wrong code for `secret` now: `ms` from now, or a later one. */
const codeFrom = (secret, ms) => codeAwayFrom(twofa, secret, now(), ms);
const digitsOf = (text) => text.replace(/\s/g, "");
/** What the clock bar shows for an offset that is a whole number of 30-s steps: "+1 h 1 min 30 s". */
function clockText(ms) {
  const [h, m, sec] = [Math.floor(ms / 3_600_000), Math.floor((ms % 3_600_000) / 60_000), (ms % 60_000) / 1000];
  return "+" + [h && `${h} h`, (m || (h && sec)) && `${m} min`, sec && `${sec} s`].filter(Boolean).join(" ");
}

async function tab(name) {
  await page.getByRole("tab", { name }).click();
  assert.equal(await page.getByRole("tab", { name }).getAttribute("aria-selected"), "true");
}

async function advance(button, ms) {
  await page.getByRole("button", { name: button, exact: true }).click();
  offset += ms;
}

/** The password step of "Log in". */
async function enterPassword(password = PASSWORD) {
  await tab("Log in");
  const login = panel("Log in");
  await login.getByLabel("Account (e-mail)").fill(ACCOUNT);
  await login.getByLabel("Password").fill(password);
  await login.getByRole("button", { name: "Continue" }).click();
}

async function signOut() {
  await panel("Log in").getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Log in" }).waitFor();
}

/**
 * A code of the current step that the page has not accepted before. A used step is left
 * with the page's "+30 s"; a step about to end is waited out (at most 3 s).
 */
async function freshCode(usedStep) {
  const totp = new twofa.Totp({ secret: saved.secret });
  while (totp.stepAt(now()) <= usedStep) await advance("+30 s", 30_000);
  while (totp.remaining(now()) < 3000) await page.waitForTimeout(250);
  const code = totp.generate(now());
  const step = totp.stepAt(now());
  totp.free();
  return { code, step };
}
let lastStep = -1;

test("the page loads the package's entries it uses, each once: not the vault", () => {
  assert.deepEqual(packageLoads(), [
    "/pkg/flows.js", "/pkg/flows_bg.wasm", "/pkg/migration.js", "/pkg/migration_bg.wasm",
    "/pkg/qr.js", "/pkg/qr_bg.wasm", "/pkg/twofa.js", "/pkg/twofa_bg.wasm",
  ]);
  // The QR worker starts with the first picture, not before.
  assert.equal(requests.includes("/shared/qr-worker.js"), false);
});

test("set up 2FA: QR code, manual key, demo phone, first code, backup codes", async () => {
  await tab("Set up 2FA");
  const setup = panel("Set up 2FA");
  await setup.getByLabel("Account (e-mail)").fill(ACCOUNT);
  await setup.getByRole("button", { name: "Continue" }).click();
  // The error is next to its field, and the field is marked invalid.
  assert.equal(await page.textContent("#setup-password-error"), "Enter a password.");
  assert.equal(await setup.getByLabel("Password").getAttribute("aria-invalid"), "true");
  await setup.getByLabel("Account (e-mail)").fill("not an address");
  await setup.getByLabel("Password").fill(PASSWORD);
  await setup.getByRole("button", { name: "Continue" }).click();
  assert.equal(await page.textContent("#setup-account-error"), "Enter an e-mail address, such as ada@example.com.");
  await setup.getByLabel("Account (e-mail)").fill(ACCOUNT);
  await setup.getByLabel("Issuer (the site's name in the app)").fill("Example Co");
  await setup.getByRole("button", { name: "Continue" }).click();

  await setup.getByRole("heading", { name: "Scan this QR code with your authenticator app" }).waitFor();
  const qr = setup.getByRole("img", { name: `QR code of the new key for ${ACCOUNT} at Example Co` });
  assert.equal(await qr.locator("svg").count(), 1);
  saved.setupQr = artifact("demo-setup-qr.png");
  await qr.screenshot({ path: saved.setupQr });

  // "Enter your key manually" reveals the grouped key, which copies without spaces.
  const toggle = setup.getByRole("button", { name: "Enter your key manually" });
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.click();
  assert.equal(await setup.getByRole("button", { name: "Hide the key" }).getAttribute("aria-expanded"), "true");
  const grouped = await page.textContent("#setup-key");
  assert.match(grouped, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, "a 160-bit key in groups of four");
  saved.secret = grouped.replaceAll(" ", "");
  await setup.getByRole("button", { name: "Copy key" }).click();
  await page.getByText("Copied to the clipboard.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), saved.secret);

  // The demo phone scans the QR code on screen (twofa's decoder, in a worker) and shows
  // the code that the package computes here for the key shown.
  const beforeScan = requests.length;
  await setup.getByRole("button", { name: "Add to the demo phone" }).click();
  await page.getByText(`Scanned. The demo phone shows codes for Example Co: ${ACCOUNT}.`).waitFor();
  // The worker loads twofa/qr alone.
  assert.ok(requests.slice(beforeScan).includes("/shared/qr-worker.js"));
  assert.deepEqual(packageLoads(beforeScan), ["/pkg/qr.js", "/pkg/qr_bg.wasm"]);
  const phoneCode = digitsOf(await page.getByLabel(`Code for Example Co: ${ACCOUNT}`, { exact: true }).textContent());
  assert.ok(codesNear(twofa, saved.secret, now(), 1).includes(phoneCode), `phone shows ${phoneCode}`);
  await shot("setup-scan");
  await page.screenshot({ path: artifact("demo-readme.png") });

  // The code field explains its shape while the user types, with twofa's own rule.
  const field = setup.getByLabel("Code from your app");
  await field.pressSequentially("12a");
  assert.equal(await page.textContent("#setup-code-hint"), "Codes have digits only: character 3 is not a digit.");
  await field.fill("");
  await field.pressSequentially("123");
  assert.equal(await page.textContent("#setup-code-hint"), "3 more digits.");
  await field.pressSequentially("-");
  assert.equal(await page.textContent("#setup-code-hint"), "3 more digits.");

  // A code from an hour away is refused, next to the field; the current one turns 2FA on.
  const stale = codeFrom(saved.secret, 3_600_000);
  await field.fill(stale);
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  assert.match(await page.textContent("#setup-code-error"), /^That code does not match\. .* 3 more wrong tries pause sign-in\.$/);
  const first = await freshCode(-1);
  await field.fill(`${first.code.slice(0, 3)} ${first.code.slice(3)}`);
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  lastStep = first.step;

  await setup.getByRole("heading", { name: "Two-factor authentication is on" }).waitFor();
  const codes = await setup.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(new Set(codes).size, 10);
  saved.backup = codes;
  await shot("setup-backup-codes");

  // Download (.txt) and Print carry the same text: twofa's backupCodesText.
  const [download] = await Promise.all([page.waitForEvent("download"), setup.getByRole("button", { name: "Download (.txt)" }).click()]);
  assert.equal(download.suggestedFilename(), "example-co-backup-codes.txt");
  const text = readFileSync(await download.path(), "utf8");
  for (const c of codes) assert.ok(text.includes(c), `${c} in the download`);
  assert.ok(text.includes(ACCOUNT));
  await setup.getByRole("button", { name: "Print" }).click();
  assert.equal(await page.evaluate(() => window.__prints), 1);
  assert.equal(await page.textContent("#print-text"), text);

  await setup.getByRole("button", { name: "Continue to log in" }).click();
  assert.equal(await panel("Log in").getByLabel("Account (e-mail)").inputValue(), ACCOUNT);
});

test("log in: password, then the app's code once; trusting this device skips the code", async () => {
  const login = panel("Log in");
  await enterPassword("wrong");
  assert.equal(await page.textContent("#login-pass-error"), "Wrong password.");
  await enterPassword();
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  const field = login.getByLabel("Authentication code");
  assert.equal(await field.evaluate((e) => e === document.activeElement), true, "the code field has focus");
  await field.pressSequentially("12345678");
  assert.equal(await page.textContent("#login-code-hint"), "That is 8 digits; codes have 6.");
  await shot("login-code-shape");

  // The setup code's step is spent: the same step cannot sign in (the replay guard).
  const { code, step } = await freshCode(lastStep);
  await field.fill(code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a code from your authenticator app.`);
  lastStep = step;
  await signOut();
  await enterPassword();
  await field.fill(code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await page.textContent("#login-code-error"), "This code was already used. Wait for your app to show the next one. 3 more wrong tries pause sign-in.");
  await shot("login-replay-refused");

  // The simulated clock moves on 30 s: the next code works, and this device is trusted.
  const before = offset;
  await advance("+30 s", 30_000);
  assert.equal(await page.textContent("#clock-offset"), clockText(offset));
  assert.equal(offset - before, 30_000);
  const next = await freshCode(lastStep);
  await field.fill(next.code);
  await login.getByLabel("Do not ask again for 30 days").check();
  await login.getByRole("button", { name: "Verify" }).click();
  await page.getByText(/^This device is trusted until /).waitFor();
  lastStep = next.step;
  await tab("Security settings");
  const devices = panel("Security settings").getByRole("list", { name: "Trusted devices" }).getByRole("listitem");
  assert.equal(await devices.count(), 1);
  assert.match(await devices.first().textContent(), /^\w+ on \w+this deviceAdded .* · trusted until /);
  await shot("login-trusted");

  // With the device trusted, the password is enough.
  await tab("Log in");
  await signOut();
  await enterPassword();
  assert.match(await page.textContent("#login-done-text"), new RegExp(`^Signed in as ${ACCOUNT}\\. This device is trusted until .*, so no code was asked\\.$`));

  // Removed from the list, the device asks for a code again, and says why.
  await tab("Security settings");
  await panel("Security settings").getByRole("button", { name: /^Remove \w+ on \w+, added / }).click();
  assert.match(await devices.first().textContent(), /^None\./);
  await tab("Log in");
  await signOut();
  await enterPassword();
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  assert.equal(await page.textContent("#login-lock"), "This device's trust was removed: enter a code to sign in.");
});

test("log in with a backup code (once); \"Use another authentication method\" with none set up", async () => {
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use a backup code" }).click();
  // Typed in lower case: Crockford base32 is read in any case.
  await login.getByLabel("Backup code").fill(saved.backup[0].toLowerCase());
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a backup code.`);
  assert.equal(await page.textContent("#login-done-note"), "9 backup codes left.");
  await signOut();
  await enterPassword();
  await login.getByRole("button", { name: "Use a backup code" }).click();
  await login.getByLabel("Backup code").fill(saved.backup[0]);
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await page.textContent("#login-backup-code-error"), "That backup code is not right, or it was used before. 3 more wrong tries pause sign-in.");
  await login.getByLabel("Backup code").fill("ABCD");
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await page.textContent("#login-backup-code-error"), "Backup codes look like XXXX-XXXX-XXXX: 12 letters and digits.");

  // "Use another authentication method" offers the alternatives set up: none here (the
  // alternative e-mail address is walked in demo-flows.test.mjs). No mail goes to the
  // sign-in address.
  await login.getByRole("button", { name: "Use another authentication method" }).click();
  await login.getByText("You have not set up another way in. Use a backup code, or ask the account owner for a recovery code.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "login-alt-none-text", "focus on the explanation");
  assert.equal(await login.getByRole("button", { name: "Send code by e-mail" }).isVisible(), false);
  await shot("login-no-alternative");
  await login.getByRole("button", { name: "Use the authenticator app" }).click();
  const next = await freshCode(lastStep);
  await login.getByLabel("Authentication code").fill(next.code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a code from your authenticator app.`);
  lastStep = next.step;
});

test("too many wrong codes lock the form, with a countdown on the simulated clock", async () => {
  const login = panel("Log in");
  await signOut();
  await enterPassword();
  const field = login.getByLabel("Authentication code");
  // The demo's policy: three wrong codes are free, the fourth locks for 30 s.
  for (let i = 1; i <= 4; i++) {
    // Codes from hours away: well formed, and wrong now.
    await field.fill(codeFrom(saved.secret, i * 7_200_000));
    await login.getByRole("button", { name: "Verify" }).click();
  }
  const banner = page.locator("#login-lock");
  assert.match(await banner.textContent(), /^Too many wrong codes\. Try again in 0:(30|29)\.$/);
  assert.equal(await page.textContent("#login-code-error"), "That code is not right. Type the newest code your app shows.");
  assert.equal(await field.isDisabled(), true);
  assert.equal(await login.getByRole("button", { name: "Verify" }).isDisabled(), true);
  // Focus goes to the banner, the start is announced once, and the countdown is silent.
  assert.equal(await page.evaluate(() => document.activeElement.id), "login-lock");
  assert.match(await page.textContent("#login-live"), /^Too many wrong codes\. Sign-in is paused for 0:(30|29)\.$/);
  assert.equal(await banner.getAttribute("role"), null);
  await shot("login-locked");
  // Time passes while focus rests on the banner (the clock is moved without moving focus):
  // at the end, focus returns to the field.
  await page.evaluate(() => document.getElementById("clock-30s").click());
  offset += 30_000;
  await banner.waitFor({ state: "hidden" });
  assert.equal(await field.isDisabled(), false);
  assert.equal(await page.textContent("#login-live"), "You can try again now.");
  assert.equal(await page.evaluate(() => document.activeElement.id), "login-code");
  const next = await freshCode(lastStep);
  await field.fill(next.code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a code from your authenticator app.`);
  lastStep = next.step;
});

test("account owner: recovery code for an hour, new backup codes, reset, then set up again at the next sign-in", async () => {
  await tab("Account owner");
  const owner = panel("Account owner");
  const row = owner.getByRole("row", { name: new RegExp(`^${ACCOUNT}`) });
  assert.deepEqual(await row.getByRole("cell").allTextContents(), ["On", "9", "0", "Issue recovery codeRegenerate backup codesReset 2FA"]);

  // A recovery code works once within its hour.
  await owner.getByRole("button", { name: `Issue a recovery code for ${ACCOUNT}` }).click();
  const recovery = await page.textContent("#owner-recovery-code");
  assert.match(recovery, /^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
  await shot("owner-recovery");
  await tab("Log in");
  await signOut();
  await enterPassword();
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use a recovery code" }).click();
  await login.getByLabel("Recovery code").fill(recovery);
  await login.getByRole("button", { name: "Use recovery code" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a recovery code.`);
  await signOut();
  await enterPassword();
  await login.getByRole("button", { name: "Use a recovery code" }).click();
  await login.getByLabel("Recovery code").fill(recovery);
  await login.getByRole("button", { name: "Use recovery code" }).click();
  assert.match(await page.textContent("#login-recovery-code-error"), /^This recovery code was already used\./);

  // A second one, after "+1 h", has expired.
  await tab("Account owner");
  await owner.getByRole("button", { name: `Issue a recovery code for ${ACCOUNT}` }).click();
  const late = await page.textContent("#owner-recovery-code");
  await advance("+1 h", 3_600_000);
  assert.equal(await page.textContent("#clock-offset"), clockText(offset));
  assert.ok(offset > 3_600_000);
  await tab("Log in");
  await login.getByLabel("Recovery code").fill(late);
  await login.getByRole("button", { name: "Use recovery code" }).click();
  // The hour also ended the pending sign-in (10 minutes after the password).
  assert.equal(await page.textContent("#login-account-error"), "This sign-in expired: more than 10 minutes passed after the password. Enter your password again.");
  await enterPassword();
  await login.getByRole("button", { name: "Use a recovery code" }).click();
  await login.getByLabel("Recovery code").fill(late);
  await login.getByRole("button", { name: "Use recovery code" }).click();
  assert.match(await page.textContent("#login-recovery-code-error"), /^This recovery code has expired\. Ask the account owner for a new one\./);

  // New backup codes replace the old set (after a confirmation).
  await tab("Account owner");
  await owner.getByRole("button", { name: `Regenerate backup codes for ${ACCOUNT}` }).click();
  const dialog = page.getByRole("dialog", { name: `New backup codes for ${ACCOUNT}?` });
  await dialog.getByRole("button", { name: "Regenerate" }).click();
  await owner.getByRole("heading", { name: `New backup codes for ${ACCOUNT}` }).waitFor();
  const fresh = await owner.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
  assert.equal(fresh.length, 10);
  assert.equal(fresh.filter((c) => saved.backup.includes(c)).length, 0);
  await shot("owner-backup-codes");
  await tab("Log in");
  await login.getByRole("button", { name: "Use a backup code" }).click();
  await login.getByLabel("Backup code").fill(saved.backup[1]);
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.match(await page.textContent("#login-backup-code-error"), /^That backup code is not right, or it was used before\./);
  await login.getByLabel("Backup code").fill(fresh[0]);
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await page.textContent("#login-done-note"), "9 backup codes left.");

  // Reset 2FA: a cancelled dialog changes nothing; a confirmed one turns 2FA off.
  await tab("Account owner");
  await owner.getByRole("button", { name: `Reset 2FA for ${ACCOUNT}` }).click();
  await page.getByRole("dialog", { name: `Reset 2FA for ${ACCOUNT}?` }).getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  assert.equal(await row.getByRole("cell").first().textContent(), "On");
  await owner.getByRole("button", { name: `Reset 2FA for ${ACCOUNT}` }).click();
  await page.getByRole("dialog", { name: `Reset 2FA for ${ACCOUNT}?` }).getByRole("button", { name: "Reset 2FA" }).click();
  await owner.getByRole("heading", { name: `2FA reset for ${ACCOUNT}` }).waitFor();
  assert.equal(await row.getByRole("cell").first().textContent(), "Off (reset)");

  // The reset signed the user out; the next sign-in sets 2FA up again (the policy is
  // "optional"), straight at the QR code: no issuer to choose.
  await tab("Log in");
  assert.equal(await page.textContent("#login-notice"), "You were signed out: the account owner reset your two-factor authentication. Sign in again to set it up.");
  await enterPassword();
  const setup = panel("Set up 2FA");
  await setup.getByText("The account owner reset your two-factor authentication. Set it up again to finish signing in.").waitFor();
  await setup.getByRole("heading", { name: "Scan this QR code with your authenticator app" }).waitFor();
  await shot("setup-required");
  await setup.getByRole("button", { name: "Enter your key manually" }).click();
  saved.secret = (await page.textContent("#setup-key")).replaceAll(" ", "");
  const { code, step } = await freshCode(-1);
  await setup.getByLabel("Code from your app").fill(code);
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  lastStep = step;
  await setup.getByRole("button", { name: "Continue to log in" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with two-factor authentication, now turned on.`);
});

test("tools: live codes, URI inspector, QR reader, Google Authenticator import and export", async () => {
  await tab("Tools");
  const tools = panel("Tools");

  // Live codes for a bare secret, for a URI, and an error next to the field.
  const input = tools.getByLabel("Secret (base32) or otpauth:// URI");
  await input.fill("JBSW1");
  await tools.getByRole("button", { name: "Show codes" }).click();
  assert.equal(await page.textContent("#gen-input-error"), "Invalid base32 character at position 5.");
  await input.fill("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  await tools.getByLabel("Digits").selectOption("8");
  await tools.getByLabel("Algorithm").selectOption("SHA256");
  await tools.getByRole("button", { name: "Show codes" }).click();
  const shown = digitsOf(await page.textContent("#gen-code"));
  const sha256 = new twofa.Totp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits: 8, algorithm: "SHA256" });
  assert.ok([-1000, 0, 1000].map((d) => sha256.generate(now() + d)).includes(shown), `${shown}`);
  const hotpUri = "otpauth://hotp/Star%20Trek%3A%20Website:kirk?secret=GEZDGNBVGY3TQOJQ&issuer=Star%20Trek%3A%20Website&counter=7";
  await input.fill(hotpUri);
  await tools.getByRole("button", { name: "Show codes" }).click();
  const hotp = twofa.Hotp.fromUri(hotpUri);
  assert.equal(digitsOf(await page.textContent("#gen-code")), hotp.generate(7));
  await tools.getByRole("button", { name: "Next code" }).click();
  assert.equal(digitsOf(await page.textContent("#gen-code")), hotp.generate(8));
  // The last counter there is (2^64 − 1) has a code, and no next one.
  const last = "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=18446744073709551615";
  await input.fill(last);
  await tools.getByRole("button", { name: "Show codes" }).click();
  assert.equal(digitsOf(await page.textContent("#gen-code")), twofa.Hotp.fromUri(last).generate(2n ** 64n - 1n));
  assert.equal(await tools.getByRole("button", { name: "Next code" }).isDisabled(), true);
  await input.fill(hotpUri);
  await tools.getByRole("button", { name: "Show codes" }).click();
  await tools.getByRole("button", { name: "Next code" }).click();
  assert.match(await page.textContent("#gen-info"), /^Counter-based \(HOTP\) · SHA1 · 6 digits · Star Trek: Website: kirk · weak: a secret of 80 bits works/);

  // The inspector: every field, the package's own warnings, and a QR code.
  await tools.getByRole("button", { name: "Try an example" }).click();
  const example = await tools.getByLabel("otpauth:// URI", { exact: true }).inputValue();
  const parsed = twofa.parseUri(example);
  const warnings = await tools.getByRole("list", { name: "Warnings" }).getByRole("listitem").allTextContents();
  assert.deepEqual(warnings, parsed.warnings.map((w) => `${w.code} ${w.message}`));
  assert.ok(warnings.length >= 2);
  const facts = await page.locator("#inspect-fields").textContent();
  assert.ok(facts.includes(`Canonical URI${twofa.buildUri(parsed)}`), facts);
  assert.equal(await tools.getByRole("img", { name: "QR code of this URI" }).locator("svg").count(), 1);
  await shot("tools-inspector");
  await tools.getByLabel("otpauth:// URI", { exact: true }).fill("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5");
  await tools.getByRole("button", { name: "Inspect" }).click();
  let message;
  try {
    twofa.parseUri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5");
  } catch (err) {
    message = err.message;
  }
  assert.equal(await page.textContent("#inspect-uri-error"), `${message[0].toUpperCase()}${message.slice(1)}.`);

  // The QR reader: uploads decoded by twofa in a worker.
  const expected = JSON.parse(readFileSync(join(QR_FIXTURES, "expected.json"), "utf8"));
  const upload = tools.getByLabel("Upload an image");
  const found = tools.getByRole("list", { name: "Codes found" }).locator("code");
  for (const name of ["segno-plain.png", "two-codes.png", "segno-rot90.png"]) {
    await upload.setInputFiles(join(QR_FIXTURES, name));
    await page.getByText(`Found ${expected[name].length} QR code`).waitFor();
    assert.deepEqual(await found.allTextContents(), expected[name], name);
  }
  await upload.setInputFiles(join(QR_FIXTURES, "no-code.png"));
  await page.getByText("No QR code found in this picture.").waitFor();
  await upload.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
  await page.getByText("This file is not a picture this browser can read.").waitFor();
  // The set-up QR code, as a screenshot of the page, reads back to the key shown then.
  await upload.setInputFiles(saved.setupQr);
  await page.getByText("Found 1 QR code.").waitFor();
  const setupUri = twofa.parseUri(await found.first().textContent());
  assert.equal(setupUri.account, ACCOUNT);
  assert.equal(setupUri.issuer, "Example Co");
  await upload.setInputFiles(join(QR_FIXTURES, "segno-grey.png"));
  await page.getByText("Found 1 QR code.").waitFor();
  await tools.getByRole("button", { name: "Add to the demo phone" }).click();
  await page.getByLabel("Code for Ärzte 🔑: jürgen", { exact: true }).waitFor();
  await shot("tools-qr-reader");

  // The camera: frames of Chromium's fake camera go through the worker until stopped.
  await tools.getByRole("button", { name: "Use the camera" }).click();
  await page.getByText("Point the camera at a QR code.").waitFor();
  assert.equal(await page.locator("#reader-video").isVisible(), true);
  await page.waitForTimeout(1200);
  await tools.getByRole("button", { name: "Stop the camera" }).click();
  await page.getByText("Camera stopped.").waitFor();
  assert.equal(await page.locator("#reader-video").isVisible(), false);

  // Import a Google Authenticator link (made by Google's protobuf runtime), then export
  // the demo phone as migration QR codes and read them back.
  const fixture = MIGRATION[0];
  await tools.getByLabel("Migration link (otpauth-migration://…)").fill(fixture.uri);
  await tools.getByRole("button", { name: "Read link" }).click();
  assert.equal(await page.textContent("#import-summary"), `${fixture.accounts.length} accounts in this link. This is QR code ${fixture.batchIndex + 1} of ${fixture.batchSize}: scan the others too.`);
  const rows = await tools.getByRole("table", { name: "Accounts in the link" }).getByRole("row").allTextContents();
  assert.deepEqual(rows.slice(1), fixture.accounts.map((a) => `${a.issuer ?? "–"}${a.account}${a.type.toUpperCase()}${a.algorithm}${a.digits}`));
  assert.deepEqual(
    await tools.getByRole("list", { name: "Import warnings" }).getByRole("listitem").allTextContents(),
    twofa.parseMigrationUri(fixture.uri).warnings.map((w) => `${w.code} ${w.message}`),
  );
  await tools.getByRole("button", { name: "Add all to the demo phone" }).click();
  assert.equal(await page.textContent("#import-status"), `Added ${fixture.accounts.length} accounts to the demo phone.`);
  const phone = page.getByRole("list", { name: "Accounts on the demo phone" }).getByRole("listitem");
  const onPhone = await phone.count();
  assert.ok(onPhone >= 2 + fixture.accounts.length, `${onPhone} accounts on the phone`);
  // The imported HOTP account shows the code for its counter.
  const bank = fixture.accounts.find((a) => a.type === "hotp");
  const bankHotp = new twofa.Hotp({ secret: bank.secret, algorithm: bank.algorithm, digits: bank.digits });
  assert.equal(digitsOf(await page.getByLabel(`Code for ${bank.issuer}: ${bank.account}`, { exact: true }).textContent()), bankHotp.generate(bank.counter));
  await page.getByRole("button", { name: `Next code for ${bank.issuer}: ${bank.account}` }).click();
  assert.equal(digitsOf(await page.getByLabel(`Code for ${bank.issuer}: ${bank.account}`, { exact: true }).textContent()), bankHotp.generate(bank.counter + 1));
  await shot("tools-import");

  await tools.getByRole("button", { name: "Export the demo phone" }).click();
  const links = await page.locator("#export-codes details code").allTextContents();
  assert.ok(links.length >= 1);
  assert.equal(await page.locator("#export-codes svg").count(), links.length);
  const exported = links.flatMap((l) => twofa.parseMigrationUri(l).accounts.map((a) => `${a.issuer}:${a.account}`));
  assert.ok(exported.includes(`Example Co:${ACCOUNT}`), exported.join());
  assert.ok(exported.includes(`${bank.issuer}:${bank.account}`), exported.join());
  await shot("tools-export");
});

test("an account changed under an open code step, and a required set-up that is left", async () => {
  const login = panel("Log in");
  const owner = panel("Account owner");
  await tab("Log in");
  await signOut();
  await enterPassword();
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  // Meanwhile the owner resets this user's 2FA: the open code step starts over.
  await tab("Account owner");
  await owner.getByRole("button", { name: `Reset 2FA for ${ACCOUNT}` }).click();
  await page.getByRole("dialog", { name: `Reset 2FA for ${ACCOUNT}?` }).getByRole("button", { name: "Reset 2FA" }).click();
  await owner.getByRole("heading", { name: `2FA reset for ${ACCOUNT}` }).waitFor();
  await tab("Log in");
  await login.getByLabel("Authentication code").fill("123456");
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await page.textContent("#login-account-error"), "Two-factor authentication was turned off for this account meanwhile. Sign in again.");
  assert.equal(await login.getByLabel("Account (e-mail)").inputValue(), ACCOUNT);

  // A required set-up (here after the reset) can be left: that signs out, and set-up is a
  // plain form again.
  await enterPassword();
  const setup = panel("Set up 2FA");
  await setup.getByRole("button", { name: "Cancel and sign out" }).click();
  assert.equal(await page.getByRole("tab", { name: "Log in" }).getAttribute("aria-selected"), "true");
  await page.getByRole("heading", { name: "Log in" }).waitFor();
  await tab("Set up 2FA");
  assert.equal(await setup.getByLabel("Account (e-mail)").isEditable(), true);
  assert.equal(await setup.getByLabel("Password").isVisible(), true);
  assert.equal(await setup.getByText("The account owner reset your two-factor authentication").isVisible(), false);
});

/** Presses Tab until `selector` has focus: what a keyboard user does. */
async function tabTo(selector) {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${selector}`);
}

test("keyboard alone: a required set-up, the owner's dialog, and the tabs", async () => {
  // Sign in with the keyboard; 2FA was reset, so set-up comes first.
  await page.getByRole("tab", { name: "Log in" }).click();
  await page.getByRole("tab", { name: "Log in" }).focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByRole("tab", { name: "Security settings" }).getAttribute("aria-selected"), "true");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.getByRole("tab", { name: "Log in" }).getAttribute("aria-selected"), "true");
  await tabTo("#login-account");
  await page.keyboard.type(ACCOUNT);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.getByText("The account owner reset your two-factor authentication. Set it up again to finish signing in.").waitFor();
  // Straight to the QR code, its heading focused.
  await page.getByRole("heading", { name: "Scan this QR code with your authenticator app" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Scan this QR code with your authenticator app");
  await tabTo("#setup-manual-toggle");
  await page.keyboard.press("Enter");
  saved.secret = (await page.textContent("#setup-key")).replaceAll(" ", "");
  await tabTo("#setup-code");
  const { code, step } = await freshCode(-1);
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Two-factor authentication is on" }).waitFor();
  lastStep = step;
  await tabTo("#setup-continue");
  await page.keyboard.press("Enter");
  await page.getByText(`Signed in as ${ACCOUNT} with two-factor authentication, now turned on.`).waitFor();

  // The owner's policy radios and a dialog: Escape cancels it and gives focus back.
  await page.getByRole("tab", { name: "Log in" }).focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByRole("tab", { name: "Account owner" }).getAttribute("aria-selected"), "true");
  await tabTo('input[name="owner-twofa"][value="optional"]');
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getByRole("radio", { name: "Required: users without 2FA must set it up" }).isChecked(), true);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.getByRole("radio", { name: "Optional: each user chooses" }).isChecked(), true);
  const regenerate = `[aria-label="Regenerate backup codes for ${ACCOUNT}"]`;
  await tabTo(regenerate);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `New backup codes for ${ACCOUNT}?` });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "confirm-cancel");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate((sel) => document.activeElement.matches(sel), regenerate), true);
  const row = panel("Account owner").getByRole("row", { name: new RegExp(`^${ACCOUNT}`) });
  assert.equal((await row.getByRole("cell").allTextContents())[1], "10");
});

test("Reset clock pulls the site back to now: the current code still signs in", async () => {
  await tab("Log in");
  await signOut();
  assert.ok(offset > 3_600_000);
  await page.getByRole("button", { name: "Reset clock" }).click();
  offset = 0;
  assert.equal(await page.textContent("#clock-offset"), "");
  await enterPassword();
  // The last code was accepted over an hour "later"; now's code was never used.
  const { code, step } = await freshCode(-1);
  await panel("Log in").getByLabel("Authentication code").fill(code);
  await panel("Log in").getByRole("button", { name: "Verify" }).click();
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a code from your authenticator app.`);
  lastStep = step;
});

test("every control has a name, the page fits a phone, and the dark theme applies", async () => {
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((e) => {
        const by = e.getAttribute("aria-labelledby");
        const labelled = e.labels?.length || e.getAttribute("aria-label") || (by && by.split(" ").every((id) => document.getElementById(id)?.textContent.trim()));
        return e.matches("button") ? !(e.textContent.trim() || e.getAttribute("aria-label")) : !labelled;
      })
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  const dangling = await page.evaluate(() =>
    [...document.querySelectorAll("[aria-describedby], [aria-controls], [aria-labelledby]")].flatMap((e) =>
      ["aria-describedby", "aria-controls", "aria-labelledby"].flatMap((a) => (e.getAttribute(a) ?? "").split(" ").filter((id) => id && !document.getElementById(id)))),
  );
  assert.deepEqual(dangling, [], "every ARIA reference names an element");

  await page.getByLabel("Theme").selectOption("dark");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(14, 17, 22)");
  await tab("Set up 2FA");
  await shot("dark");
  await page.getByLabel("Theme").selectOption("light");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(245, 246, 248)");

  // Reloaded, the page keeps its records: the user is still signed in, the phone still has its accounts.
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await tab("Log in");
  assert.equal(await page.textContent("#login-done-text"), `Signed in as ${ACCOUNT} with a code from your authenticator app.`);
  assert.ok((await page.getByRole("list", { name: "Accounts on the demo phone" }).getByRole("listitem").count()) >= 3);

  for (const name of ["Set up 2FA", "Log in", "Security settings", "Account owner", "Tools"]) {
    await page.setViewportSize({ width: 375, height: 800 });
    await tab(name);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name} fits 375 px`);
  }
  await shot("phone-width");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("Reset the demo clears every record after a confirmation", async () => {
  await page.getByRole("button", { name: "Reset the demo" }).click();
  await page.getByRole("dialog", { name: "Reset the demo?" }).getByRole("button", { name: "Reset" }).click();
  await page.waitForURL(/./);
  await page.waitForSelector("body[data-ready=true]");
  await tab("Account owner");
  await page.getByText("No users yet: set up 2FA first.").waitFor();
  assert.equal(await page.getByText("No accounts yet.").isVisible(), true);
  assert.equal(await page.getByText("No messages.").isVisible(), true);
  assert.equal(await page.textContent("#clock-offset"), "");
  // Only the theme, a preference rather than a record, is kept.
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), ["twofa-demo:theme"]);
});
