// The three user-facing flows: set up 2FA, log in, and the account owner's tools.
import { $, clearErrors, confirmDialog, download, el, fieldError } from "/shared/dom.js";
import { decode, pixelsOfSvg } from "/shared/qr.js";
import { backupCodesText } from "/shared/twofa/flows.js";
import { qrSvg } from "/shared/twofa/qr.js";
import { checkToken } from "/shared/twofa/twofa.js";
import * as server from "./server.js";
import { addToPhone } from "./phone.js";
import {
  clock, copyText, describeShape, formatDate, formatTime, formatWait, load, printText, save, setStatus, showStep, slug,
} from "./ui.js";

const SESSION_KEY = "twofa-demo:session";
const INBOX_KEY = "twofa-demo:inbox";
let selectTab = () => {};

/** The page's tab switcher, given by app.js. */
export function connect({ select }) {
  selectTab = select;
}

const value = (id) => $(id).value.trim();

/** Live help under a code field, from twofa's own shape check, as the user types. */
function liveShape(inputId, { digits = 6 } = {}) {
  const input = $(inputId);
  const hint = `${inputId}-hint`;
  input.addEventListener("input", () => {
    const { text, kind } = describeShape(checkToken(input.value, { digits }), input.value, digits);
    setStatus(hint, text, kind);
    if (kind !== "bad") {
      input.removeAttribute("aria-invalid");
      $(`${inputId}-error`).hidden = true;
    }
  });
}

/** Backup codes with Print and Download: shown once, after set-up or a regeneration. */
function renderBackup(container, codes, { account, issuer }) {
  const text = () => backupCodesText(codes, { account, issuer, date: clock.now() });
  container.replaceChildren(
    el("ol", { class: "codes", "aria-label": "Backup codes" }, ...codes.map((c) => el("li", {}, el("code", {}, c)))),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "button", class: "secondary", onclick: () => printText(text()) }, "Print"),
      el("button", { type: "button", class: "secondary", onclick: () => download(`${slug(issuer ?? "site")}-backup-codes.txt`, text()) }, "Download (.txt)"),
    ),
  );
}

/**
 * A refusal, with what the throttle allows next. The log-in form shows a running lock-out
 * in its own banner (`banner`); set-up has none, so the wait goes into the message.
 */
function explain({ message = "", locked, triesLeft: n }, { banner = false } = {}) {
  if (locked) return banner ? message : `${message} Too many wrong codes: try again in ${formatWait(locked - clock.now())}.`.trim();
  return n ? `${message} ${n} more wrong ${n === 1 ? "try pauses" : "tries pause"} sign-in.` : message;
}

// --- 1. Set up 2FA --------------------------------------------------------------------

const setup = { account: null, issuer: null, uri: null, forced: false };

function startSetup(event) {
  event.preventDefault();
  clearErrors($("setup-start"));
  const account = value("setup-account");
  const issuer = value("setup-issuer");
  const result = server.startSetup({ account, issuer, password: $("setup-password").value, signedIn: setup.forced && account === setup.account });
  if (!result.ok) return fieldError(`setup-${result.field}`, result.message);
  Object.assign(setup, { account, issuer, uri: result.uri });
  $("setup-qr").innerHTML = qrSvg(result.uri, { ecc: "M" });
  $("setup-qr").setAttribute("aria-label", `QR code of the new key for ${account} at ${issuer}`);
  $("setup-key").textContent = result.grouped;
  $("setup-key-account").textContent = account;
  $("setup-manual").hidden = true;
  $("setup-manual-toggle").setAttribute("aria-expanded", "false");
  $("setup-manual-toggle").textContent = "Enter your key manually";
  $("setup-code").value = "";
  setStatus("setup-phone-status", "");
  setStatus("setup-copy-status", "");
  setStatus("setup-code-hint", "Type the 6 digits your app shows.");
  clearErrors($("setup-scan"));
  showStep("setup-scan", { focus: false });
  $("setup-scan").querySelector("h2").setAttribute("tabindex", "-1");
  $("setup-scan").querySelector("h2").focus();
}

/** The demo phone scans the QR code as drawn on screen, with twofa's decoder. */
async function scanWithPhone() {
  setStatus("setup-phone-status", "Scanning…");
  try {
    const [text] = await decode(await pixelsOfSvg($("setup-qr").innerHTML));
    if (!text) throw new Error("no QR code found");
    const account = addToPhone(text);
    setStatus("setup-phone-status", `Scanned. The demo phone shows codes for ${account.issuer}: ${account.account}.`, "ok");
  } catch (err) {
    setStatus("setup-phone-status", `The phone could not scan it: ${err.message}.`, "bad");
  }
}

function confirmSetup(event) {
  event.preventDefault();
  clearErrors($("setup-scan"));
  const result = server.confirmSetup(setup.account, $("setup-code").value);
  if (!result.ok) {
    return fieldError("setup-code", explain(result));
  }
  renderBackup($("setup-backup"), result.codes, setup);
  showStep("setup-done");
}

function finishSetup() {
  const { account, forced } = setup;
  leaveForced();
  $("setup-start").reset();
  $("setup-backup").replaceChildren();
  showStep("setup-start", { focus: false });
  if (forced) {
    finishLogin(account, { method: "setup" });
  } else {
    resetLogin();
    $("login-account").value = account;
    selectTab("login");
    $("login-pass").focus();
  }
}

function leaveForced() {
  if (!setup.forced) return;
  setup.forced = false;
  $("setup-start-cancel").hidden = true;
  $("setup-required").hidden = true;
  $("setup-account").readOnly = false;
  $("setup-password").closest(".field").hidden = false;
}

// --- 2. Log in ------------------------------------------------------------------------

const login = { account: null, method: "totp" };

function checkPassword(event) {
  event.preventDefault();
  leaveForced();
  clearErrors($("login-password"));
  const account = value("login-account");
  const result = server.checkPassword({ account, password: $("login-pass").value });
  if (!result.ok) return fieldError(result.field === "password" ? "login-pass" : "login-account", result.message);
  $("login-pass").value = "";
  if (result.next === "done") return finishLogin(account, result);
  if (result.next === "setup") return requireSetup(account);
  login.account = account;
  $("login-who").textContent = account;
  $("login-email-to").textContent = account;
  $("login-trust").checked = false;
  setStatus("login-email-status", "");
  for (const id of ["login-code", "login-backup-code", "login-recovery-code", "login-email-code"]) $(id).value = "";
  setStatus("login-code-hint", "Open your authenticator app and type the 6-digit code.");
  clearErrors($("login-second"));
  const ended = { EXPIRED: "expired", REVOKED: "was removed" }[result.trustEnded];
  $("login-lock").hidden = true;
  showStep("login-second", { focus: false });
  chooseMethod("totp");
  if (ended) lockBanner(`This device's trust ${ended}: enter a code to sign in.`, "info");
  updateLock();
}

/** 2FA is required and this user has none: set-up comes before the account opens. */
function requireSetup(account) {
  setup.forced = true;
  setup.account = account;
  $("setup-required").textContent = "This site requires two-factor authentication. Set it up to finish signing in.";
  $("setup-required").hidden = false;
  $("setup-account").value = account;
  $("setup-account").readOnly = true;
  $("setup-password").value = "";
  $("setup-password").closest(".field").hidden = true;
  $("setup-start-cancel").hidden = false;
  selectTab("setup");
  showStep("setup-start", { focus: false });
  $("setup-issuer").focus();
}

function chooseMethod(method) {
  login.method = method;
  for (const m of ["totp", "backup", "recovery", "email"]) $(`login-${m}`).hidden = m !== method;
  for (const link of document.querySelectorAll("[data-method]")) link.hidden = link.dataset.method === method;
  focusMethod();
}

function lockBanner(text, kind) {
  const banner = $("login-lock");
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.hidden = false;
}

/**
 * The throttle's lock-out: the forms are disabled, with a countdown on the simulated
 * clock. The countdown itself is silent; its start and end are announced once, and focus
 * moves to the banner and back to the field.
 */
export function updateLock() {
  if (!login.account || $("login-second").hidden) return;
  const until = server.lockedUntil(login.account);
  const locked = until > clock.now();
  for (const form of $("login-second").querySelectorAll("form")) {
    for (const control of form.querySelectorAll("input, button")) control.disabled = locked;
  }
  const banner = $("login-lock");
  if (locked) {
    lockBanner(`Too many wrong codes. Try again in ${formatWait(until - clock.now())}.`, "warn");
    if (!login.locked) {
      login.locked = true;
      setStatus("login-live", `Too many wrong codes. Sign-in is paused for ${formatWait(until - clock.now())}.`);
      banner.focus();
    }
  } else if (login.locked) {
    login.locked = false;
    banner.hidden = true;
    delete banner.dataset.kind;
    setStatus("login-live", "You can try again now.");
    if (document.activeElement === banner || document.activeElement === document.body) focusMethod();
  }
}

const METHOD_INPUT = { totp: "login-code", backup: "login-backup-code", recovery: "login-recovery-code", email: "login-email-send" };
const focusMethod = () => $(METHOD_INPUT[login.method]).focus();

function submitSecond(method, inputId, verify) {
  return (event) => {
    event.preventDefault();
    clearErrors($(`login-${method}`));
    const result = verify(login.account, $(inputId).value, $("login-trust").checked);
    if (result.ok) return finishLogin(login.account, result);
    if (result.restart) return restartLogin(result.message);
    if (result.message) fieldError(inputId, explain(result, { banner: true }));
    updateLock();
  };
}

/** The account changed under an open code step (2FA was reset): back to the password. */
function restartLogin(message) {
  const account = login.account;
  resetLogin();
  $("login-account").value = account;
  fieldError("login-account", message);
}

function sendEmail() {
  const mail = server.sendEmailCode(login.account);
  if (mail.restart) return restartLogin(mail.message);
  if (!mail.ok) {
    updateLock();
    if (mail.message) setStatus("login-email-status", mail.message, "bad");
    return;
  }
  const inbox = load(INBOX_KEY, () => []);
  inbox.unshift({
    to: mail.to, subject: mail.subject, at: clock.now(),
    body: `Your sign-in code is ${mail.code}. It works until ${formatTime(mail.expiresAt)}. If you did not try to sign in, change your password.`,
  });
  save(INBOX_KEY, inbox.slice(0, 20));
  renderInbox();
  setStatus("login-email-status", "Sent. Check the inbox beside this page.", "ok");
  $("login-email-code").focus();
}

export function renderInbox() {
  const inbox = load(INBOX_KEY, () => []);
  $("inbox-empty").hidden = inbox.length > 0;
  $("inbox-messages").replaceChildren(
    ...inbox.map((m) =>
      el("li", { class: "message" }, el("div", { class: "message-head" }, el("strong", {}, m.subject), el("time", { class: "muted" }, formatTime(m.at))),
        el("div", { class: "muted" }, `To: ${m.to}`), el("p", {}, m.body)),
    ),
  );
}

const METHOD_TEXT = {
  totp: "with a code from your authenticator app",
  backup: "with a backup code",
  recovery: "with a recovery code",
  email: "with a code sent by e-mail",
  setup: "with two-factor authentication, now turned on",
  password: "with a password only: this account has no two-factor authentication",
};

function finishLogin(account, result) {
  const session = { account, method: result.method, at: clock.now(), remaining: result.remaining, until: result.until, trustedUntil: result.trustedUntil };
  save(SESSION_KEY, session);
  showSession(session);
  selectTab("login");
  showStep("login-done");
}

function showSession(session) {
  const { account, method } = session;
  $("login-done-text").textContent =
    method === "trusted"
      ? `Signed in as ${account}. This device is trusted until ${formatDate(session.until)}, so no code was asked.`
      : `Signed in as ${account} ${METHOD_TEXT[method]}.`;
  const notes = [];
  if (method === "backup") notes.push(`${session.remaining} backup code${session.remaining === 1 ? "" : "s"} left.${session.remaining <= 3 ? " Make a new set soon." : ""}`);
  if (session.trustedUntil) notes.push(`This device is trusted until ${formatDate(session.trustedUntil)}.`);
  $("login-done-note").textContent = notes.join(" ");
  $("login-done-note").hidden = notes.length === 0;
  renderDevices(account);
}

function renderDevices(account) {
  const devices = server.trustedDevices(account);
  $("login-devices").replaceChildren(
    ...(devices.length
      ? devices.map((d) =>
        el("li", { class: "device-row" },
          el("div", {}, el("strong", {}, d.label), d.current ? el("span", { class: "badge" }, "this device") : null,
            el("div", { class: "muted" }, `Added ${formatDate(d.issuedAt)} · trusted until ${formatDate(d.expiresAt)}`)),
          el("button", {
            type: "button", class: "small ghost", "aria-label": `Remove ${d.label}, added ${formatDate(d.issuedAt)}`,
            onclick: () => {
              server.removeDevice(account, d.deviceId);
              renderDevices(account);
              $("login-signout").focus();
            },
          }, "Remove")))
      : [el("li", { class: "muted" }, "None. Tick “Trust this device” when you sign in to add this one.")]),
  );
}

/** The Log in tab back at its first step, signed out. */
function resetLogin() {
  localStorage.removeItem(SESSION_KEY);
  login.account = null;
  login.locked = false;
  $("login-password").reset();
  clearErrors($("login-password"));
  showStep("login-password", { focus: false });
}

function signOut() {
  leaveForced();
  resetLogin();
  $("login-account").focus();
}

// --- 3. Account owner -----------------------------------------------------------------

function renderOwner() {
  $("owner-require").checked = server.requireTwofa();
  const list = server.users();
  $("owner-empty").hidden = list.length > 0;
  $("owner-users").hidden = list.length === 0;
  $("owner-users").tBodies[0].replaceChildren(
    ...list.map((u) =>
      el("tr", {},
        el("th", { scope: "row" }, u.account),
        el("td", {}, u.totp ? el("span", { class: "pill on" }, "On") : el("span", { class: "pill" }, "Off")),
        el("td", {}, u.totp ? String(server.backupLeft(u)) : "–"),
        el("td", {}, String(server.trustedDevices(u.account).length)),
        el("td", { class: "row-actions" },
          el("button", { type: "button", class: "small secondary", disabled: !u.totp, "aria-label": `Issue a recovery code for ${u.account}`, onclick: () => ownerRecovery(u.account) }, "Issue recovery code"),
          el("button", { type: "button", class: "small secondary", disabled: !u.totp, "aria-label": `Regenerate backup codes for ${u.account}`, onclick: () => ownerBackup(u) }, "Regenerate backup codes"),
          el("button", { type: "button", class: "small danger", disabled: !u.totp, "aria-label": `Reset 2FA for ${u.account}`, onclick: () => ownerReset(u.account) }, "Reset 2FA"))),
    ),
  );
}

function ownerOutput(title, ...body) {
  $("owner-output-title").textContent = title;
  $("owner-output-body").replaceChildren(...body);
  $("owner-output").hidden = false;
  $("owner-output-title").focus();
}

function ownerRecovery(account) {
  const { code, expiresAt } = server.ownerIssueRecovery(account);
  ownerOutput(
    `Recovery code for ${account}`,
    el("p", { class: "big-code" }, el("code", { id: "owner-recovery-code" }, code)),
    el("p", {}, `It works once, until ${formatTime(expiresAt)} (one hour). Give it to the user over a channel you trust, after checking who they are.`),
  );
}

async function ownerBackup(u) {
  const ok = await confirmDialog({ title: `New backup codes for ${u.account}?`, text: "The old codes stop working at once.", ok: "Regenerate" });
  if (!ok) return;
  const codes = server.ownerRegenerateBackup(u.account);
  const box = el("div", { class: "backup" });
  renderBackup(box, codes, { account: u.account, issuer: u.issuer });
  ownerOutput(`New backup codes for ${u.account}`, el("p", {}, "The old set no longer works. These are shown only this once."), box);
}

async function ownerReset(account) {
  const ok = await confirmDialog({
    title: `Reset 2FA for ${account}?`,
    text: "Their authenticator app, backup codes, recovery codes and trusted devices stop working. They sign in with the password alone until they set 2FA up again.",
    ok: "Reset 2FA",
  });
  if (!ok) return;
  server.ownerReset(account);
  ownerOutput(`2FA reset for ${account}`, el("p", {}, "Two-factor authentication is off for this account, and all of its devices are untrusted."));
}

// --- Wiring ---------------------------------------------------------------------------

export function setUpFlows() {
  $("setup-start").addEventListener("submit", startSetup);
  $("setup-scan").addEventListener("submit", confirmSetup);
  $("setup-phone").addEventListener("click", scanWithPhone);
  $("setup-manual-toggle").addEventListener("click", () => {
    const open = $("setup-manual").hidden;
    $("setup-manual").hidden = !open;
    $("setup-manual-toggle").setAttribute("aria-expanded", String(open));
    $("setup-manual-toggle").textContent = open ? "Hide the key" : "Enter your key manually";
  });
  $("setup-copy").addEventListener("click", () => copyText($("setup-key").textContent.replaceAll(" ", ""), "setup-copy-status"));
  $("setup-cancel").addEventListener("click", () => {
    server.cancelSetup(setup.account);
    leaveForced();
    $("setup-start").reset();
    showStep("setup-start");
  });
  $("setup-continue").addEventListener("click", finishSetup);
  // Leaving a required set-up signs out: the account cannot open without 2FA.
  $("setup-start-cancel").addEventListener("click", () => {
    server.cancelSetup(setup.account);
    leaveForced();
    $("setup-start").reset();
    resetLogin();
    selectTab("login");
    $("login-account").focus();
  });
  liveShape("setup-code");

  $("login-password").addEventListener("submit", checkPassword);
  $("login-totp").addEventListener("submit", submitSecond("totp", "login-code", server.verifyTotp));
  $("login-backup").addEventListener("submit", submitSecond("backup", "login-backup-code", server.verifyBackup));
  $("login-recovery").addEventListener("submit", submitSecond("recovery", "login-recovery-code", server.verifyRecovery));
  $("login-email").addEventListener("submit", submitSecond("email", "login-email-code", server.verifyEmail));
  $("login-email-send").addEventListener("click", sendEmail);
  for (const link of document.querySelectorAll("[data-method]")) link.addEventListener("click", () => chooseMethod(link.dataset.method));
  $("login-cancel").addEventListener("click", () => {
    resetLogin();
    $("login-account").focus();
  });
  $("login-signout").addEventListener("click", signOut);
  liveShape("login-code");

  $("owner-require").addEventListener("change", (e) => server.setRequireTwofa(e.target.checked));
  server.onChange(renderOwner);
  server.onChange(() => {
    const session = load(SESSION_KEY, () => null);
    if (session && !$("login-done").hidden) renderDevices(session.account);
  });
  renderOwner();
  renderInbox();

  // A session from before a reload stays signed in.
  const session = load(SESSION_KEY, () => null);
  if (session && server.user(session.account)) {
    showSession(session);
    showStep("login-done", { focus: false });
  }
}
