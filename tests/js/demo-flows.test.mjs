// The demo's flows of issue 12 (www/demo), walked in Debian's Chromium as a visitor walks
// them: the site's 2FA policy, set-up again after a reset, the security settings (with
// "View your backup codes"), SMS, the alternative e-mail address, security questions, the
// QR code reset by an e-mailed link, the trusted-device policy, the pending sign-in's
// expiry, migrated records and the page at 375 px. Each test opens a fresh browser context, so it starts from an empty
// site. Controls are found by role and label; every code typed is computed here, in Node,
// by the package, from the key the page shows, or read from the simulated inbox and
// phone. Screenshots go to tests/artifacts/flows-*.png; any console error fails the test.
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { ARTIFACTS, artifact, codeAwayFrom, codesNear, launchChromium, listFiles, nodeEntries, PKG, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const twofa = await nodeEntries("twofa");

const PASSWORD = "correct horse battery staple";
const ADA = "ada@example.com";
const BOB = "bob@example.com";
const CAROL = "carol@example.com";
const DAY = 86_400_000;

let browser;
let server;
let context;
let page;
const errors = [];
/** The page's simulated clock runs this far ahead of Date.now(). */
let offset = 0;
let shots = 0;
/** Per account: the key the page showed, and the last step the site accepted. */
let keys = {};

before(async () => {
  if (existsSync(ARTIFACTS)) for (const old of listFiles(ARTIFACTS).filter((f) => f.startsWith("flows-"))) rmSync(join(ARTIFACTS, old));
  server = await startServer({ mounts: { "/pkg/": PKG, "/shared/": join(ROOT, "www/shared"), "/": join(ROOT, "www/demo") } });
  browser = await launchChromium();
});

/** A new browser context: empty storage, so an empty site and the clock at now. */
async function open({ width = 1280, height = 900 } = {}) {
  await context?.close();
  context = await browser.newContext({ viewport: { width, height } });
  page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${server.url}/`);
  await page.waitForSelector("body[data-ready=true]");
  offset = 0;
  keys = {};
}

// Console errors fail the test they happened in.
afterEach(() => assert.deepEqual(errors.splice(0), [], "console errors"));

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const panel = (name) => page.getByRole("tabpanel", { name });
const shot = (name) => page.screenshot({ path: artifact(`flows-${String(++shots).padStart(2, "0")}-${name}.png`), fullPage: true });
const now = () => Date.now() + offset;
const text = (selector) => page.textContent(selector);
/** A time as the page formats it (the locale's: "04:24:21" or "04:24:21 AM"). */
const TIME = String.raw`\d\d:\d\d:\d\d(?: [AP]M)?`;
/** What the clock bar shows for an offset of whole 30-s steps: "+312 h 1 min 30 s". */
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

/**
 * A code of `secret` at a step after `usedStep`: a used step is left with the page's
 * "+30 s"; a step about to end is waited out (at most 3 s).
 */
async function codeAfter(secret, usedStep = -1) {
  const totp = new twofa.Totp({ secret });
  while (totp.stepAt(now()) <= usedStep) await advance("+30 s", 30_000);
  while (totp.remaining(now()) < 3000) await page.waitForTimeout(250);
  const code = totp.generate(now());
  const step = totp.stepAt(now());
  totp.free();
  return { code, step };
}

/**
 * The old app's code, as codeAfter gives it, never one that `other`'s app shows near now:
 * two keys' codes may be equal by chance, and then the old app's next step is taken
 * (codeAfter moves the demo's clock on 30 s for it; nothing after depends on the time).
 */
async function codeNotOf(secret, other, usedStep = -1) {
  for (;;) {
    const got = await codeAfter(secret, usedStep);
    if (!codesNear(twofa, other, now(), 2).includes(got.code)) return got;
    usedStep = got.step;
  }
}

/** A well-formed code that `secret`'s app does not show near now: one from hours away. */
const wrongCode = (secret) => codeAwayFrom(twofa, secret, now(), 7_200_000);

/** The next unused code of `account`'s app, marked used. */
async function appCode(account) {
  const { code, step } = await codeAfter(keys[account].secret, keys[account].step);
  keys[account].step = step;
  return code;
}

/** The key the QR step shows, read through "Enter your key manually". */
async function readKey(scope, keyId = "#setup-key") {
  if (keyId === "#setup-key") await scope.getByRole("button", { name: "Enter your key manually" }).click();
  return (await text(keyId)).replaceAll(" ", "");
}

/** Set up 2FA from the Set up tab for a new account; returns its backup codes. */
async function setUp(account) {
  await tab("Set up 2FA");
  const setup = panel("Set up 2FA");
  await setup.getByLabel("Account (e-mail)").fill(account);
  await setup.getByLabel("Password").fill(PASSWORD);
  await setup.getByRole("button", { name: "Continue" }).click();
  await setup.getByRole("heading", { name: "Scan this QR code with your authenticator app" }).waitFor();
  keys[account] = { secret: await readKey(setup), step: -1 };
  await setup.getByLabel("Code from your app").fill(await appCode(account));
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  await setup.getByRole("heading", { name: "Two-factor authentication is on" }).waitFor();
  return setup.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
}

/** An account without 2FA: the set-up form makes it, and the set-up is cancelled. */
async function makeAccount(account) {
  await tab("Set up 2FA");
  const setup = panel("Set up 2FA");
  await setup.getByLabel("Account (e-mail)").fill(account);
  await setup.getByLabel("Password").fill(PASSWORD);
  await setup.getByRole("button", { name: "Continue" }).click();
  await setup.getByRole("button", { name: "Cancel", exact: true }).click();
  await setup.getByRole("heading", { name: "Turn on two-factor authentication" }).waitFor();
}

async function enterPassword(account) {
  await tab("Log in");
  const login = panel("Log in");
  await login.getByLabel("Account (e-mail)").fill(account);
  await login.getByLabel("Password").fill(PASSWORD);
  await login.getByRole("button", { name: "Continue" }).click();
}

/** Password and the app's code: signed in. */
async function signIn(account, { trust = null } = {}) {
  await enterPassword(account);
  const login = panel("Log in");
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  await login.getByLabel("Authentication code").fill(await appCode(account));
  if (trust) await login.getByLabel(trust).check();
  await login.getByRole("button", { name: "Verify" }).click();
  await login.getByRole("heading", { name: "Signed in" }).waitFor();
}

async function signOut() {
  await tab("Log in");
  await panel("Log in").getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Log in" }).waitFor();
}

async function setPolicy(name) {
  await tab("Account owner");
  await panel("Account owner").getByRole("radio", { name }).check();
}

/** The newest mail in the inbox: `{ to, body, code }`. */
async function lastMail() {
  const item = page.getByRole("list", { name: "Messages" }).getByRole("listitem").first();
  const all = await item.textContent();
  return { all, to: /To: (\S+?)Your/.exec(all)?.[1], code: /code is (\d{6})/.exec(all)?.[1] };
}

/** The newest text message on the demo phone: `{ all, code }`. */
async function lastText() {
  const all = await page.getByRole("list", { name: "Text messages" }).getByRole("listitem").first().textContent();
  return { all, code: /code is (\d{6})/.exec(all)?.[1] };
}

const signedInText = () => text("#login-done-text");

test("policy off and optional: off asks nobody for a code; optional asks only users with 2FA", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await makeAccount(BOB);

  await setPolicy("Off: nobody is asked for a code");
  await enterPassword(ADA);
  assert.equal(await signedInText(), `Signed in as ${ADA} with a password only: the site has turned two-factor authentication off for now.`);
  await shot("policy-off");
  await signOut();

  await setPolicy("Optional: each user chooses");
  await enterPassword(ADA);
  await panel("Log in").getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  await panel("Log in").getByRole("button", { name: "Cancel" }).click();
  await enterPassword(BOB);
  assert.equal(await signedInText(), `Signed in as ${BOB} with a password only: this account has no two-factor authentication.`);
});

test("policy required: users signed in without 2FA are signed out with a notice; set-up after the password goes straight to the QR code", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await makeAccount(BOB);
  await makeAccount(CAROL);
  await signIn(ADA);
  // Ada stays signed in on another device, and so does Carol: the sessions are the server's
  // records (the test writes them as another browser's sign-in would).
  await page.evaluate((accounts) => {
    const records = JSON.parse(localStorage.getItem("twofa-demo:server"));
    for (const [i, account] of accounts.entries()) records.sessions[`OTHERDEVICE${i}`] = { account, method: "password", at: Date.now() };
    localStorage.setItem("twofa-demo:server", JSON.stringify(records));
  }, [ADA, CAROL]);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await signOut();
  await enterPassword(BOB);
  assert.equal(await signedInText(), `Signed in as ${BOB} with a password only: this account has no two-factor authentication.`);

  await setPolicy("Required: users without 2FA must set it up");
  const owner = panel("Account owner");
  await owner.getByRole("heading", { name: "Two-factor authentication is now required" }).waitFor();
  assert.equal(await text("#owner-signed-out"), `Signed out, each with a notice in their inbox: ${BOB}, ${CAROL}.`);
  const notice = await lastMail();
  assert.equal(notice.all.replace(new RegExp(TIME), "TIME"),
    `You were signed out of Example CoTIMETo: ${CAROL}Example Co now requires two-factor authentication for every account, so you were signed out. Sign in again and set it up to continue.`);
  // One notice each for Bob and Carol; none for Ada, who has 2FA and stays signed in.
  const notices = page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: /^You were signed out of / });
  assert.deepEqual((await notices.allTextContents()).map((m) => /To: (\S+?)Example/.exec(m)[1]), [CAROL, BOB]);
  const sessions = await page.evaluate(() => Object.values(JSON.parse(localStorage.getItem("twofa-demo:server")).sessions));
  assert.deepEqual(sessions.filter((x) => !x.ended).map((x) => x.account), [ADA]);
  await tab("Log in");
  assert.equal(await text("#login-notice"), "You were signed out: this site now requires two-factor authentication. Sign in again to set it up.");
  await shot("policy-required-signed-out");

  // "Set up after the password": straight to the QR code, under the site's name.
  await enterPassword(BOB);
  const setup = panel("Set up 2FA");
  await setup.getByText("This site requires two-factor authentication. Set it up to finish signing in.").waitFor();
  await setup.getByRole("heading", { name: "Scan this QR code with your authenticator app" }).waitFor();
  assert.equal(await setup.getByLabel("Issuer (the site's name in the app)").isVisible(), false);
  assert.equal(await setup.getByRole("img", { name: `QR code of the new key for ${BOB} at Example Co` }).count(), 1);
  keys[BOB] = { secret: await readKey(setup), step: -1 };
  await shot("policy-required-setup");
  await setup.getByLabel("Code from your app").fill(await appCode(BOB));
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  await setup.getByRole("button", { name: "Continue to log in" }).click();
  assert.equal(await signedInText(), `Signed in as ${BOB} with two-factor authentication, now turned on.`);
});

test("policy required with \"only with an owner-issued recovery code\": the code opens the set-up", async () => {
  await open();
  await makeAccount(CAROL);
  await setPolicy("Required: users without 2FA must set it up");
  await panel("Account owner").getByRole("radio", { name: "Need a recovery code from the owner, then set it up" }).check();

  await enterPassword(CAROL);
  const login = panel("Log in");
  await login.getByRole("heading", { name: "Two-factor authentication is required" }).waitFor();
  await login.getByLabel("Code from the account owner").fill("ABCD-EFGH-JKMN-PQRS");
  await login.getByRole("button", { name: "Continue to set-up" }).click();
  assert.equal(await text("#login-gate-code-error"), "That recovery code is not right. 3 more wrong tries pause sign-in.");
  await shot("policy-recovery-gate");

  // The owner issues one to a user who has no 2FA yet.
  await tab("Account owner");
  await panel("Account owner").getByRole("button", { name: `Issue a recovery code for ${CAROL}` }).click();
  const code = await text("#owner-recovery-code");
  assert.match(await panel("Account owner").textContent(), /It lets this user set up 2FA where a recovery code is needed for that\./);
  await tab("Log in");
  await login.getByLabel("Code from the account owner").fill(code);
  await login.getByRole("button", { name: "Continue to set-up" }).click();
  const setup = panel("Set up 2FA");
  await setup.getByText("Recovery code accepted. Set up two-factor authentication to finish signing in.").waitFor();
  keys[CAROL] = { secret: await readKey(setup), step: -1 };
  await setup.getByLabel("Code from your app").fill(await appCode(CAROL));
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  await setup.getByRole("button", { name: "Continue to log in" }).click();
  assert.equal(await signedInText(), `Signed in as ${CAROL} with two-factor authentication, now turned on.`);
  // The code worked once.
  await signOut();
  await setPolicy("Optional: each user chooses");
  await signIn(CAROL);
  assert.equal(await signedInText(), `Signed in as ${CAROL} with a code from your authenticator app.`);
});

test("set up again after a reset, whatever the policy: the old app's codes no longer work", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  const old = keys[ADA].secret;
  await setPolicy("Off: nobody is asked for a code");
  await panel("Account owner").getByRole("button", { name: `Reset 2FA for ${ADA}` }).click();
  await page.getByRole("dialog", { name: `Reset 2FA for ${ADA}?` }).getByRole("button", { name: "Reset 2FA" }).click();
  // The reset runs once the dialog's answer has been awaited, after the click returns.
  await panel("Account owner").getByRole("heading", { name: `2FA reset for ${ADA}` }).waitFor();
  assert.equal(await panel("Account owner").getByRole("row", { name: new RegExp(`^${ADA}`) }).getByRole("cell").first().textContent(), "Off (reset)");

  // Even with 2FA off for everyone, the reset user sets it up at the next sign-in.
  await enterPassword(ADA);
  const setup = panel("Set up 2FA");
  await setup.getByText("The account owner reset your two-factor authentication. Set it up again to finish signing in.").waitFor();
  const fresh = await readKey(setup);
  assert.notEqual(fresh, old);
  // The old app's code does not turn the new key on.
  const stale = await codeNotOf(old, fresh);
  await setup.getByLabel("Code from your app").fill(stale.code);
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  assert.equal(await text("#setup-code-error"), "That code does not match. Type the newest code your app shows, and check the phone's clock. 3 more wrong tries pause sign-in.");
  await shot("reset-setup-again");
  keys[ADA] = { secret: fresh, step: -1 };
  await setup.getByLabel("Code from your app").fill(await appCode(ADA));
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  await setup.getByRole("button", { name: "Continue to log in" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with two-factor authentication, now turned on.`);
  await signOut();

  // Under "optional", the code step refuses the old app's code and takes the new one.
  await setPolicy("Optional: each user chooses");
  await enterPassword(ADA);
  const login = panel("Log in");
  const { code } = await codeNotOf(old, keys[ADA].secret, keys[ADA].step);
  await login.getByLabel("Authentication code").fill(code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await text("#login-code-error"), "That code is not right. Type the newest code your app shows. 3 more wrong tries pause sign-in.");
  await login.getByLabel("Authentication code").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with a code from your authenticator app.`);
});

test("settings: turning 2FA off is refused while required, and done with a current code", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await signIn(ADA);
  await setPolicy("Required: users without 2FA must set it up");
  await tab("Security settings");
  const settings = panel("Security settings");
  assert.equal(await settings.getByText("This site requires two-factor authentication, so it cannot be turned off.").isVisible(), true);
  assert.equal(await settings.getByRole("button", { name: "Turn off 2FA" }).isVisible(), false);
  await shot("settings-off-refused");

  await setPolicy("Optional: each user chooses");
  await tab("Security settings");
  const form = settings.getByRole("form", { name: "Turn off two-factor authentication" });
  await form.getByRole("button", { name: "Turn off 2FA" }).click();
  assert.equal(await text("#settings-disable-current-error"), "Enter all 6 digits of the code.");
  const wrong = wrongCode(keys[ADA].secret);
  await form.getByLabel("Current code from your app").fill(wrong);
  await form.getByRole("button", { name: "Turn off 2FA" }).click();
  assert.equal(await text("#settings-disable-current-error"), "That code is not right. Type the newest code your app shows. 3 more wrong tries pause sign-in.");
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "Turn off 2FA" }).click();
  assert.equal(await text("#settings-status"), "Two-factor authentication is off for your account.");
  assert.equal(await settings.getByText("Two-factor authentication is off for your account.", { exact: true }).count(), 2);
  await settings.getByRole("button", { name: "Turn on 2FA" }).waitFor();
  await shot("settings-off-done");
  await signOut();
  await enterPassword(ADA);
  assert.equal(await signedInText(), `Signed in as ${ADA} with a password only: this account has no two-factor authentication.`);

  // Turned on again from the settings: the server knows the session, so no password is asked.
  await tab("Security settings");
  await settings.getByRole("button", { name: "Turn on 2FA" }).click();
  const setup = panel("Set up 2FA");
  assert.equal(await setup.getByLabel("Account (e-mail)").inputValue(), ADA);
  assert.equal(await setup.getByLabel("Password").isVisible(), false);
  await setup.getByRole("button", { name: "Continue" }).click();
  keys[ADA] = { secret: await readKey(setup), step: -1 };
  await setup.getByLabel("Code from your app").fill(await appCode(ADA));
  await setup.getByRole("button", { name: "Turn on 2FA" }).click();
  await setup.getByRole("button", { name: "Continue to log in" }).click();
  assert.equal(await page.getByRole("tab", { name: "Security settings" }).getAttribute("aria-selected"), "true");
  assert.match(await text("#settings-app-text"), /^Two-factor authentication is on since /);
});

test("settings: change the authenticator app; the old one works until the new one's code is confirmed", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await signIn(ADA);
  const old = keys[ADA].secret;
  await tab("Security settings");
  const settings = panel("Security settings");
  await settings.getByRole("button", { name: "Change authenticator app" }).click();
  await settings.getByRole("heading", { name: "Scan this QR code with the new app" }).waitFor();
  assert.equal(await settings.getByRole("img", { name: `QR code of the new key for ${ADA} at Example Co` }).locator("svg").count(), 1);
  const first = (await text("#settings-app-key")).replaceAll(" ", "");
  assert.notEqual(first, old);
  await shot("settings-change-app");

  // Not confirmed: the old app still signs in.
  await signOut();
  await signIn(ADA);
  assert.equal(await signedInText(), `Signed in as ${ADA} with a code from your authenticator app.`);

  await tab("Security settings");
  await settings.getByRole("button", { name: "Change authenticator app" }).click();
  const next = (await text("#settings-app-key")).replaceAll(" ", "");
  assert.notEqual(next, first);
  // The old app's code does not confirm the new key.
  await settings.getByLabel("Code from the new app").fill((await codeNotOf(old, next)).code);
  await settings.getByRole("button", { name: "Confirm new app" }).click();
  assert.equal(await text("#settings-app-code-error"), "That code does not match the new key. Type the newest code the new app shows. 3 more wrong tries pause sign-in.");
  const { code, step } = await codeAfter(next);
  await settings.getByLabel("Code from the new app").fill(code);
  await settings.getByRole("button", { name: "Confirm new app" }).click();
  assert.equal(await text("#settings-status"), "Your new authenticator app is confirmed. The old app's codes no longer work.");
  keys[ADA] = { secret: next, step };

  await signOut();
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByLabel("Authentication code").fill((await codeNotOf(old, next, step)).code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await text("#login-code-error"), "That code is not right. Type the newest code your app shows. 3 more wrong tries pause sign-in.");
  await login.getByLabel("Authentication code").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with a code from your authenticator app.`);
});

test("settings: regenerate backup codes after a current code; the old set stops working", async () => {
  await open();
  const oldCodes = await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await signIn(ADA);
  await tab("Security settings");
  const form = panel("Security settings").getByRole("form", { name: "Backup codes" });
  assert.equal(await text("#settings-backup-left"), "10 of 10 backup codes left.");
  await form.getByRole("button", { name: "Regenerate backup codes" }).click();
  assert.equal(await text("#settings-backup-current-error"), "Enter all 6 digits of the code.");
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "Regenerate backup codes" }).click();
  assert.equal(await text("#settings-backup-new"), "New backup codes: the old set no longer works. These are shown only this once.");
  const fresh = await form.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
  assert.equal(fresh.length, 10);
  assert.equal(fresh.filter((c) => oldCodes.includes(c)).length, 0);
  await shot("settings-backup");

  await signOut();
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use a backup code" }).click();
  await login.getByLabel("Backup code").fill(oldCodes[0]);
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await text("#login-backup-code-error"), "That backup code is not right, or it was used before. 3 more wrong tries pause sign-in.");
  await login.getByLabel("Backup code").fill(fresh[0]);
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with a backup code.`);
  assert.equal(await text("#login-done-note"), "9 backup codes left.");
});

test("settings: view your backup codes after a current code: the unused ones in order, never a spent one", async () => {
  await open();
  const codes = await setUp(ADA);
  assert.equal(codes.length, 10);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  // One code is spent at sign-in.
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use a backup code" }).click();
  await login.getByLabel("Backup code").fill(codes[3]);
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with a backup code.`);

  await tab("Security settings");
  const form = panel("Security settings").getByRole("form", { name: "Backup codes" });
  assert.equal(await text("#settings-backup-left"), "9 of 10 backup codes left.");
  const view = form.getByRole("button", { name: "View your backup codes" });
  await view.click();
  assert.equal(await text("#settings-backup-current-error"), "Enter all 6 digits of the code.");
  await form.getByLabel("Current code from your app").fill(wrongCode(keys[ADA].secret));
  await view.click();
  assert.equal(await text("#settings-backup-current-error"), "That code is not right. Type the newest code your app shows. 3 more wrong tries pause sign-in.");
  assert.equal(await form.getByRole("list", { name: "Backup codes" }).count(), 0);
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await view.click();
  assert.equal(await text("#settings-backup-shown"), "Your 9 unused backup codes: each works once. Codes you have used are not shown.");
  const shown = await form.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
  assert.deepEqual(shown, codes.filter((_, i) => i !== 3));
  assert.equal(await form.getByLabel("Current code from your app").inputValue(), "");
  await shot("settings-backup-view");

  // A new set replaces the old one: viewing then shows the new set, none of the old.
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "Regenerate backup codes" }).click();
  const fresh = await form.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
  assert.equal(fresh.length, 10);
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await view.click();
  assert.deepEqual(await form.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents(), fresh);
});

test("settings: removing this device from the trusted devices; the page no longer says it is trusted", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await signIn(ADA, { trust: "Do not ask again for 30 days" });
  assert.match(await text("#login-done-note"), /^This device is trusted until /);
  await signOut();
  await enterPassword(ADA);
  assert.match(await signedInText(), new RegExp(`^Signed in as ${ADA}\\. This device is trusted until .*, so no code was asked\\.$`));

  await tab("Security settings");
  const settings = panel("Security settings");
  const devices = settings.getByRole("list", { name: "Trusted devices" }).getByRole("listitem");
  assert.equal(await devices.count(), 1);
  assert.match(await devices.first().textContent(), /^\w+ on \w+this deviceAdded .* · trusted until /);
  await settings.getByRole("button", { name: /^Remove \w+ on \w+, added / }).click();
  assert.match(await text("#settings-status"), /^Removed \w+ on \w+ \(this device\): the next sign-in here asks for a code\.$/);
  assert.equal(await devices.first().textContent(), "None.");
  assert.equal(await page.evaluate(() => document.activeElement.id), "settings-devices-title", "focus stays in the list's section");
  await tab("Log in");
  assert.equal(await signedInText(), `Signed in as ${ADA} without a code. This device is no longer trusted: the next sign-in asks for one.`);
  assert.equal(await page.getByText(/This device is trusted/).count(), 0);
  await shot("settings-device-removed");
  await signOut();
  await enterPassword(ADA);
  await panel("Log in").getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  assert.equal(await text("#login-lock"), "This device's trust was removed: enter a code to sign in.");
});

test("SMS: set up a phone number with Send code and Validate; at sign-in switch between the app and a text message", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await signIn(ADA);
  await tab("Security settings");
  const sms = panel("Security settings").getByRole("form", { name: "Set up SMS" });
  await sms.getByLabel("Phone number").fill("12");
  await sms.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#settings-sms-phone-error"), "Enter a phone number of 6 to 15 digits, such as +44 7700 900123.");
  await sms.getByLabel("Phone number").fill("+44 7700 900123");
  await sms.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#settings-sms-status"), "We sent a code to +447700900123. It works for 10 minutes.");
  const setupText = await lastText();
  assert.match(setupText.all, new RegExp(`^To \\+447700900123${TIME}Example Co: your code is \\d{6}\\. It works until ${TIME}\\. Do not share it\\.$`));
  await sms.getByLabel("Code from the text message").fill(setupText.code === "000000" ? "111111" : "000000");
  await sms.getByRole("button", { name: "Validate" }).click();
  assert.equal(await text("#settings-sms-code-error"), "That code is not right (4 tries left for this code). 3 more wrong tries pause sign-in.");
  await sms.getByLabel("Code from the text message").fill(setupText.code);
  await sms.getByRole("button", { name: "Validate" }).click();
  assert.equal(await text("#settings-status"), "Text messages are set up: at sign-in, codes can go to ••• ••• •• 23.");
  await shot("sms-set-up");

  await signOut();
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use a text message instead" }).click();
  assert.equal(await login.getByRole("button", { name: "Use a text message instead" }).isVisible(), false);
  // One text per 30 s: the set-up's was just sent.
  await login.getByRole("button", { name: "Send code" }).click();
  assert.match(await text("#login-sms-status"), /^A code was just sent\. Wait \d+ s before asking for another\.$/);
  await advance("+30 s", 30_000);
  assert.equal(await text("#login-sms p"), "We send a 6-digit code by text message to ••• ••• •• 23. It works for 10 minutes.");
  await login.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#login-sms-status"), "We sent a code to ••• ••• •• 23. It works for 10 minutes.");
  const signInText = await lastText();
  assert.notEqual(signInText.all, setupText.all);
  // Back to the app and again to SMS: the switch goes both ways.
  await login.getByRole("button", { name: "Use the authenticator app" }).click();
  await login.getByLabel("Authentication code").waitFor();
  await login.getByRole("button", { name: "Use a text message instead" }).click();
  await login.getByLabel("Code from the text message").fill(signInText.code);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with a code sent by text message.`);
  await shot("sms-signed-in");

  // Removed from the settings, the number is no longer offered.
  await tab("Security settings");
  assert.equal(await text("#settings-sms-on p"), "Codes can also be sent to ••• ••• •• 23.");
  await panel("Security settings").getByRole("button", { name: "Remove this phone number" }).click();
  assert.equal(await text("#settings-status"), "The phone number is removed: no more codes by text message.");
  await signOut();
  await enterPassword(ADA);
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  assert.equal(await login.getByRole("button", { name: "Use a text message instead" }).count(), 0);
});

test("alternative e-mail address: added during set-up, used at sign-in, changed from the settings", async () => {
  await open();
  await setUp(ADA);
  const setup = panel("Set up 2FA");
  const alt = setup.getByRole("form", { name: "Add an alternative way in (optional)" });
  assert.equal(await alt.getByRole("radio", { name: "An alternative e-mail address" }).isChecked(), true);
  await alt.getByLabel("Alternative e-mail address", { exact: true }).fill(ADA);
  await alt.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#setup-alt-address-error"), "Use another address than the one you sign in with: it is your way in when that one is lost.");
  await alt.getByLabel("Alternative e-mail address", { exact: true }).fill("ada.alt@example.org");
  await alt.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#setup-alt-status"), "We sent a code to ada.alt@example.org. It works for 10 minutes.");
  const verify = await lastMail();
  assert.equal(verify.to, "ada.alt@example.org");
  assert.match(verify.all, /Your verification code is \d{6}\./);
  await alt.getByLabel("Code from the e-mail").fill(verify.code);
  await alt.getByRole("button", { name: "Verify address" }).click();
  assert.equal(await text("#setup-alt-status"), "Verified: a•••@example.org is your alternative e-mail address.");
  await shot("alt-setup");
  await setup.getByRole("button", { name: "Continue to log in" }).click();

  // At sign-in: the chooser offers the address, masked, and says where the code goes.
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use another authentication method" }).click();
  const choice = login.getByRole("radio", { name: "E-mail a code to a•••@example.org" });
  assert.equal(await choice.isChecked(), true);
  await advance("+30 s", 30_000);
  await login.getByRole("button", { name: "Send code by e-mail" }).click();
  assert.equal(await text("#login-alt-status"), "We sent a code to a•••@example.org. It works for 10 minutes.");
  const mailed = await lastMail();
  assert.equal(mailed.to, "ada.alt@example.org");
  assert.match(mailed.all, /Your sign-in code is \d{6}\./);
  await shot("alt-sign-in");
  await login.getByLabel("Code from the e-mail").fill(mailed.code === "000000" ? "111111" : "000000");
  await login.getByRole("button", { name: "Verify e-mail code" }).click();
  assert.equal(await text("#login-alt-code-error"), "That code is not right (4 tries left for this code). 3 more wrong tries pause sign-in.");
  // A second code within 30 s is refused: the site is no spam cannon.
  await login.getByRole("button", { name: "Send code by e-mail" }).click();
  assert.match(await text("#login-alt-status"), /^A code was just sent\. Wait \d+ s before asking for another\.$/);
  await login.getByLabel("Code from the e-mail").fill(mailed.code);
  await login.getByRole("button", { name: "Verify e-mail code" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} with a code sent to your alternative e-mail address.`);
  // Nothing ever went to the sign-in address.
  assert.equal(await page.getByRole("list", { name: "Messages" }).getByText(`To: ${ADA}`).count(), 0);

  // Changed from the settings, after a current code.
  await tab("Security settings");
  const form = panel("Security settings").getByRole("form", { name: "Alternative method" });
  assert.equal(await text("#settings-alt-text"), "Your alternative e-mail address is a•••@example.org. To change it, enter a current code from your app and the new address.");
  await advance("+30 s", 30_000);
  await form.getByLabel("New alternative e-mail address").fill("ada.new@example.net");
  await form.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#settings-alt-current-error"), "Enter all 6 digits of the code.");
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "Send code" }).click();
  assert.equal(await text("#settings-alt-status"), "We sent a code to ada.new@example.net. It works for 10 minutes.");
  const change = await lastMail();
  assert.equal(change.to, "ada.new@example.net");
  // A sign-in code sent meanwhile to the old address does not confirm the new one.
  await signOut();
  await advance("+30 s", 30_000);
  await enterPassword(ADA);
  await login.getByRole("button", { name: "Use another authentication method" }).click();
  await login.getByRole("button", { name: "Send code by e-mail" }).click();
  const toOld = await lastMail();
  assert.equal(toOld.to, "ada.alt@example.org");
  await login.getByRole("button", { name: "Use the authenticator app" }).click();
  await login.getByLabel("Authentication code").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Verify" }).click();
  await login.getByRole("heading", { name: "Signed in" }).waitFor();
  await tab("Security settings");
  await form.getByLabel("Code from the e-mail").fill(toOld.code);
  await form.getByRole("button", { name: "Verify address" }).click();
  assert.equal(await text("#settings-alt-code-error"), "That code is not right (4 tries left for this code). 3 more wrong tries pause sign-in.");
  await form.getByLabel("Code from the e-mail").fill(change.code);
  await form.getByRole("button", { name: "Verify address" }).click();
  assert.equal(await text("#settings-status"), "Your alternative e-mail address is now a•••@example.net.");
  assert.equal(await text("#settings-alt-text"), "Your alternative e-mail address is a•••@example.net. To change it, enter a current code from your app and the new address.");
  await shot("alt-changed");
  await signOut();
  await enterPassword(ADA);
  await login.getByRole("button", { name: "Use another authentication method" }).click();
  assert.equal(await login.getByRole("radio", { name: "E-mail a code to a•••@example.net" }).isChecked(), true);
});

test("security questions as the alternative method: set during set-up, answered at sign-in in any case and spacing, changed from the settings", async () => {
  await open();
  await setUp(ADA);
  const setup = panel("Set up 2FA");
  const alt = setup.getByRole("form", { name: "Add an alternative way in (optional)" });
  await alt.getByRole("radio", { name: "Security questions" }).check();
  assert.equal(await alt.getByLabel("Alternative e-mail address", { exact: true }).isVisible(), false);
  // One question from the list, one of the user's own.
  await alt.getByLabel("Question 1", { exact: true }).selectOption("What was the name of your first pet?");
  await alt.getByLabel("Question 2", { exact: true }).selectOption("Write my own question");
  await alt.getByLabel("Your own question 2").fill("What was my grandmother's village?");
  await alt.getByLabel("Answer 1").fill("Fluffy");
  await alt.getByRole("button", { name: "Save security questions" }).click();
  assert.equal(await text("#setup-alt-a2-error"), "Enter an answer.");
  await alt.getByLabel("Answer 2").fill("Saint-Martin   de Ré");
  await alt.getByRole("button", { name: "Save security questions" }).click();
  assert.equal(await page.locator("#setup-alt-questions-status").isVisible(), true);
  assert.equal(await text("#setup-alt-questions-status"), "Saved: at sign-in you can answer “What was the name of your first pet?” and “What was my grandmother's village?”.");
  // The answers were hashed: neither is kept by the simulated server.
  const stored = await page.evaluate(() => localStorage.getItem("twofa-demo:server"));
  assert.doesNotMatch(stored, /fluffy|martin/i);
  assert.match(stored, /What was the name of your first pet\?/);
  await shot("questions-setup");
  await setup.getByRole("button", { name: "Continue to log in" }).click();

  // Wrong answers: refused with the message, counted by the throttle.
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("button", { name: "Use another authentication method" }).click();
  assert.equal(await login.getByRole("radio", { name: "Answer your security questions" }).isChecked(), true);
  await login.getByLabel("What was the name of your first pet?").fill("Rex");
  await login.getByLabel("What was my grandmother's village?").fill("Saint-Martin de Ré");
  await login.getByRole("button", { name: "Verify answers" }).click();
  assert.equal(await text("#login-alt-answers-error"), "Those answers do not match the ones you saved. 3 more wrong tries pause sign-in.");
  await login.getByRole("button", { name: "Verify answers" }).click();
  assert.equal(await text("#login-alt-answers-error"), "Those answers do not match the ones you saved. 2 more wrong tries pause sign-in.");
  // Each set also spent one of the pending sign-in's tries.
  const attempts = await page.evaluate(() => Object.values(JSON.parse(localStorage.getItem("twofa-demo:server")).pending).map((p) => p.attempts));
  assert.deepEqual(attempts, [2]);
  await shot("questions-wrong");
  // Case and spacing do not count.
  await login.getByLabel("What was the name of your first pet?").fill("  FLUFFY ");
  await login.getByLabel("What was my grandmother's village?").fill("saint-martin de RÉ");
  await login.getByRole("button", { name: "Verify answers" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} by answering your security questions.`);

  // Changed from the settings, after a current code.
  await tab("Security settings");
  const form = panel("Security settings").getByRole("form", { name: "Alternative method" });
  assert.equal(await text("#settings-alt-text"), "Your security questions: “What was the name of your first pet?” and “What was my grandmother's village?”. To change them, enter a current code from your app.");
  await form.getByRole("radio", { name: "Security questions" }).check();
  await form.getByLabel("Question 1", { exact: true }).selectOption("In which town were you born?");
  await form.getByLabel("Question 2", { exact: true }).selectOption("What was the make of your first car?");
  await form.getByLabel("Answer 1").fill("Leeds");
  await form.getByLabel("Answer 2").fill("Morris Minor");
  await form.getByRole("button", { name: "Save security questions" }).click();
  assert.equal(await text("#settings-alt-current-error"), "Enter all 6 digits of the code.");
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "Save security questions" }).click();
  assert.equal(await text("#settings-status"), "Your security questions are now “In which town were you born?” and “What was the make of your first car?”.");
  await shot("questions-changed");
  await signOut();
  await enterPassword(ADA);
  await login.getByRole("button", { name: "Use another authentication method" }).click();
  await login.getByLabel("In which town were you born?").fill("Fluffy");
  await login.getByLabel("What was the make of your first car?").fill("Saint-Martin de Ré");
  await login.getByRole("button", { name: "Verify answers" }).click();
  // The throttle was reset by the sign-in: this is the first wrong answer again.
  assert.equal(await text("#login-alt-answers-error"), "Those answers do not match the ones you saved. 3 more wrong tries pause sign-in.");
  await login.getByLabel("In which town were you born?").fill("leeds");
  await login.getByLabel("What was the make of your first car?").fill("MORRIS  minor");
  await login.getByRole("button", { name: "Verify answers" }).click();
  assert.equal(await signedInText(), `Signed in as ${ADA} by answering your security questions.`);
});

/** The href of the newest mail's "Reset your QR code" link. */
const newestResetLink = () =>
  page.getByRole("list", { name: "Messages" }).getByRole("listitem").first().getByRole("link", { name: "Reset your QR code" }).getAttribute("href");
/** The inbox's link with this href, wherever its mail now is in the list. */
const mailedLink = (href) => page.getByRole("list", { name: "Messages" }).getByRole("link", { name: "Reset your QR code" }).and(page.locator(`[href="${href}"]`));

test("reset the QR code by e-mail: the link works once, dies when 2FA changes another way, and expires", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  const oldSecret = keys[ADA].secret;
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("button", { name: "Reset QR by mail" }).click();
  assert.equal(await text("#login-reset-status"), "We sent a link to a•••@example.com. It works for an hour.");
  const mail = page.getByRole("list", { name: "Messages" }).getByRole("listitem").first();
  const body = await mail.textContent();
  assert.match(body, new RegExp(`To: ${ADA}Open this link to scan a new QR code\\. It works once, until ${TIME}\\.`));
  const href = await mail.getByRole("link", { name: "Reset your QR code" }).getAttribute("href");
  assert.match(href, /^#reset-qr=[\w.-]+&account=ada%40example\.com$/);
  // The token carries no secret: not the TOTP key.
  assert.equal(href.includes(oldSecret), false);
  const link = mailedLink(href);
  await link.click();
  await login.getByRole("heading", { name: "Reset your authenticator app" }).waitFor();
  const secret = (await text("#login-reset-key")).replaceAll(" ", "");
  assert.notEqual(secret, oldSecret);
  await shot("reset-qr-link");
  keys[ADA] = { secret, step: -1 };
  await login.getByLabel("Code from the new app").fill(wrongCode(secret));
  await login.getByRole("button", { name: "Confirm new app" }).click();
  assert.equal(await text("#login-reset-code-error"), "That code does not match the new key. Type the newest code the new app shows. 3 more wrong tries pause sign-in.");
  await login.getByLabel("Code from the new app").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Confirm new app" }).click();
  assert.equal(await text("#login-reset-done"), "Your new authenticator app is set up: sign in with its codes. The old key no longer works.");
  await shot("reset-qr-done");
  // The same link again: refused, the secret changed.
  await link.click();
  assert.equal(await text("#login-reset-refused"), "This link was already used or 2FA has changed since it was sent.");
  assert.equal(await page.locator("#login-reset-form").isHidden(), true);
  await shot("reset-qr-used");
  // The new app signs in; the old one's code does not.
  await login.getByRole("button", { name: "Back to log in" }).click();
  await enterPassword(ADA);
  const { code: old } = await codeNotOf(oldSecret, secret, keys[ADA].step);
  await login.getByLabel("Authentication code").fill(old);
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await text("#login-code-error"), "That code is not right. Type the newest code your app shows. 3 more wrong tries pause sign-in.");
  await login.getByLabel("Authentication code").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Verify" }).click();
  await login.getByRole("heading", { name: "Signed in" }).waitFor();

  // A second link, then 2FA changes another way (a new app from the settings): refused.
  await signOut();
  await advance("+30 s", 30_000);
  await enterPassword(ADA);
  await login.getByRole("button", { name: "Reset QR by mail" }).click();
  const secondHref = await newestResetLink();
  assert.notEqual(secondHref, href);
  const second = mailedLink(secondHref);
  await login.getByLabel("Authentication code").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Verify" }).click();
  await login.getByRole("heading", { name: "Signed in" }).waitFor();
  await tab("Security settings");
  const settings = panel("Security settings");
  await settings.getByRole("button", { name: "Change authenticator app" }).click();
  keys[ADA] = { secret: (await text("#settings-app-key")).replaceAll(" ", ""), step: -1 };
  await settings.getByLabel("Code from the new app").fill(await appCode(ADA));
  await settings.getByRole("button", { name: "Confirm new app" }).click();
  assert.equal(await text("#settings-status"), "Your new authenticator app is confirmed. The old app's codes no longer work.");
  await second.click();
  await login.getByRole("heading", { name: "Reset your authenticator app" }).waitFor();
  assert.equal(await text("#login-reset-refused"), "This link was already used or 2FA has changed since it was sent.");

  // A third link, opened a day later: expired.
  await login.getByRole("button", { name: "Back to log in" }).click();
  await advance("+30 s", 30_000);
  await enterPassword(ADA);
  await login.getByRole("button", { name: "Reset QR by mail" }).click();
  const third = mailedLink(await newestResetLink());
  await advance("+1 day", DAY);
  await third.click();
  await login.getByRole("heading", { name: "Reset your authenticator app" }).waitFor();
  assert.equal(await text("#login-reset-refused"), "This link has expired. Sign in and ask for a new one.");
  await shot("reset-qr-expired");
});

test("trusted devices per site policy: 14 days in the label and the token's life (by +1 day), off hides the box", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await setPolicy("14 days");
  await signIn(ADA, { trust: "Do not ask again for 14 days" });
  assert.match(await text("#login-done-note"), /^This device is trusted until /);
  await tab("Security settings");
  assert.equal(await text("#settings-devices-text"), "These browsers skip the code for 14 days after you tick “Do not ask again”.");
  await shot("trust-14-days");
  await signOut();
  for (let i = 0; i < 13; i++) await advance("+1 day", DAY);
  assert.ok(offset >= 13 * DAY && offset < 13 * DAY + 120_000);
  assert.equal(await text("#clock-offset"), clockText(offset));
  await enterPassword(ADA);
  assert.match(await signedInText(), /This device is trusted until .*, so no code was asked\.$/);
  await signOut();
  await advance("+1 day", DAY);
  await enterPassword(ADA);
  await panel("Log in").getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  assert.equal(await text("#login-lock"), "This device's trust expired: enter a code to sign in.");
  await panel("Log in").getByRole("button", { name: "Cancel" }).click();

  await setPolicy("Off: always ask for a code");
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  assert.equal(await login.getByRole("checkbox").count(), 0);
  assert.equal(await page.locator("#login-trust").isVisible(), false);
  assert.equal(await login.getByText(/Do not ask again/).isVisible(), false);
  await shot("trust-off");
});

test("the pending sign-in: a server record with a random id, that expires after 10 minutes; no page flag signs in", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  await enterPassword(ADA);
  const login = panel("Log in");
  await login.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  const records = await page.evaluate(() => JSON.parse(localStorage.getItem("twofa-demo:server")));
  assert.equal(records.version, 2);
  const pending = Object.entries(records.pending).filter(([, p]) => p.purpose === "code");
  assert.equal(pending.length, 1);
  const [id, record] = pending[0];
  assert.match(id, /^[A-Z2-7]{26}$/, "128 bits from Secret.generate(16), as base32");
  assert.equal(record.account, ADA);
  assert.equal(record.attempts, 0);
  assert.ok(Math.abs(record.expiresAt - (now() + 600_000)) < 5_000);

  // Ten minutes on, the code step sends the user back to the password.
  for (let i = 0; i < 20; i++) await advance("+30 s", 30_000);
  await login.getByLabel("Authentication code").fill(await appCode(ADA));
  await login.getByRole("button", { name: "Verify" }).click();
  assert.equal(await text("#login-account-error"), "This sign-in expired: more than 10 minutes passed after the password. Enter your password again.");
  assert.equal(await login.getByLabel("Account (e-mail)").inputValue(), ADA);
  await shot("pending-expired");
  const after = await page.evaluate(() => JSON.parse(localStorage.getItem("twofa-demo:server")));
  assert.equal(after.pending[id], undefined);

  // Each answer spends one of the pending sign-in's 10 tries, even one the throttle does
  // not count (a backup code of the wrong shape): the 11th sends the user back.
  await enterPassword(ADA);
  await login.getByRole("button", { name: "Use a backup code" }).click();
  for (let i = 0; i < 10; i++) {
    await login.getByLabel("Backup code").fill("ABCD");
    await login.getByRole("button", { name: "Use backup code" }).click();
    assert.equal(await text("#login-backup-code-error"), "Backup codes look like XXXX-XXXX-XXXX: 12 letters and digits.");
  }
  await login.getByLabel("Backup code").fill("ABCD");
  await login.getByRole("button", { name: "Use backup code" }).click();
  assert.equal(await text("#login-account-error"), "Too many tries for this sign-in. Enter your password again.");

  // The page cannot sign in by saying so: version 1's page-side session is ignored and removed.
  await page.evaluate((account) => localStorage.setItem("twofa-demo:session", JSON.stringify({ account, method: "totp" })), ADA);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await tab("Security settings");
  await panel("Security settings").getByText("Sign in to see your security settings.").waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("twofa-demo:session")), null);
});

test("records of version 1 are migrated: users keep 2FA, the switch becomes the policy, its session is dropped", async () => {
  await open();
  const secret = twofa.Secret.generate();
  const base32 = secret.toBase32();
  secret.free();
  const key = twofa.Secret.generate(32);
  const deviceKey = key.toBase32();
  key.free();
  await page.evaluate(({ base32, deviceKey, account, password }) => {
    localStorage.setItem("twofa-demo:server", JSON.stringify({
      version: 1, requireTwofa: true, deviceKey,
      users: { [account]: { account, password, createdAt: 0, issuer: "Old Co", totp: { secret: base32, lastStep: 0, enabledAt: 0 }, pending: null, backup: null, recovery: [], devices: [], revoked: [], throttle: null, email: null } },
    }));
    localStorage.setItem("twofa-demo:session", JSON.stringify({ account, method: "totp" }));
    localStorage.setItem("twofa-demo:browser", JSON.stringify({}));
  }, { base32, deviceKey, account: ADA, password: PASSWORD });
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await tab("Account owner");
  assert.equal(await panel("Account owner").getByRole("radio", { name: "Required: users without 2FA must set it up" }).isChecked(), true);
  assert.equal(await panel("Account owner").getByRole("row", { name: new RegExp(`^${ADA}`) }).getByRole("cell").first().textContent(), "On");
  await tab("Log in");
  assert.equal(await page.getByRole("heading", { name: "Log in" }).isVisible(), true);
  keys[ADA] = { secret: base32, step: 0 };
  await signIn(ADA);
  assert.equal(await signedInText(), `Signed in as ${ADA} with a code from your authenticator app.`);
});

test("a site saved before the backup and link keys gets them; its hash-only backup codes ask for a new set before they can be shown", async () => {
  await open();
  await setUp(ADA);
  await panel("Set up 2FA").getByRole("button", { name: "Continue to log in" }).click();
  // The records as the demo kept them before: no backup or link key, backup codes hash-only.
  await page.evaluate(() => {
    const site = JSON.parse(localStorage.getItem("twofa-demo:server"));
    delete site.backupKey;
    delete site.linkKey;
    for (const u of Object.values(site.users)) if (u.backup) delete u.backup.sealed;
    localStorage.setItem("twofa-demo:server", JSON.stringify(site));
  });
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  const site = await page.evaluate(() => JSON.parse(localStorage.getItem("twofa-demo:server")));
  assert.match(site.backupKey, /^[A-Z2-7]{52}$/);
  assert.match(site.linkKey, /^[A-Z2-7]{52}$/);
  assert.equal(site.version, 2);
  await signIn(ADA);
  await tab("Security settings");
  const form = panel("Security settings").getByRole("form", { name: "Backup codes" });
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "View your backup codes" }).click();
  assert.equal(await text("#settings-backup-current-error"), "These backup codes were made before they could be shown again. Make a new set to see them.");
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "Regenerate backup codes" }).click();
  const fresh = await form.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
  await form.getByLabel("Current code from your app").fill(await appCode(ADA));
  await form.getByRole("button", { name: "View your backup codes" }).click();
  assert.deepEqual(await form.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents(), fresh);
});

test("375 × 740: every tab is reachable, and the phone and the inbox are one tap away", async () => {
  await open({ width: 375, height: 740 });
  for (const name of ["Set up 2FA", "Log in", "Security settings", "Account owner", "Tools"]) {
    const box = await page.getByRole("tab", { name }).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 375, `${name} tab within the width: ${JSON.stringify(box)}`);
    await tab(name);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name} fits 375 px`);
  }
  await tab("Set up 2FA");
  await shot("375-tabs");
  const bar = page.getByRole("navigation", { name: "Simulated devices" });
  for (const [link, heading] of [["Inbox", "Inbox"], ["Demo phone", "Demo phone"]]) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await bar.getByRole("link", { name: link }).click();
    const target = page.getByRole("heading", { name: heading, exact: true });
    assert.equal(await target.evaluate((e) => e === document.activeElement), true, `${heading} focused`);
    const box = await target.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 740, `${heading} on screen: ${JSON.stringify(box)}`);
    await shot(`375-${link.toLowerCase().replace(" ", "-")}`);
  }
  // The bar stays on screen while the page scrolls.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
  const barBox = await bar.boundingBox();
  assert.ok(barBox.y + barBox.height <= 740 && barBox.y > 600, JSON.stringify(barBox));
});
