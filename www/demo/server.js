// The simulated site: what a real one runs on its server, here in the page. Its records
// live in localStorage under "twofa-demo:server"; the browser's cookies (the session id and
// the trusted-device tokens) live apart, under "twofa-demo:browser", as a browser keeps
// them. Whether someone is signed in is decided here, from the session cookie and the
// server's own session records; a second-factor step needs the pending sign-in that the
// password step made. Every secret, code, hash, token and random id is made and checked by
// twofa; this file only keeps the records and decides what to show.
import { sentence } from "/shared/dom.js";
import {
  generateBackupCodes, hashSecurityAnswers, issueActionLink, issueDeviceToken, issueRecoveryCode, issueVerificationCode, revealBackupCodes, throttleCheck,
  normalizeSecurityAnswer, throttleFailure, throttleSuccess, verifyBackupCode, verifyDeviceToken, verifyRecoveryCode,
  verifyActionLink, verifySecurityAnswers, verifyVerificationCode,
} from "/shared/twofa/flows.js";
import { Secret, Totp, checkToken } from "/shared/twofa/twofa.js";
import { sendMail, sendText } from "./outbox.js";
import { clock, formatTime, load, save } from "./ui.js";

const SERVER_KEY = "twofa-demo:server";
const BROWSER_KEY = "twofa-demo:browser";
/** Version 1 kept "who is signed in" in the page; sessions are server records now. */
const OLD_SESSION_KEY = "twofa-demo:session";
const VERSION = 2;

/** The demo's lock-out: 3 wrong answers are free; each one after locks for 30 s, 1 min, 2 min… up to 15 min. */
export const THROTTLE = { freeAttempts: 3, baseDelay: 30_000, maxDelay: 15 * 60_000 };
/** A pending sign-in (the password was right, the second factor not given yet) lasts 10 minutes. */
export const PENDING_TTL = 10 * 60_000;
/** Answers one pending sign-in takes before the password must be typed again. */
const PENDING_TRIES = 10;
/** The least time between two codes sent by e-mail or SMS. */
const SEND_GAP = 30_000;
const DAY = 86_400_000;
/** The name the site gives itself in the authenticator app when a set-up is forced. */
export const SITE = "Example Co";

let state = migrate(load(SERVER_KEY, () => null));
const listeners = new Set();

/** A new site key: 32 random bytes kept as base32 text, which twofa/flows takes as it is. */
function newKey() {
  const key = Secret.generate(32);
  const text = key.toBase32();
  key.free();
  return text;
}

/**
 * A new site: no users, optional 2FA, 30-day device trust, and its keys: the device key
 * (trusted-device tokens), the backup key (backup codes sealed, so that "View your backup
 * codes" can show the unused ones again) and the link key (signed links sent by e-mail,
 * such as "Reset QR by mail"). A real site keeps these as it keeps
 * TOTP secrets, apart from the records.
 */
function fresh() {
  return {
    version: VERSION, deviceKey: newKey(), backupKey: newKey(), linkKey: newKey(), users: {}, pending: {}, sessions: {},
    policy: { twofa: "optional", notSetUp: "setup", trustDays: 30 },
  };
}

function blankUser(account, password) {
  return {
    account, password, createdAt: clock.now(), issuer: null, totp: null, pending: null, newTotp: null, backup: null,
    recovery: [], devices: [], revoked: [], throttle: null, mustSetUp: false,
    sms: null, smsSetUp: null, smsCode: null, smsSentAt: null,
    alternative: null, alternativeSetUp: null, emailCode: null, emailSentAt: null, answers: null, resetTotp: null,
  };
}

/**
 * Records of an older version: version 1's users keep their 2FA and trusted devices, its
 * "require 2FA" switch becomes the policy, and its page-side session is dropped (signing in
 * again makes a server session). Anything else starts a fresh site.
 */
function migrate(old) {
  localStorage.removeItem(OLD_SESSION_KEY);
  if (old?.version === VERSION) {
    // A site of this version made before the backup and link keys gets them; its backup
    // codes stay hash-only until they are made again.
    const missing = ["backupKey", "linkKey"].filter((k) => typeof old[k] !== "string");
    for (const k of missing) old[k] = newKey();
    if (missing.length) save(SERVER_KEY, old);
    return old;
  }
  const next = fresh();
  if (old?.version === 1 && typeof old.deviceKey === "string" && old.users && typeof old.users === "object") {
    next.deviceKey = old.deviceKey;
    next.policy.twofa = old.requireTwofa ? "required" : "optional";
    for (const u of Object.values(old.users)) {
      if (typeof u?.account !== "string") continue;
      const { email: _sent, emailSentAt: _at, ...kept } = u;
      next.users[u.account] = { ...blankUser(u.account, u.password), ...kept };
    }
  } else {
    localStorage.removeItem(BROWSER_KEY);
  }
  if (old) save(SERVER_KEY, next);
  return next;
}

function commit() {
  save(SERVER_KEY, state);
  listeners.forEach((f) => f());
}

export const onChange = (f) => listeners.add(f);
export const users = () => Object.values(state.users);
export const user = (account) => state.users[account];
export const policy = () => ({ ...state.policy });

/** Forgets every user, session, the device key and this browser's cookies. */
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
    if (u.emailSentAt > now) u.emailSentAt = now - SEND_GAP;
    if (u.smsSentAt > now) u.smsSentAt = now - SEND_GAP;
  }
  for (const p of Object.values(state.pending)) p.expiresAt = Math.min(p.expiresAt, now + PENDING_TTL);
  commit();
}

// --- The browser's cookie jar ---------------------------------------------------------

function jar() {
  const j = load(BROWSER_KEY, () => ({}));
  // Version 1's jar held device tokens by account, and nothing else.
  return j?.version === VERSION ? j : { version: VERSION, session: null, devices: j && typeof j === "object" ? j : {} };
}
const setJar = (j) => save(BROWSER_KEY, j);
export const deviceCookie = (account) => jar().devices[account];
function setDeviceCookie(account, token) {
  const j = jar();
  if (token) j.devices[account] = token;
  else delete j.devices[account];
  setJar(j);
}

/** A random id for a server record: 128 bits from twofa's CSPRNG, as base32 text. */
function randomId() {
  const secret = Secret.generate(16);
  const id = secret.toBase32();
  secret.free();
  return id;
}

// --- Helpers ------------------------------------------------------------------------

/** A failure of one form field: the page shows `message` under `field`. */
const fail = (field, message) => ({ ok: false, field, message });
/** The pending sign-in or the session is gone: the page goes back to the password. */
const restart = (message) => ({ ok: false, restart: true, message });

function checkAccount(account) {
  if (!account) return fail("account", "Enter an e-mail address.");
  if (!/^[^\s@]+@[^\s@]+$/.test(account)) return fail("account", "Enter an e-mail address, such as ada@example.com.");
  if (account.length > 254) return fail("account", "That address is too long.");
  return null;
}

/** "a•••@example.org": enough to recognise one's own address, not enough to learn it. */
export const maskEmail = (address) => `${address[0]}•••@${address.split("@")[1]}`;
/** "••• ••• •• 89". */
export const maskPhone = (phone) => `••• ••• •• ${phone.slice(-2)}`;

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

function shapeError(input) {
  const shape = checkToken(input);
  if (shape.ok) return { token: shape.token };
  return { error: fail("code", shape.incomplete ? "Enter all 6 digits of the code." : `That is not a code: ${shape.message}.`) };
}

/**
 * A code from the user's authenticator app, with the replay guard (a used code never works
 * again). Returns null when it matches, or the failure. While the app is being changed,
 * the old secret is the one that counts.
 */
function checkAppCode(u, input) {
  const locked = lockedOut(u);
  if (locked) return locked;
  const { token, error } = shapeError(input);
  if (error) return error;
  const totp = new Totp({ secret: u.totp.secret });
  try {
    const match = totp.verify(token, { timestamp: clock.now(), afterStep: u.totp.lastStep });
    if (match) {
      u.totp.lastStep = match.step;
      u.throttle = throttleSuccess(u.throttle ?? undefined);
      return null;
    }
    // Without the guard it would match: the code was right, and it was already used.
    if (totp.verify(token, { timestamp: clock.now() })) {
      return wrong(u, "code", "This code was already used. Wait for your app to show the next one.");
    }
    return wrong(u, "code", "That code is not right. Type the newest code your app shows.");
  } finally {
    totp.free();
  }
}

/**
 * Checks a code sent by e-mail or SMS, kept in `holder[field]`: the user's sign-in code, or
 * the code of one address or number being added, kept beside it (so that a sign-in code
 * sent to the old number can never confirm a new one).
 */
function checkSentCode(u, holder, field, input, noun) {
  const locked = lockedOut(u);
  if (locked) return locked;
  if (!holder?.[field]) return fail("code", "Send a code first.");
  let check;
  try {
    check = verifyVerificationCode(holder[field], input, { now: clock.now() });
  } catch (err) {
    return fail("code", err.code === "INVALID_TOKEN" ? `Enter the 6 digits from the ${noun}.` : err.message);
  }
  holder[field] = check.record;
  switch (check.outcome) {
    case "OK":
      holder[field] = null;
      u.throttle = throttleSuccess(u.throttle ?? undefined);
      return null;
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

/** One message per 30 s: a site that sends on every click is a spam cannon. */
function tooSoon(sentAt) {
  const wait = (sentAt ?? -Infinity) + SEND_GAP - clock.now();
  return wait > 0 ? { ok: false, message: `A code was just sent. Wait ${Math.ceil(wait / 1000)} s before asking for another.` } : null;
}

const issuerOf = (u) => u.issuer ?? SITE;

/** Mails a new code to `to`; returns its record (a salted hash, not the code). */
function mailCode(u, to, purpose) {
  const { code, record } = issueVerificationCode({ now: clock.now() });
  u.emailSentAt = clock.now();
  sendMail({
    to, subject: `Your ${issuerOf(u)} code`,
    body: `Your ${purpose} code is ${code}. It works until ${formatTime(record.expiresAt)}. If you did not ask for it, change your password.`,
  });
  return record;
}

/** Texts a new code to `to`; returns its record. */
function textCode(u, to) {
  const { code, record } = issueVerificationCode({ now: clock.now() });
  u.smsSentAt = clock.now();
  sendText({ to, body: `${issuerOf(u)}: your code is ${code}. It works until ${formatTime(record.expiresAt)}. Do not share it.` });
  return record;
}

// --- Sessions -------------------------------------------------------------------------

function startSession(u, method, extra = {}) {
  const id = randomId();
  state.sessions[id] = { account: u.account, method, at: clock.now(), ...extra };
  const j = jar();
  j.session = id;
  setJar(j);
  return id;
}

/**
 * Who this browser is signed in as: the session cookie, looked up in the server's records.
 * `{ account, method, at, remaining?, trustedUntil? }`, or null.
 */
export function session() {
  const id = jar().session;
  const s = id ? state.sessions[id] : null;
  if (!s || s.ended || !state.users[s.account]) return null;
  const trust = currentTrust(s.account);
  return { ...s, trustedUntil: trust?.expiresAt };
}

/** Why this browser's session ended, when the server ended it (not a sign-out). */
export function sessionEnded() {
  const id = jar().session;
  return (id && state.sessions[id]?.ended) || null;
}

export function signOut() {
  const j = jar();
  if (j.session) delete state.sessions[j.session];
  j.session = null;
  setJar(j);
  commit();
}

/** The signed-in user, or a restart when there is none. */
function signedInUser() {
  const s = session();
  return s ? { u: state.users[s.account] } : { error: restart("You are not signed in. Sign in again.") };
}

function endSessions(account, reason) {
  for (const [id, s] of Object.entries(state.sessions)) {
    if (s.account !== account) continue;
    if (reason) s.ended = reason;
    else delete state.sessions[id];
  }
}

// --- The site's policy -----------------------------------------------------------------

/**
 * The owner's settings. Requiring 2FA signs out everyone signed in without it; each of them
 * is told by e-mail why.
 */
export function setPolicy(patch) {
  const was = state.policy.twofa;
  state.policy = { ...state.policy, ...patch };
  const signedOut = [];
  if (state.policy.twofa === "required" && was !== "required") {
    const reason = "You were signed out: this site now requires two-factor authentication. Sign in again to set it up.";
    for (const u of Object.values(state.users)) {
      if (u.totp) continue;
      const open = Object.values(state.sessions).some((s) => s.account === u.account && !s.ended);
      if (!open) continue;
      endSessions(u.account, reason);
      signedOut.push(u.account);
      sendMail({
        to: u.account, subject: `You were signed out of ${issuerOf(u)}`,
        body: `${issuerOf(u)} now requires two-factor authentication for every account, so you were signed out. Sign in again and set it up to continue.`,
      });
    }
  }
  commit();
  return { signedOut };
}

// --- Pending sign-ins -----------------------------------------------------------------

function openPending(u, purpose) {
  const now = clock.now();
  for (const [id, p] of Object.entries(state.pending)) if (p.expiresAt <= now) delete state.pending[id];
  const id = randomId();
  state.pending[id] = { account: u.account, purpose, expiresAt: now + PENDING_TTL, attempts: 0 };
  return id;
}

/**
 * The pending sign-in `id`, checked: it exists, has not expired, has tries left, and is
 * for one of `purposes`. Each check of an answer spends one try. Returns `{ p, u }` or
 * `{ error }` (a restart: the page goes back to the password, with the message).
 */
function pendingOf(id, purposes, { spend = true } = {}) {
  const p = typeof id === "string" ? state.pending[id] : undefined;
  if (!p || !purposes.includes(p.purpose)) return { error: restart("This sign-in is no longer open. Enter your password again.") };
  const u = state.users[p.account];
  if (p.expiresAt <= clock.now()) {
    delete state.pending[id];
    commit();
    return { error: restart("This sign-in expired: more than 10 minutes passed after the password. Enter your password again.") };
  }
  if (!u) return { error: restart("This account no longer exists.") };
  if (p.purpose === "code" && !u.totp) {
    delete state.pending[id];
    commit();
    return { error: restart("Two-factor authentication was turned off for this account meanwhile. Sign in again.") };
  }
  if (spend) {
    if (p.attempts >= PENDING_TRIES) {
      delete state.pending[id];
      commit();
      return { error: restart("Too many tries for this sign-in. Enter your password again.") };
    }
    p.attempts += 1;
  }
  return { p, u };
}

/** The ways in besides the app that a user has: what the sign-in page offers. */
function methodsOf(u) {
  return {
    sms: u.sms ? maskPhone(u.sms.phone) : null,
    // One entry per kind of alternative: the alternative address, and security questions.
    alternatives: [
      ...(u.alternative ? [{ kind: "email", to: maskEmail(u.alternative.address) }] : []),
      ...(u.answers ? [{ kind: "questions", questions: [...u.answers.questions] }] : []),
    ],
  };
}

// --- Accounts and set-up -------------------------------------------------------------

/**
 * Set-up, first step: a new secret, kept as pending until a code proves the app has it.
 * Who sets up is decided here, by one of: a pending sign-in whose password step sent the
 * user to set-up (`pending`), this browser's session, or an account and its password
 * (which makes the account when it is new). Returns the pending set-up's id with the URI.
 */
export function startSetup({ pending, account, password, issuer }) {
  let u;
  let id;
  let signIn = false;
  if (pending) {
    const got = pendingOf(pending, ["setup"], { spend: false });
    if (got.error) return got.error;
    ({ u } = got);
    id = pending;
    signIn = true;
    issuer = issuerOf(u);
  } else {
    const bad = checkAccount(account);
    if (bad) return bad;
    u = state.users[account];
    const s = session();
    if (!(u && s?.account === account)) {
      if (!password) return fail("password", "Enter a password.");
      if (u && u.password !== password) return fail("password", "That is not this account's password.");
    }
    if (!issuer) return fail("issuer", "Enter the name your users know the site by.");
  }
  if (u?.totp) return fail("account", "This account already has 2FA. Reset it under Account owner to set it up again.");
  const secret = Secret.generate();
  let uri;
  let totp;
  try {
    totp = new Totp({ secret, issuer, account: u?.account ?? account });
    uri = totp.toUri();
  } catch (err) {
    secret.free();
    return fail("issuer", sentence(err.message));
  } finally {
    totp?.free();
  }
  u ??= state.users[account] = blankUser(account, password);
  id ??= openPending(u, "enroll");
  state.pending[id].signIn = signIn;
  u.issuer = issuer;
  u.pending = secret.toBase32();
  const grouped = secret.toGrouped();
  secret.free();
  commit();
  return { ok: true, pending: id, account: u.account, issuer, uri, grouped };
}

/** The page left a pending sign-in or set-up (Cancel): its record goes. */
export function endPending(pending) {
  if (!state.pending[pending]) return;
  delete state.pending[pending];
  commit();
}

export function cancelSetup(pending) {
  const p = state.pending[pending];
  if (!p) return;
  const u = state.users[p.account];
  if (u) u.pending = null;
  delete state.pending[pending];
  commit();
}

/**
 * Set-up, second step: the first code from the app turns 2FA on, and the user gets a
 * fresh set of backup codes, shown once. A set-up that the password step asked for signs
 * in. The pending record stays open for the optional alternative method, until
 * `finishSetup`.
 */
export function confirmSetup(pending, input) {
  const got = pendingOf(pending, ["setup", "enroll"]);
  if (got.error) return got.error;
  const { p, u } = got;
  if (!u.pending) return fail("code", "Start again: this set-up is no longer open.");
  const locked = lockedOut(u);
  if (locked) return locked;
  const { token, error } = shapeError(input);
  if (error) return error;
  const totp = new Totp({ secret: u.pending });
  const match = totp.verify(token, { timestamp: clock.now() });
  totp.free();
  if (!match) return wrong(u, "code", "That code does not match. Type the newest code your app shows, and check the phone's clock.");
  const { codes, record } = newBackupCodes(u);
  u.totp = { secret: u.pending, lastStep: match.step, enabledAt: clock.now(), revision: 1, secretId: randomId() };
  u.pending = null;
  u.mustSetUp = false;
  u.backup = record;
  u.throttle = throttleSuccess(u.throttle ?? undefined);
  p.purpose = "enrolled";
  if (p.signIn) startSession(u, "setup");
  commit();
  return { ok: true, codes, signedIn: p.signIn };
}

export function finishSetup(pending) {
  delete state.pending[pending];
  commit();
}

// --- Signing in -------------------------------------------------------------------------

/** The device cookie of `account`, when the site's policy still trusts it. */
function currentTrust(account) {
  const u = state.users[account];
  const token = deviceCookie(account);
  if (!u || !token || !state.policy.trustDays) return null;
  const check = verifyDeviceToken(state.deviceKey, token, { user: account, revoked: u.revoked, now: clock.now() });
  if (!check.ok) return null;
  // The owner may have shortened the trust since: the policy's length from issue counts too.
  const until = Math.min(check.expiresAt, check.issuedAt + state.policy.trustDays * DAY);
  return until > clock.now() ? { ...check, expiresAt: until } : null;
}

/**
 * The password step. Returns what comes next: `"code"` (the second factor), `"done"`
 * (signed in: no 2FA asked), `"setup"` (set-up before the account opens) or `"recovery"`
 * (2FA is required: an owner's recovery code first, then set-up), with the pending
 * sign-in's id for any step but "done".
 */
export function checkPassword({ account, password }) {
  const bad = checkAccount(account);
  if (bad) return bad;
  const u = state.users[account];
  if (!u) return fail("account", "There is no account with this e-mail. Set up 2FA first to make one.");
  if (!password) return fail("password", "Enter your password.");
  if (u.password !== password) return fail("password", "Wrong password.");
  const { twofa, notSetUp } = state.policy;
  let result;
  if (!u.totp && u.mustSetUp) {
    result = { ok: true, next: "setup", pending: openPending(u, "setup"), why: "reset" };
  } else if (!u.totp && twofa === "required") {
    result = notSetUp === "recovery"
      ? { ok: true, next: "recovery", pending: openPending(u, "recovery") }
      : { ok: true, next: "setup", pending: openPending(u, "setup"), why: "required" };
  } else if (!u.totp || twofa === "off") {
    startSession(u, u.totp ? "policy-off" : "password");
    result = { ok: true, next: "done" };
  } else {
    const token = deviceCookie(account);
    const trust = currentTrust(account);
    if (trust) {
      startSession(u, "trusted");
      result = { ok: true, next: "done" };
    } else {
      let trustEnded;
      if (token && state.policy.trustDays) {
        // A token that no longer works is dropped, and the user hears why the code is back.
        const check = verifyDeviceToken(state.deviceKey, token, { user: account, revoked: u.revoked, now: clock.now() });
        trustEnded = check.ok ? "EXPIRED" : check.reason;
        setDeviceCookie(account, null);
      }
      result = { ok: true, next: "code", pending: openPending(u, "code"), trustEnded, ...methodsOf(u) };
    }
  }
  commit();
  return { ...result, trustDays: state.policy.trustDays };
}

/** When the lock-out of the pending sign-in's account ends, or 0 when none is running. */
export function lockedUntil(pending) {
  const p = state.pending[pending];
  const u = p && state.users[p.account];
  if (!u) return 0;
  const decision = throttleCheck(u.throttle ?? undefined, clock.now());
  return decision.allowed ? 0 : decision.retryAt;
}

/** A right second factor: the pending sign-in becomes a session, and the device is trusted if asked. */
function signedIn(id, u, method, trust, extra = {}) {
  delete state.pending[id];
  u.throttle = throttleSuccess(u.throttle ?? undefined);
  if (trust && state.policy.trustDays) {
    const trusted = issueDeviceToken(state.deviceKey, {
      user: u.account, deviceId: randomId(), label: deviceLabel(),
      ttl: state.policy.trustDays * DAY, now: clock.now(),
    });
    setDeviceCookie(u.account, trusted.token);
    const { token: _token, ...listed } = trusted;
    u.devices.push(listed);
  }
  startSession(u, method, extra);
  commit();
  return { ok: true };
}

/** The code from the authenticator app. */
export function verifyTotp(pending, input, trust) {
  const { u, error } = pendingOf(pending, ["code"]);
  if (error) return error;
  const bad = checkAppCode(u, input);
  if (bad) return bad;
  return signedIn(pending, u, "totp", trust);
}

export function verifyBackup(pending, input, trust) {
  const { u, error } = pendingOf(pending, ["code"]);
  if (error) return error;
  const locked = lockedOut(u);
  if (locked) return locked;
  if (!u.backup) return fail("code", "This account has no backup codes.");
  let check;
  try {
    check = verifyBackupCode(u.backup, input);
  } catch (err) {
    return fail("code", err.code === "INVALID_TOKEN" ? "Backup codes look like XXXX-XXXX-XXXX: 12 letters and digits." : err.message);
  }
  if (!check.matched) return wrong(u, "code", "That backup code is not right, or it was used before.");
  u.backup = check.record;
  return signedIn(pending, u, "backup", trust, { remaining: check.remaining });
}

/**
 * An owner's recovery code: at the code step it signs in; where 2FA is required and the
 * user has none, it opens the set-up instead (the pending sign-in moves on to "setup").
 */
export function verifyRecovery(pending, input, trust) {
  const { p, u, error } = pendingOf(pending, ["code", "recovery"]);
  if (error) return error;
  const locked = lockedOut(u);
  if (locked) return locked;
  let check;
  try {
    check = verifyRecoveryCode(u.recovery, { user: u.account, code: input, now: clock.now() });
  } catch (err) {
    return fail("code", err.code === "INVALID_TOKEN" ? "Recovery codes look like XXXX-XXXX-XXXX-XXXX: 16 letters and digits." : err.message);
  }
  u.recovery = check.records;
  switch (check.status) {
    case "OK":
      if (p.purpose === "recovery") {
        p.purpose = "setup";
        u.throttle = throttleSuccess(u.throttle ?? undefined);
        commit();
        return { ok: true, next: "setup" };
      }
      return signedIn(pending, u, "recovery", trust);
    case "EXPIRED":
      return wrong(u, "code", "This recovery code has expired. Ask the account owner for a new one.");
    case "USED":
      return wrong(u, "code", "This recovery code was already used.");
    default:
      return wrong(u, "code", "That recovery code is not right.");
  }
}

// --- Reset the QR code by e-mail ----------------------------------------------------------

const RESET_PURPOSE = "reset-totp";
/** A reset link works for an hour. */
const LINK_TTL = 3_600_000;

/**
 * What a reset link is bound to: the revision of the user's TOTP record and a random id
 * of its secret (never the secret). Any change of secret (this link's reset, another
 * link's, a change of app, the owner's reset, turning 2FA off) changes it, so a link works
 * once and dies when 2FA changes another way.
 */
function twofaState(u) {
  if (!u.totp) return "totp:none";
  return `totp:${u.totp.revision ?? 1}:${u.totp.secretId ?? u.totp.changedAt ?? u.totp.enabledAt}`;
}

/** The user's TOTP record after a new secret is confirmed: one revision on, a new secret id. */
function nextTotp(u, secret, step) {
  return {
    secret, lastStep: step, enabledAt: u.totp.enabledAt, changedAt: clock.now(),
    revision: (u.totp.revision ?? 1) + 1, secretId: randomId(),
  };
}

/**
 * "Reset QR by mail", after the password: a signed link (issueActionLink) to the sign-in
 * address, for one hour, bound to the user's current 2FA.
 */
export function sendResetLink(pending) {
  const { u, error } = pendingOf(pending, ["code"], { spend: false });
  if (error) return error;
  const soon = tooSoon(u.emailSentAt);
  if (soon) return soon;
  const { token, expiresAt } = issueActionLink(state.linkKey, {
    purpose: RESET_PURPOSE, user: u.account, state: twofaState(u), ttl: LINK_TTL, now: clock.now(),
  });
  u.emailSentAt = clock.now();
  sendMail({
    to: u.account, subject: `Reset your ${issuerOf(u)} authenticator app`,
    body: `Open this link to scan a new QR code. It works once, until ${formatTime(expiresAt)}. If you did not ask for it, change your password.`,
    link: { href: `#reset-qr=${token}&account=${encodeURIComponent(u.account)}`, text: "Reset your QR code" },
  });
  commit();
  return { ok: true, to: maskEmail(u.account) };
}

const LINK_REFUSED = {
  EXPIRED: "This link has expired. Sign in and ask for a new one.",
  STATE_CHANGED: "This link was already used or 2FA has changed since it was sent.",
  REVOKED: "This link was already used or 2FA has changed since it was sent.",
};

/** The reset link checked against the user's 2FA as it is now: `{ u }` or `{ error }`. */
function resetLinkOf(account, token) {
  const u = typeof account === "string" ? state.users[account] : undefined;
  const refused = (reason) => ({ error: { ok: false, link: true, message: LINK_REFUSED[reason] ?? "This link does not work. Open it from the e-mail as it is, or ask for a new one." } });
  if (!u) return refused("MALFORMED");
  const check = verifyActionLink(state.linkKey, typeof token === "string" ? token : "", {
    purpose: RESET_PURPOSE, user: u.account, state: twofaState(u), now: clock.now(),
  });
  return check.ok ? { u } : refused(check.reason);
}

/** The link is opened: a new secret, kept beside the old one until the new app's code confirms it. */
export function openResetLink({ account, token }) {
  const { u, error } = resetLinkOf(account, token);
  if (error) return error;
  const secret = Secret.generate();
  const totp = new Totp({ secret, issuer: issuerOf(u), account: u.account });
  const uri = totp.toUri();
  totp.free();
  u.resetTotp = secret.toBase32();
  const grouped = secret.toGrouped();
  secret.free();
  commit();
  return { ok: true, uri, grouped, account: u.account, issuer: issuerOf(u) };
}

/** The new app's code replaces the secret, which changes the state: the link is then spent. */
export function confirmResetLink({ account, token, input }) {
  const { u, error } = resetLinkOf(account, token);
  if (error) return error;
  if (!u.resetTotp) return { ok: false, link: true, message: "Open the link from the e-mail again." };
  const locked = lockedOut(u);
  if (locked) return locked;
  const { token: code, error: bad } = shapeError(input);
  if (bad) return bad;
  const totp = new Totp({ secret: u.resetTotp });
  const match = totp.verify(code, { timestamp: clock.now() });
  totp.free();
  if (!match) return wrong(u, "code", "That code does not match the new key. Type the newest code the new app shows.");
  u.totp = nextTotp(u, u.resetTotp, match.step);
  u.resetTotp = null;
  u.newTotp = null;
  u.throttle = throttleSuccess(u.throttle ?? undefined);
  commit();
  return { ok: true };
}

/** Sends a sign-in code by SMS to the user's phone: the demo phone's Messages play the carrier. */
export function sendSignInText(pending) {
  const { u, error } = pendingOf(pending, ["code"], { spend: false });
  if (error) return error;
  if (!u.sms) return { ok: false, message: "This account has no phone number for text messages." };
  const soon = tooSoon(u.smsSentAt);
  if (soon) return soon;
  u.smsCode = textCode(u, u.sms.phone);
  commit();
  return { ok: true, to: maskPhone(u.sms.phone) };
}

export function verifyText(pending, input, trust) {
  const { u, error } = pendingOf(pending, ["code"]);
  if (error) return error;
  const bad = checkSentCode(u, u, "smsCode", input, "text message");
  if (bad) return bad;
  return signedIn(pending, u, "sms", trust);
}

/** Sends a sign-in code to the user's alternative e-mail address (never the sign-in address). */
export function sendAlternativeCode(pending) {
  const { u, error } = pendingOf(pending, ["code"], { spend: false });
  if (error) return error;
  if (!u.alternative) return { ok: false, message: "This account has no alternative e-mail address." };
  const soon = tooSoon(u.emailSentAt);
  if (soon) return soon;
  u.emailCode = mailCode(u, u.alternative.address, "sign-in");
  commit();
  return { ok: true, to: maskEmail(u.alternative.address) };
}

export function verifyAlternativeCode(pending, input, trust) {
  const { u, error } = pendingOf(pending, ["code"]);
  if (error) return error;
  const bad = checkSentCode(u, u, "emailCode", input, "e-mail");
  if (bad) return bad;
  return signedIn(pending, u, "email", trust);
}

/**
 * The answers to the user's security questions, in the order asked. A wrong set counts on
 * the account's throttle, as a wrong code does, and spends a try of the pending sign-in.
 */
export function verifyAnswers(pending, answers, trust) {
  const { u, error } = pendingOf(pending, ["code"]);
  if (error) return error;
  const locked = lockedOut(u);
  if (locked) return locked;
  if (!u.answers) return fail("answers", "This account has no security questions.");
  const given = Array.isArray(answers) ? answers.map((a) => (typeof a === "string" ? a : "")) : [];
  const empty = given.findIndex((a) => normalizeSecurityAnswer(a.slice(0, 256)) === "");
  if (given.length !== u.answers.questions.length || empty >= 0) {
    return { ...fail("answers", "Answer every question."), index: Math.max(empty, 0) };
  }
  let check;
  try {
    check = verifySecurityAnswers(u.answers, given);
  } catch (err) {
    return fail("answers", sentence(err.message));
  }
  if (!check.matched) return wrong(u, "answers", "Those answers do not match the ones you saved.");
  return signedIn(pending, u, "questions", trust);
}

// --- Alternative e-mail address and SMS: adding and changing ---------------------------

/**
 * Who may add or change a way in: a set-up that just finished (its pending record, stage
 * "enrolled"), or the signed-in user with 2FA on, and with a current code from the app
 * when `withCode` (a code that is missing counts as a wrong one).
 */
function changer({ pending, withCode = false, code }) {
  if (pending) {
    const { u, error } = pendingOf(pending, ["enrolled"], { spend: false });
    return error ? { error } : { u };
  }
  const { u, error } = signedInUser();
  if (error) return { error };
  if (!u.totp) return { error: fail("code", "Turn on two-factor authentication first.") };
  if (!withCode) return { u };
  const bad = checkAppCode(u, typeof code === "string" ? code : "");
  if (bad) return { error: { ...bad, field: bad.field === "code" ? "current" : bad.field } };
  return { u };
}

/** Sends a code to a new alternative address; the address counts once that code comes back. */
export function startAlternative({ pending, code, address }) {
  const { u, error } = changer({ pending });
  if (error) return error;
  const bad = checkAccount(address);
  if (bad) return { ...bad, field: "address" };
  if (address.toLowerCase() === u.account.toLowerCase()) return fail("address", "Use another address than the one you sign in with: it is your way in when that one is lost.");
  const soon = tooSoon(u.emailSentAt);
  if (soon) return { ...soon, field: "address" };
  if (!pending) {
    const who = changer({ withCode: true, code });
    if (who.error) {
      commit();
      return who.error;
    }
  }
  u.alternativeSetUp = { address, record: mailCode(u, address, "verification") };
  commit();
  return { ok: true, to: address };
}

export function confirmAlternative({ pending, input }) {
  const { u, error } = changer({ pending });
  if (error) return error;
  if (!u.alternativeSetUp) return fail("code", "Send a code first.");
  const bad = checkSentCode(u, u.alternativeSetUp, "record", input, "e-mail");
  if (bad) return bad;
  u.alternative = { address: u.alternativeSetUp.address, verifiedAt: clock.now() };
  u.alternativeSetUp = null;
  commit();
  return { ok: true, to: maskEmail(u.alternative.address) };
}

/** The questions a user may pick from; they may also write their own. */
export const QUESTIONS = [
  "What was the name of your first pet?",
  "In which town were you born?",
  "What was the name of your first school?",
  "What is your oldest cousin's first name?",
  "What was the make of your first car?",
];

/**
 * Security questions as the alternative method: two questions, each picked from the list
 * or written by the user, and their answers. Only the questions and one salted Argon2id
 * hash of the normalised answers are stored (hashSecurityAnswers); the record replaces the
 * user's previous one. From the settings, a current code from the app is needed first.
 */
export function setQuestions({ pending, code, entries }) {
  const { u, error } = changer({ pending });
  if (error) return error;
  const list = Array.isArray(entries) ? entries : [];
  if (list.length !== 2) return { ...fail("question", "Choose two questions."), index: 0 };
  for (const [i, e] of list.entries()) {
    const question = typeof e?.question === "string" ? e.question.trim() : "";
    if (!question) return { ...fail("question", "Choose a question, or write your own."), index: i };
    if (question.length > 256) return { ...fail("question", "Keep the question under 256 characters."), index: i };
    if (list.slice(0, i).some((o) => o.question.trim().toLowerCase() === question.toLowerCase())) {
      return { ...fail("question", "Choose two different questions."), index: i };
    }
    const answer = typeof e?.answer === "string" ? e.answer : "";
    if (answer.length > 256) return { ...fail("answer", "Keep the answer under 256 characters."), index: i };
    if (normalizeSecurityAnswer(answer) === "") return { ...fail("answer", "Enter an answer."), index: i };
  }
  if (!pending) {
    const who = changer({ withCode: true, code });
    if (who.error) {
      commit();
      return who.error;
    }
  }
  u.answers = hashSecurityAnswers(
    list.map((e) => ({ question: e.question.trim(), answer: e.answer })),
    { replaces: u.answers ?? undefined, now: clock.now() },
  );
  commit();
  return { ok: true, questions: [...u.answers.questions] };
}

function checkPhone(input) {
  const phone = (input ?? "").replace(/[\s().-]/g, "");
  if (!phone) return { error: fail("phone", "Enter a phone number.") };
  if (!/^\+?\d{6,15}$/.test(phone)) return { error: fail("phone", "Enter a phone number of 6 to 15 digits, such as +44 7700 900123.") };
  return { phone };
}

/** SMS set-up, first step: "Send code" to the number typed. */
export function startText(input) {
  const { u, error } = changer({});
  if (error) return error;
  const { phone, error: bad } = checkPhone(input);
  if (bad) return bad;
  const soon = tooSoon(u.smsSentAt);
  if (soon) return { ...soon, field: "phone" };
  u.smsSetUp = { phone, record: textCode(u, phone) };
  commit();
  return { ok: true, to: phone };
}

/** SMS set-up, second step: "Validate" with the code from the message. */
export function confirmText(input) {
  const { u, error } = changer({});
  if (error) return error;
  if (!u.smsSetUp) return fail("code", "Send a code first.");
  const bad = checkSentCode(u, u.smsSetUp, "record", input, "text message");
  if (bad) return bad;
  u.sms = { phone: u.smsSetUp.phone, verifiedAt: clock.now() };
  u.smsSetUp = null;
  commit();
  return { ok: true, to: maskPhone(u.sms.phone) };
}

export function removeText() {
  const { u, error } = changer({});
  if (error) return error;
  u.sms = null;
  commit();
  return { ok: true };
}

// --- Security settings (signed in) ---------------------------------------------------

/** What the signed-in user's security settings show, or null when nobody is signed in. */
export function security() {
  const s = session();
  if (!s) return null;
  const u = state.users[s.account];
  return {
    account: u.account,
    on: Boolean(u.totp),
    enabledAt: u.totp?.enabledAt,
    changingApp: Boolean(u.newTotp),
    backupLeft: backupLeft(u),
    sms: u.sms ? maskPhone(u.sms.phone) : null,
    alternative: u.alternative ? maskEmail(u.alternative.address) : null,
    questions: u.answers ? [...u.answers.questions] : null,
    required: state.policy.twofa === "required",
  };
}

/** Turns 2FA off, with a current code; refused while the site requires it. */
export function turnOff(code) {
  const { u, error } = signedInUser();
  if (error) return error;
  if (!u.totp) return fail("current", "Two-factor authentication is already off.");
  if (state.policy.twofa === "required") return fail("current", "This site requires two-factor authentication, so it cannot be turned off.");
  const who = changer({ withCode: true, code });
  if (who.error) return who.error;
  clearSecondFactors(u);
  commit();
  return { ok: true };
}

/** New backup codes, after a current code: the old set stops working. */
export function regenerateBackup(code) {
  const who = changer({ withCode: true, code });
  if (who.error) return who.error;
  const { codes, record } = newBackupCodes(who.u);
  who.u.backup = record;
  commit();
  return { ok: true, codes, account: who.u.account, issuer: who.u.issuer };
}

/**
 * "View your backup codes", after a current code: the unused codes of the set, in order,
 * opened with the site's backup key. Spent codes are never shown. A set made before the
 * site had a backup key holds only hashes: it must be made again to be shown.
 */
export function viewBackup(code) {
  const who = changer({ withCode: true, code });
  if (who.error) return who.error;
  const { u } = who;
  commit();
  if (!u.backup) return fail("current", "You have no backup codes. Make a new set.");
  let codes;
  try {
    codes = revealBackupCodes(state.backupKey, u.backup);
  } catch (err) {
    if (err.code !== "INVALID_RECORD") throw err;
    return fail("current", "These backup codes were made before they could be shown again. Make a new set to see them.");
  }
  return { ok: true, codes, account: u.account, issuer: u.issuer };
}

/**
 * Change of authenticator app, first step: a new secret, pending. The old app's codes keep
 * working until the new app's first code confirms the change.
 */
export function startChangeApp() {
  const who = changer({});
  if (who.error) return who.error;
  const { u } = who;
  const secret = Secret.generate();
  const totp = new Totp({ secret, issuer: issuerOf(u), account: u.account });
  const uri = totp.toUri();
  totp.free();
  u.newTotp = secret.toBase32();
  const grouped = secret.toGrouped();
  secret.free();
  commit();
  return { ok: true, uri, grouped, account: u.account, issuer: issuerOf(u) };
}

export function confirmChangeApp(input) {
  const who = changer({});
  if (who.error) return who.error;
  const { u } = who;
  if (!u.newTotp) return fail("code", "Start again: this change is no longer open.");
  const locked = lockedOut(u);
  if (locked) return locked;
  const { token, error } = shapeError(input);
  if (error) return error;
  const totp = new Totp({ secret: u.newTotp });
  const match = totp.verify(token, { timestamp: clock.now() });
  totp.free();
  if (!match) return wrong(u, "code", "That code does not match the new key. Type the newest code the new app shows.");
  u.totp = nextTotp(u, u.newTotp, match.step);
  u.newTotp = null;
  u.throttle = throttleSuccess(u.throttle ?? undefined);
  commit();
  return { ok: true };
}

export function cancelChangeApp() {
  const who = changer({});
  if (who.error) return;
  who.u.newTotp = null;
  commit();
}

// --- Trusted devices ------------------------------------------------------------------

/** The user's devices still trusted now, newest first; `current` marks this browser. */
export function trustedDevices(account) {
  const u = state.users[account];
  if (!u || !state.policy.trustDays) return [];
  const mine = currentTrust(account);
  return u.devices
    .map((d) => ({ ...d, expiresAt: Math.min(d.expiresAt, d.issuedAt + state.policy.trustDays * DAY) }))
    .filter((d) => d.expiresAt > clock.now() && !u.revoked.includes(d.deviceId))
    .map((d) => ({ ...d, current: mine?.deviceId === d.deviceId }))
    .reverse();
}

/** The signed-in user removes one of their trusted devices. */
export function removeDevice(deviceId) {
  const { u, error } = signedInUser();
  if (error) return error;
  u.revoked.push(deviceId);
  u.devices = u.devices.filter((d) => d.deviceId !== deviceId);
  commit();
  return { ok: true };
}

/** "Chrome on Linux", from the user agent: what the list shows, never trusted for anything. */
function deviceLabel() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "A browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "an unknown system";
  return `${browser} on ${os}`;
}

// --- The account owner --------------------------------------------------------------

/** A recovery code: for a user who lost the app, or one who must set 2FA up under "recovery". */
export function ownerIssueRecovery(account) {
  const u = state.users[account];
  const { code, record } = issueRecoveryCode({ user: account, now: clock.now() });
  u.recovery = [...u.recovery.filter((r) => r.expiresAt > clock.now() && r.usedAt === null), record];
  commit();
  return { code, expiresAt: record.expiresAt };
}

export function ownerRegenerateBackup(account) {
  const u = state.users[account];
  const { codes, record } = newBackupCodes(u);
  u.backup = record;
  commit();
  return codes;
}

/**
 * A new set of backup codes, sealed under the site's backup key, replacing the user's
 * current set (its revision follows the old one's; a real server writes it with a
 * compare-and-swap on that revision).
 */
function newBackupCodes(u) {
  return generateBackupCodes({ key: state.backupKey, replaces: u.backup ?? undefined, now: clock.now() });
}

function clearSecondFactors(u) {
  u.totp = null;
  u.pending = null;
  u.newTotp = null;
  u.resetTotp = null;
  u.backup = null;
  u.sms = null;
  u.smsSetUp = null;
  u.smsCode = null;
  u.alternative = null;
  u.alternativeSetUp = null;
  u.emailCode = null;
  u.answers = null;
  u.throttle = null;
  u.revoked.push(...u.devices.map((d) => d.deviceId));
  u.devices = [];
  setDeviceCookie(u.account, null);
}

/**
 * Turns the user's 2FA off: the secret, backup and recovery codes, phone and alternative
 * address go, every device is untrusted, the user's sessions end, and the next sign-in
 * sets 2FA up again whatever the policy.
 */
export function ownerReset(account) {
  const u = state.users[account];
  clearSecondFactors(u);
  u.recovery = [];
  u.mustSetUp = true;
  endSessions(account, "You were signed out: the account owner reset your two-factor authentication. Sign in again to set it up.");
  commit();
}

export const backupLeft = (u) => (u.backup ? u.backup.hashes.filter((h) => h !== null).length : 0);
