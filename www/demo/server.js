// The simulated site: what a real one runs on its server, here in the page. Its records
// live in localStorage under "twofa-demo:server"; the device cookie lives apart, under
// "twofa-demo:browser", as a browser would keep it. Every secret, code, hash and token is
// made and checked by twofa; this file only keeps the records and decides what to show.
import { sentence } from "/shared/dom.js";
import {
  generateBackupCodes, issueDeviceToken, issueRecoveryCode, issueVerificationCode, throttleCheck, throttleFailure,
  throttleSuccess, verifyBackupCode, verifyDeviceToken, verifyRecoveryCode, verifyVerificationCode,
} from "/shared/twofa/flows.js";
import { Secret, Totp, checkToken } from "/shared/twofa/twofa.js";
import { clock, load, save } from "./ui.js";

const SERVER_KEY = "twofa-demo:server";
const BROWSER_KEY = "twofa-demo:browser";

/** The demo's lock-out: 3 wrong answers are free; each one after locks for 30 s, 1 min, 2 min… up to 15 min. */
export const THROTTLE = { freeAttempts: 3, baseDelay: 30_000, maxDelay: 15 * 60_000 };
export const TRUST_DAYS = 30;
/** The least time between two e-mailed codes. */
const EMAIL_GAP = 30_000;

let state = load(SERVER_KEY, fresh);
if (state?.version !== 1) state = fresh();
const listeners = new Set();

/**
 * A new site: no users, and a new device key, 32 random bytes kept as base32 text, which
 * issueDeviceToken and verifyDeviceToken take as they are.
 */
function fresh() {
  const key = Secret.generate(32);
  const deviceKey = key.toBase32();
  key.free();
  return { version: 1, requireTwofa: false, deviceKey, users: {} };
}

function commit() {
  save(SERVER_KEY, state);
  listeners.forEach((f) => f());
}

export const onChange = (f) => listeners.add(f);
export const users = () => Object.values(state.users);
export const user = (account) => state.users[account];
export const requireTwofa = () => state.requireTwofa;

export function setRequireTwofa(on) {
  state.requireTwofa = on;
  commit();
}

/** Forgets every user, the device key and this browser's cookie. */
export function resetAll() {
  state = fresh();
  localStorage.removeItem(BROWSER_KEY);
  commit();
}

/**
 * The simulated clock went back ("Reset clock"): what the site recorded in the future it
 * left is pulled back to now, so the current code is not taken for a used one and a
 * lock-out does not outlast its own length. A real server's clock never does this.
 */
export function clockWentBack() {
  const now = clock.now();
  for (const u of Object.values(state.users)) {
    if (u.totp) {
      const totp = new Totp({ secret: u.totp.secret });
      const current = totp.stepAt(now);
      totp.free();
      if (u.totp.lastStep >= current) u.totp.lastStep = current - 1;
    }
    if (u.throttle?.lockedUntil > now) u.throttle = { ...u.throttle, lockedUntil: Math.min(u.throttle.lockedUntil, now + THROTTLE.baseDelay) };
    if (u.emailSentAt > now) u.emailSentAt = now - EMAIL_GAP;
  }
  commit();
}

// --- The browser's cookie jar ---------------------------------------------------------

const cookies = () => load(BROWSER_KEY, () => ({}));
export const deviceCookie = (account) => cookies()[account];
function setDeviceCookie(account, token) {
  const jar = cookies();
  if (token) jar[account] = token;
  else delete jar[account];
  save(BROWSER_KEY, jar);
}

// --- Accounts ---------------------------------------------------------------------------

/** A failure of one form field: the page shows `message` under `field`. */
const fail = (field, message) => ({ ok: false, field, message });

function checkAccount(account) {
  if (!account) return fail("account", "Enter an e-mail address.");
  if (!/^[^\s@]+@[^\s@]+$/.test(account)) return fail("account", "Enter an e-mail address, such as ada@example.com.");
  if (account.length > 254) return fail("account", "That address is too long.");
  return null;
}

/**
 * Set-up, first step: makes the user (or checks the password of one made before) and a
 * new secret, kept as pending until a code proves the app has it.
 */
export function startSetup({ account, password, issuer, signedIn = false }) {
  const bad = checkAccount(account);
  if (bad) return bad;
  let u = state.users[account];
  if (!signedIn) {
    if (!password) return fail("password", "Enter a password.");
    if (u && u.password !== password) return fail("password", "That is not this account's password.");
  }
  if (u?.totp) return fail("account", "This account already has 2FA. Reset it under Account owner to set it up again.");
  if (!issuer) return fail("issuer", "Enter the name your users know the site by.");
  const secret = Secret.generate();
  let uri;
  let totp;
  try {
    totp = new Totp({ secret, issuer, account });
    uri = totp.toUri();
  } catch (err) {
    secret.free();
    return fail("issuer", sentence(err.message));
  } finally {
    totp?.free();
  }
  u ??= state.users[account] = {
    account, password, createdAt: clock.now(), totp: null, pending: null, backup: null,
    recovery: [], devices: [], revoked: [], throttle: null, email: null,
  };
  u.issuer = issuer;
  u.pending = secret.toBase32();
  const grouped = secret.toGrouped();
  secret.free();
  commit();
  return { ok: true, uri, grouped };
}

export function cancelSetup(account) {
  const u = state.users[account];
  if (u) {
    u.pending = null;
    commit();
  }
}

/**
 * Set-up, second step: the first code from the app turns 2FA on, and the user gets a
 * fresh set of backup codes, shown once.
 */
export function confirmSetup(account, input) {
  const u = state.users[account];
  if (!u?.pending) return fail("code", "Start again: this set-up is no longer open.");
  const locked = lockedOut(u);
  if (locked) return locked;
  const shape = checkToken(input);
  if (!shape.ok) return fail("code", shape.incomplete ? "Enter all 6 digits of the code." : `That is not a code: ${shape.message}.`);
  const totp = new Totp({ secret: u.pending });
  const match = totp.verify(shape.token, { timestamp: clock.now() });
  totp.free();
  if (!match) return wrong(u, "code", "That code does not match. Type the newest code your app shows, and check the phone's clock.");
  const { codes, record } = generateBackupCodes({ now: clock.now() });
  u.totp = { secret: u.pending, lastStep: match.step, enabledAt: clock.now() };
  u.pending = null;
  u.backup = record;
  u.throttle = throttleSuccess();
  commit();
  return { ok: true, codes };
}

// --- Signing in -------------------------------------------------------------------------

/**
 * The password step. Returns what comes next: `"code"` (the second factor), `"done"`
 * (no 2FA, or a trusted device), or `"setup"` (2FA is required and not set up yet).
 */
export function checkPassword({ account, password }) {
  const bad = checkAccount(account);
  if (bad) return bad;
  const u = state.users[account];
  if (!u) return fail("account", "There is no account with this e-mail. Set up 2FA first to make one.");
  if (!password) return fail("password", "Enter your password.");
  if (u.password !== password) return fail("password", "Wrong password.");
  if (!u.totp) return state.requireTwofa ? { ok: true, next: "setup" } : { ok: true, next: "done", method: "password" };
  const token = deviceCookie(account);
  if (token) {
    const check = verifyDeviceToken(state.deviceKey, token, { user: account, revoked: u.revoked, now: clock.now() });
    if (check.ok) return { ok: true, next: "done", method: "trusted", until: check.expiresAt };
    // A token that no longer works is dropped, and the user hears why the code is back.
    setDeviceCookie(account, null);
    return { ok: true, next: "code", trustEnded: check.reason };
  }
  return { ok: true, next: "code" };
}

/** When the lock-out ends, or 0 when none is running. */
export function lockedUntil(account) {
  const u = state.users[account];
  if (!u) return 0;
  const decision = throttleCheck(u.throttle ?? undefined, clock.now());
  return decision.allowed ? 0 : decision.retryAt;
}

/**
 * What stops a second-factor answer before it is checked: the user's 2FA was reset
 * meanwhile (the page goes back to the password), or a lock-out is running.
 */
function blocked(u) {
  if (!u?.totp) return { ok: false, restart: true, message: "Two-factor authentication was turned off for this account meanwhile. Sign in again." };
  return lockedOut(u);
}

/** The lock-out, if one is running: a result the page shows above the form. */
function lockedOut(u) {
  const decision = throttleCheck(u.throttle ?? undefined, clock.now());
  return decision.allowed ? null : { ok: false, locked: decision.retryAt };
}

/** A wrong answer: counted by the throttle, which may start a lock-out. */
function wrong(u, field, message) {
  u.throttle = throttleFailure(u.throttle ?? undefined, THROTTLE, clock.now());
  commit();
  const decision = throttleCheck(u.throttle, clock.now());
  // Wrong answers still possible before the one that starts a lock-out.
  const left = THROTTLE.freeAttempts + 1 - u.throttle.failures;
  return {
    ok: false, field, message,
    locked: decision.allowed ? undefined : decision.retryAt,
    triesLeft: left > 0 ? left : 0,
  };
}

/** A right answer: the throttle is cleared, and the device is trusted if asked. */
function signedIn(u, method, trust, extra = {}) {
  u.throttle = throttleSuccess();
  let trusted;
  if (trust) {
    trusted = issueDeviceToken(state.deviceKey, {
      user: u.account, deviceId: crypto.randomUUID(), label: deviceLabel(),
      ttl: TRUST_DAYS * 86_400_000, now: clock.now(),
    });
    setDeviceCookie(u.account, trusted.token);
    const { token: _token, ...listed } = trusted;
    u.devices.push(listed);
  }
  commit();
  return { ok: true, method, trustedUntil: trusted?.expiresAt, ...extra };
}

/** The code from the authenticator app, with the replay guard: a used code never works again. */
export function verifyTotp(account, input, trust) {
  const u = state.users[account];
  const stop = blocked(u);
  if (stop) return stop;
  const shape = checkToken(input);
  if (!shape.ok) return fail("code", shape.incomplete ? "Enter all 6 digits of the code." : `That is not a code: ${shape.message}.`);
  const totp = new Totp({ secret: u.totp.secret });
  try {
    const match = totp.verify(shape.token, { timestamp: clock.now(), afterStep: u.totp.lastStep });
    if (match) {
      u.totp.lastStep = match.step;
      return signedIn(u, "totp", trust);
    }
    // Without the guard it would match: the code was right, and it was already used.
    if (totp.verify(shape.token, { timestamp: clock.now() })) {
      return wrong(u, "code", "This code was already used. Wait for your app to show the next one.");
    }
    return wrong(u, "code", "That code is not right. Type the newest code your app shows.");
  } finally {
    totp.free();
  }
}

export function verifyBackup(account, input, trust) {
  const u = state.users[account];
  const stop = blocked(u);
  if (stop) return stop;
  if (!u.backup) return fail("code", "This account has no backup codes.");
  let check;
  try {
    check = verifyBackupCode(u.backup, input);
  } catch (err) {
    return fail("code", err.code === "INVALID_TOKEN" ? "Backup codes look like XXXX-XXXX-XXXX: 12 letters and digits." : err.message);
  }
  if (!check.matched) return wrong(u, "code", "That backup code is not right, or it was used before.");
  u.backup = check.record;
  return signedIn(u, "backup", trust, { remaining: check.remaining });
}

export function verifyRecovery(account, input, trust) {
  const u = state.users[account];
  const stop = blocked(u);
  if (stop) return stop;
  let check;
  try {
    check = verifyRecoveryCode(u.recovery, { user: account, code: input, now: clock.now() });
  } catch (err) {
    return fail("code", err.code === "INVALID_TOKEN" ? "Recovery codes look like XXXX-XXXX-XXXX-XXXX: 16 letters and digits." : err.message);
  }
  u.recovery = check.records;
  switch (check.status) {
    case "OK":
      return signedIn(u, "recovery", trust);
    case "EXPIRED":
      return wrong(u, "code", "This recovery code has expired. Ask the account owner for a new one.");
    case "USED":
      return wrong(u, "code", "This recovery code was already used.");
    default:
      return wrong(u, "code", "That recovery code is not right.");
  }
}

/** Sends a sign-in code to the account's address: the inbox panel plays the mail server. */
export function sendEmailCode(account) {
  const u = state.users[account];
  const stop = blocked(u);
  if (stop) return stop;
  // One message per 30 s: a site that sends on every click is a spam cannon.
  const wait = (u.emailSentAt ?? -Infinity) + EMAIL_GAP - clock.now();
  if (wait > 0) return { ok: false, message: `A code was just sent. Wait ${Math.ceil(wait / 1000)} s before asking for another.` };
  const { code, record } = issueVerificationCode({ now: clock.now() });
  u.email = record;
  u.emailSentAt = clock.now();
  commit();
  return { ok: true, to: account, subject: `Your ${u.issuer ?? "sign-in"} code`, code, expiresAt: record.expiresAt };
}

export function verifyEmail(account, input, trust) {
  const u = state.users[account];
  const stop = blocked(u);
  if (stop) return stop;
  if (!u.email) return fail("code", "Send a code first.");
  let check;
  try {
    check = verifyVerificationCode(u.email, input, { now: clock.now() });
  } catch (err) {
    return fail("code", err.code === "INVALID_TOKEN" ? "Enter the 6 digits from the e-mail." : err.message);
  }
  u.email = check.record;
  switch (check.outcome) {
    case "OK":
      u.email = null;
      return signedIn(u, "email", trust);
    // Every wrong answer also counts for the account's throttle, as the app's codes do.
    case "WRONG":
      return wrong(u, "code", `That code is not right (${check.attemptsLeft} ${check.attemptsLeft === 1 ? "try" : "tries"} left for this code).`);
    case "EXPIRED":
      return wrong(u, "code", "This code has expired. Send a new one.");
    case "LOCKED":
      return wrong(u, "code", "Too many wrong tries for this code. Send a new one.");
    default:
      return wrong(u, "code", "This code was already used. Send a new one.");
  }
}

// --- Trusted devices ------------------------------------------------------------------

/** The user's devices still trusted now, newest first; `current` marks this browser. */
export function trustedDevices(account) {
  const u = state.users[account];
  if (!u) return [];
  const token = deviceCookie(account);
  const mine = token ? verifyDeviceToken(state.deviceKey, token, { user: account, revoked: u.revoked, now: clock.now() }) : null;
  return u.devices
    .filter((d) => d.expiresAt > clock.now() && !u.revoked.includes(d.deviceId))
    .map((d) => ({ ...d, current: Boolean(mine?.ok && mine.deviceId === d.deviceId) }))
    .reverse();
}

export function removeDevice(account, deviceId) {
  const u = state.users[account];
  u.revoked.push(deviceId);
  u.devices = u.devices.filter((d) => d.deviceId !== deviceId);
  commit();
}

/** "Chrome on Linux", from the user agent: what the list shows, never trusted for anything. */
function deviceLabel() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "A browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "an unknown system";
  return `${browser} on ${os}`;
}

// --- The account owner --------------------------------------------------------------

export function ownerIssueRecovery(account) {
  const u = state.users[account];
  const { code, record } = issueRecoveryCode({ user: account, now: clock.now() });
  u.recovery = [...u.recovery.filter((r) => r.expiresAt > clock.now() && r.usedAt === null), record];
  commit();
  return { code, expiresAt: record.expiresAt };
}

export function ownerRegenerateBackup(account) {
  const u = state.users[account];
  const { codes, record } = generateBackupCodes({ now: clock.now() });
  u.backup = record;
  commit();
  return codes;
}

/** Turns 2FA off: the secret, backup and recovery codes go, and every device is untrusted. */
export function ownerReset(account) {
  const u = state.users[account];
  u.totp = null;
  u.pending = null;
  u.backup = null;
  u.recovery = [];
  u.email = null;
  u.throttle = null;
  u.revoked.push(...u.devices.map((d) => d.deviceId));
  u.devices = [];
  setDeviceCookie(account, null);
  commit();
}

export const backupLeft = (u) => (u.backup ? u.backup.hashes.filter((h) => h !== null).length : 0);
