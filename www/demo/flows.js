// The user-facing flows: set up 2FA, log in, the signed-in user's security settings, and
// the account owner's tools. Every decision is the simulated server's (server.js): the page
// holds only the id of the pending sign-in or set-up it is showing, never who is signed in.
import { $, clearErrors, confirmDialog, download, el, fieldError } from "/shared/dom.js";
import { decode, pixelsOfSvg } from "/shared/qr.js";
import { backupCodesText } from "/shared/twofa/flows.js";
import { qrSvg } from "/shared/twofa/qr.js";
import { checkToken } from "/shared/twofa/twofa.js";
import { mails, onDelivery, texts } from "./outbox.js";
import * as server from "./server.js";
import { addToPhone } from "./phone.js";
import {
  clock, copyText, describeShape, formatDate, formatTime, formatWait, printText, setStatus, showStep, slug,
} from "./ui.js";

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
 * in its own banner (`banner`); other forms have none, so the wait goes into the message.
 */
function explain({ message = "", locked, triesLeft: n }, { banner = false } = {}) {
  if (locked) return banner ? message : `${message} Too many wrong codes: try again in ${formatWait(locked - clock.now())}.`.trim();
  return n ? `${message} ${n} more wrong ${n === 1 ? "try pauses" : "tries pause"} sign-in.` : message;
}

/** The demo phone scans a QR code as drawn on screen, with twofa's decoder. */
async function scanWithPhone(qrId, statusId) {
  setStatus(statusId, "Scanning…");
  try {
    const [text] = await decode(await pixelsOfSvg($(qrId).innerHTML));
    if (!text) throw new Error("no QR code found");
    const account = addToPhone(text);
    setStatus(statusId, `Scanned. The demo phone shows codes for ${account.issuer}: ${account.account}.`, "ok");
  } catch (err) {
    setStatus(statusId, `The phone could not scan it: ${err.message}.`, "bad");
  }
}

// --- Security questions -----------------------------------------------------------------

const OWN = "own";

/**
 * Two questions, each picked from the site's list or written ("Write my own question"),
 * with their answers, in every container marked data-questions="<prefix>".
 */
function mountQuestions() {
  for (const box of document.querySelectorAll("[data-questions]")) {
    const prefix = box.dataset.questions;
    box.replaceChildren(...[1, 2].map((n) => {
      const id = `${prefix}-q${n}`;
      const own = el("div", { class: "field", hidden: true },
        el("label", { for: `${id}-own` }, `Your own question ${n}`),
        el("input", { id: `${id}-own`, type: "text", maxlength: "256", "aria-describedby": `${id}-own-error` }),
        el("p", { class: "error", id: `${id}-own-error`, hidden: true }));
      const select = el("select", {
        id, "aria-describedby": `${id}-error`,
        onchange: () => {
          own.hidden = select.value !== OWN;
        },
      },
      el("option", { value: "" }, "Choose a question"),
      ...server.QUESTIONS.map((q, i) => el("option", { value: q, selected: i === n - 1 }, q)),
      el("option", { value: OWN }, "Write my own question"));
      return el("div", { class: "question" },
        el("div", { class: "field" }, el("label", { for: id }, `Question ${n}`), select, el("p", { class: "error", id: `${id}-error`, hidden: true })),
        own,
        el("div", { class: "field" },
          el("label", { for: `${prefix}-a${n}` }, `Answer ${n}`),
          el("input", { id: `${prefix}-a${n}`, type: "text", autocomplete: "off", spellcheck: "false", maxlength: "256", "aria-describedby": `${prefix}-a${n}-error` }),
          el("p", { class: "error", id: `${prefix}-a${n}-error`, hidden: true })));
    }));
  }
}

/** The questions and answers typed under `prefix`. */
function readQuestions(prefix) {
  return [1, 2].map((n) => {
    const picked = $(`${prefix}-q${n}`).value;
    return { question: picked === OWN ? $(`${prefix}-q${n}-own`).value : picked, answer: $(`${prefix}-a${n}`).value };
  });
}

/** The field of a refused question or answer. */
function questionField(prefix, { field, index = 0 }) {
  const n = index + 1;
  if (field === "answer") return `${prefix}-a${n}`;
  if (field === "question") return $(`${prefix}-q${n}`).value === OWN ? `${prefix}-q${n}-own` : `${prefix}-q${n}`;
  return null;
}

/** Back to the first questions of the list, and no answers. */
function resetQuestions(prefix) {
  [1, 2].forEach((n) => {
    $(`${prefix}-q${n}`).selectedIndex = n;
    $(`${prefix}-q${n}-own`).value = "";
    $(`${prefix}-q${n}-own`).closest(".field").hidden = true;
    $(`${prefix}-a${n}`).value = "";
  });
}

/** Shows the part of an alternative-method form that its radio buttons chose. */
function showAltPart(prefix) {
  const kind = document.querySelector(`input[name="${prefix}-kind"]:checked`).value;
  $(`${prefix}-email`).hidden = kind !== "email";
  $(`${prefix}-questions`).hidden = kind !== "questions";
  return kind;
}

// --- 1. Set up 2FA --------------------------------------------------------------------

/** The set-up on screen: its pending record's id, and whether the password step forced it. */
const setup = { pending: null, account: null, issuer: null, forced: false };

const SETUP_WHY = {
  required: "This site requires two-factor authentication. Set it up to finish signing in.",
  reset: "The account owner reset your two-factor authentication. Set it up again to finish signing in.",
  recovery: "Recovery code accepted. Set up two-factor authentication to finish signing in.",
};

function startSetup(event) {
  event.preventDefault();
  clearErrors($("setup-start"));
  const result = server.startSetup({ account: value("setup-account"), issuer: value("setup-issuer"), password: $("setup-password").value });
  if (!result.ok) return fieldError(`setup-${result.field}`, result.message);
  showScan(result);
}

/** The QR code step, for a set-up opened from the form or by the password step. */
function showScan(result) {
  Object.assign(setup, { pending: result.pending, account: result.account, issuer: result.issuer });
  $("setup-qr").innerHTML = qrSvg(result.uri, { ecc: "M" });
  $("setup-qr").setAttribute("aria-label", `QR code of the new key for ${result.account} at ${result.issuer}`);
  $("setup-key").textContent = result.grouped;
  $("setup-key-account").textContent = result.account;
  $("setup-manual").hidden = true;
  $("setup-manual-toggle").setAttribute("aria-expanded", "false");
  $("setup-manual-toggle").textContent = "Enter your key manually";
  $("setup-code").value = "";
  $("setup-cancel").hidden = setup.forced;
  $("setup-cancel-signout").hidden = !setup.forced;
  setStatus("setup-phone-status", "");
  setStatus("setup-copy-status", "");
  setStatus("setup-code-hint", "Type the 6 digits your app shows.");
  clearErrors($("setup-scan"));
  showStep("setup-scan", { focus: false });
  $("setup-scan").querySelector("h2").setAttribute("tabindex", "-1");
  $("setup-scan").querySelector("h2").focus();
}

/**
 * The password step sent the user to set-up (2FA required, or reset by the owner): straight
 * to the QR code, under the site's name, with no issuer to choose.
 */
function requireSetup(pending, why) {
  setup.forced = true;
  const result = server.startSetup({ pending });
  if (!result.ok) {
    leaveForced();
    return restartLogin(result.message);
  }
  $("setup-required").textContent = SETUP_WHY[why];
  $("setup-required").hidden = false;
  selectTab("setup");
  showScan(result);
}

function confirmSetup(event) {
  event.preventDefault();
  clearErrors($("setup-scan"));
  const result = server.confirmSetup(setup.pending, $("setup-code").value);
  if (result.restart) return setupRestart(result.message);
  if (!result.ok) return fieldError("setup-code", explain(result));
  renderBackup($("setup-backup"), result.codes, setup);
  $("setup-alt").reset();
  resetQuestions("setup-alt");
  setStatus("setup-alt-questions-status", "");
  showAltPart("setup-alt");
  clearErrors($("setup-alt"));
  setStatus("setup-alt-status", "");
  showStep("setup-done");
}

/** The set-up's pending record is gone (expired, or too many tries): back to its start. */
function setupRestart(message) {
  if (setup.forced) {
    leaveForced();
    selectTab("login");
    return restartLogin(message);
  }
  showStep("setup-start", { focus: false });
  fieldError("setup-account", message);
}

function sendSetupAlternative() {
  clearErrors($("setup-alt"));
  const result = server.startAlternative({ pending: setup.pending, address: value("setup-alt-address") });
  if (result.restart) return setupRestart(result.message);
  if (!result.ok) return fieldError("setup-alt-address", result.message);
  setStatus("setup-alt-status", `We sent a code to ${result.to}. It works for 10 minutes.`, "ok");
  $("setup-alt-code").focus();
}

function confirmSetupAlternative(event) {
  event.preventDefault();
  clearErrors($("setup-alt"));
  const result = server.confirmAlternative({ pending: setup.pending, input: $("setup-alt-code").value });
  if (result.restart) return setupRestart(result.message);
  if (!result.ok) return fieldError(result.field === "address" ? "setup-alt-address" : "setup-alt-code", explain(result));
  setStatus("setup-alt-status", `Verified: ${result.to} is your alternative e-mail address.`, "ok");
  $("setup-continue").focus();
}

function saveSetupQuestions() {
  clearErrors($("setup-alt"));
  const result = server.setQuestions({ pending: setup.pending, entries: readQuestions("setup-alt") });
  if (result.restart) return setupRestart(result.message);
  if (!result.ok) return fieldError(questionField("setup-alt", result) ?? "setup-alt-a1", explain(result));
  resetQuestions("setup-alt");
  setStatus("setup-alt-questions-status", `Saved: at sign-in you can answer “${result.questions.join("” and “")}”.`, "ok");
  $("setup-continue").focus();
}

function finishSetup() {
  const { account, forced, pending } = setup;
  server.finishSetup(pending);
  leaveForced();
  $("setup-start").reset();
  $("setup-backup").replaceChildren();
  showStep("setup-start", { focus: false });
  const session = server.session();
  if (forced && session) return showSignedIn();
  if (session?.account === account) {
    selectTab("settings");
    return $("settings-title").focus();
  }
  resetLogin();
  $("login-account").value = account;
  selectTab("login");
  $("login-pass").focus();
}

function leaveForced() {
  if (!setup.forced) return;
  setup.forced = false;
  $("setup-required").hidden = true;
  $("setup-cancel").hidden = false;
  $("setup-cancel-signout").hidden = true;
}

// --- 2. Log in ------------------------------------------------------------------------

/** The sign-in on screen: the pending sign-in's id, and the ways in it offers. */
const login = { pending: null, account: null, method: "totp", methods: { sms: null, alternatives: [] }, locked: false };

/**
 * The alternatives a user can set up, one entry per kind: its choice's label and the part
 * of the form it opens.
 */
const ALTERNATIVES = {
  email: { label: (a) => `E-mail a code to ${a.to}`, part: "login-alt-email" },
  questions: { label: () => "Answer your security questions", part: "login-alt-questions" },
};

function checkPassword(event) {
  event.preventDefault();
  leaveForced();
  clearErrors($("login-password"));
  $("login-notice").hidden = true;
  const account = value("login-account");
  const result = server.checkPassword({ account, password: $("login-pass").value });
  if (!result.ok) return fieldError(result.field === "password" ? "login-pass" : "login-account", result.message);
  $("login-pass").value = "";
  login.account = account;
  if (result.next === "done") return showSignedIn();
  if (result.next === "setup") return requireSetup(result.pending, result.why);
  login.pending = result.pending;
  if (result.next === "recovery") {
    $("login-gate-who").textContent = account;
    $("login-gate-code").value = "";
    clearErrors($("login-gate"));
    showStep("login-gate", { focus: false });
    return $("login-gate-code").focus();
  }
  login.methods = { sms: result.sms, alternatives: result.alternatives };
  $("login-who").textContent = account;
  $("login-sms-to").textContent = result.sms ?? "";
  $("login-trust").checked = false;
  $("login-trust-box").hidden = !result.trustDays;
  if (result.trustDays) $("login-trust-label").textContent = `Do not ask again for ${result.trustDays} days`;
  for (const id of ["login-sms-status", "login-alt-status", "login-reset-status"]) setStatus(id, "");
  for (const id of ["login-code", "login-backup-code", "login-recovery-code", "login-sms-code", "login-alt-code"]) $(id).value = "";
  setStatus("login-code-hint", "Open your authenticator app and type the 6-digit code.");
  renderAlternatives();
  clearErrors($("login-second"));
  const ended = { EXPIRED: "expired", REVOKED: "was removed" }[result.trustEnded];
  $("login-lock").hidden = true;
  showStep("login-second", { focus: false });
  chooseMethod("totp");
  if (ended) lockBanner(`This device's trust ${ended}: enter a code to sign in.`, "info");
  updateLock();
}

/** "Use another authentication method": one radio button per alternative the user has. */
function renderAlternatives() {
  const list = login.methods.alternatives;
  $("login-alt-none").hidden = list.length > 0;
  $("login-alt-some").hidden = list.length === 0;
  $("login-alt-choices").replaceChildren(
    ...list.map((a, i) =>
      el("label", { class: "check" },
        el("input", { type: "radio", name: "login-alt-kind", value: a.kind, checked: i === 0, onchange: showAlternative }),
        ` ${ALTERNATIVES[a.kind].label(a)}`)),
  );
  const questions = list.find((a) => a.kind === "questions")?.questions ?? [];
  $("login-alt-answers").replaceChildren(
    ...questions.map((q, i) =>
      el("div", { class: "field" },
        el("label", { for: `login-alt-answer${i + 1}` }, q),
        el("input", { id: `login-alt-answer${i + 1}`, type: "text", autocomplete: "off", spellcheck: "false", maxlength: "256", "aria-describedby": "login-alt-answers-error" }))),
  );
  showAlternative();
}

function showAlternative() {
  const chosen = document.querySelector('input[name="login-alt-kind"]:checked')?.value;
  for (const [kind, { part }] of Object.entries(ALTERNATIVES)) $(part).hidden = kind !== chosen;
}

function chooseMethod(method) {
  login.method = method;
  for (const m of ["totp", "sms", "backup", "recovery", "alt"]) $(`login-${m}`).hidden = m !== method;
  for (const link of document.querySelectorAll("[data-method]")) {
    link.hidden = link.dataset.method === method || (link.dataset.method === "sms" && !login.methods.sms);
  }
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
  if (!login.pending || $("login-second").hidden) return;
  const until = server.lockedUntil(login.pending);
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

const METHOD_INPUT = { totp: "login-code", sms: "login-sms-send", backup: "login-backup-code", recovery: "login-recovery-code" };
function focusMethod() {
  if (login.method === "alt") {
    return (document.querySelector('input[name="login-alt-kind"]:checked') ?? $("login-alt-none-text")).focus();
  }
  $(METHOD_INPUT[login.method]).focus();
}

function submitSecond(method, inputId, verify) {
  return (event) => {
    event.preventDefault();
    clearErrors($(`login-${method}`));
    const result = verify(login.pending, $(inputId).value, $("login-trust").checked);
    if (result.ok) return showSignedIn();
    if (result.restart) return restartLogin(result.message);
    if (result.message) fieldError(inputId, explain(result, { banner: true }));
    updateLock();
  };
}

/** "Answer your security questions": every answer, in the order asked. */
function submitAnswers(event) {
  event.preventDefault();
  clearErrors($("login-alt"));
  const inputs = [...$("login-alt-answers").querySelectorAll("input")];
  const result = server.verifyAnswers(login.pending, inputs.map((i) => i.value), $("login-trust").checked);
  if (result.ok) return showSignedIn();
  if (result.restart) return restartLogin(result.message);
  if (result.message) {
    const box = $("login-alt-answers-error");
    box.textContent = explain(result, { banner: true });
    box.hidden = false;
    box.setAttribute("role", "alert");
    inputs.forEach((i) => i.setAttribute("aria-invalid", "true"));
    inputs[result.index ?? 0]?.focus();
  }
  updateLock();
}

/** The pending sign-in is gone (expired, too many tries, 2FA reset meanwhile): back to the password. */
function restartLogin(message) {
  const account = login.account;
  resetLogin();
  $("login-account").value = account ?? "";
  fieldError("login-account", message);
}

/** "Send code" for a code by SMS or to the alternative address. */
function sendCode(send, statusId, nextId) {
  return () => {
    const sent = send(login.pending);
    if (sent.restart) return restartLogin(sent.message);
    if (!sent.ok) {
      updateLock();
      return setStatus(statusId, sent.message, "bad");
    }
    setStatus(statusId, `We sent a code to ${sent.to}. It works for 10 minutes.`, "ok");
    $(nextId).focus();
  };
}

// --- Reset the QR code by e-mail ----------------------------------------------------------

/** The reset link on screen: the account and token it carries, as a URL would. */
const reset = { account: null, token: null };

function sendResetLink() {
  const sent = server.sendResetLink(login.pending);
  if (sent.restart) return restartLogin(sent.message);
  if (!sent.ok) return setStatus("login-reset-status", sent.message, "bad");
  setStatus("login-reset-status", `We sent a link to ${sent.to}. It works for an hour.`, "ok");
}

/** A refused link: the reason, and no QR code. */
function refuseLink(message) {
  $("login-reset-form").hidden = true;
  $("login-reset-refused").textContent = message;
  $("login-reset-refused").hidden = false;
}

/** The page was opened at #reset-qr=<token>&account=<account>: the link from the e-mail. */
export function openLinkFromHash() {
  if (!location.hash.startsWith("#reset-qr=")) return false;
  const params = new URLSearchParams(location.hash.slice(1));
  Object.assign(reset, { token: params.get("reset-qr"), account: params.get("account") });
  selectTab("login");
  for (const id of ["login-reset-refused", "login-reset-done"]) $(id).hidden = true;
  clearErrors($("login-reset-form"));
  $("login-reset-code").value = "";
  setStatus("login-reset-phone-status", "");
  const result = server.openResetLink(reset);
  if (result.ok) {
    $("login-reset-qr").innerHTML = qrSvg(result.uri, { ecc: "M" });
    $("login-reset-qr").setAttribute("aria-label", `QR code of the new key for ${result.account} at ${result.issuer}`);
    $("login-reset-key").textContent = result.grouped;
    $("login-reset-who").textContent = result.account;
    $("login-reset-form").hidden = false;
  } else {
    refuseLink(result.message);
  }
  showStep("login-reset", { focus: false });
  $("login-reset-title").focus();
  return true;
}

function confirmResetLink(event) {
  event.preventDefault();
  clearErrors($("login-reset-form"));
  const result = server.confirmResetLink({ ...reset, input: $("login-reset-code").value });
  if (result.link) return refuseLink(result.message);
  if (!result.ok) return fieldError("login-reset-code", explain(result));
  $("login-reset-form").hidden = true;
  $("login-reset-done").textContent = "Your new authenticator app is set up: sign in with its codes. The old key no longer works.";
  $("login-reset-done").hidden = false;
  $("login-reset-back").focus();
}

function submitGate(event) {
  event.preventDefault();
  clearErrors($("login-gate"));
  const result = server.verifyRecovery(login.pending, $("login-gate-code").value, false);
  if (result.restart) return restartLogin(result.message);
  if (!result.ok) return fieldError("login-gate-code", explain(result));
  requireSetup(login.pending, "recovery");
}

const METHOD_TEXT = {
  totp: "with a code from your authenticator app",
  sms: "with a code sent by text message",
  backup: "with a backup code",
  recovery: "with a recovery code",
  email: "with a code sent to your alternative e-mail address",
  questions: "by answering your security questions",
  setup: "with two-factor authentication, now turned on",
  password: "with a password only: this account has no two-factor authentication",
  "policy-off": "with a password only: the site has turned two-factor authentication off for now",
};

/** The Log in tab shows the server's session for this browser. */
function showSignedIn() {
  if (!renderSession()) return;
  selectTab("login");
  showStep("login-done");
}

/** Fills the signed-in card from the server's session; false when there is none. */
function renderSession() {
  const session = server.session();
  if (!session) return false;
  const { account, method } = session;
  let text = `Signed in as ${account} ${METHOD_TEXT[method]}.`;
  if (method === "trusted") {
    text = session.trustedUntil
      ? `Signed in as ${account}. This device is trusted until ${formatDate(session.trustedUntil)}, so no code was asked.`
      : `Signed in as ${account} without a code. This device is no longer trusted: the next sign-in asks for one.`;
  }
  $("login-done-text").textContent = text;
  const notes = [];
  if (method === "backup") notes.push(`${session.remaining} backup code${session.remaining === 1 ? "" : "s"} left.${session.remaining <= 3 ? " Make a new set soon." : ""}`);
  if (session.trustedUntil && method !== "trusted") notes.push(`This device is trusted until ${formatDate(session.trustedUntil)}.`);
  $("login-done-note").textContent = notes.join(" ");
  $("login-done-note").hidden = notes.length === 0;
  return true;
}

/** What the settings showed the last user goes: an open change of app, new backup codes, messages. */
function clearSettings() {
  $("settings-app").hidden = true;
  $("settings-backup-codes").replaceChildren();
  $("settings-backup-codes").hidden = true;
  settingsStatus("");
  for (const id of ["settings-backup", "settings-sms", "settings-alt", "settings-disable"]) {
    $(id).reset();
    clearErrors($(id));
  }
  for (const id of ["settings-sms-status", "settings-alt-status"]) setStatus(id, "");
  resetQuestions("settings-alt");
  showAltPart("settings-alt");
}

/** The Log in tab back at its first step: the pending sign-in and any session end. */
function resetLogin() {
  clearSettings();
  if (login.pending) server.endPending(login.pending);
  login.pending = null;
  login.locked = false;
  if (server.session() || server.sessionEnded()) server.signOut();
  $("login-password").reset();
  clearErrors($("login-password"));
  showStep("login-password", { focus: false });
}

function signOut() {
  leaveForced();
  resetLogin();
  $("login-notice").hidden = true;
  $("login-account").focus();
}

/**
 * After any change on the server: a session the server ended (the owner required 2FA or
 * reset this user's) shows the password step with the reason; a live one is redrawn.
 */
function refreshSession() {
  if ($("login-done").hidden) return;
  if (renderSession()) return;
  const reason = server.sessionEnded() ?? "You were signed out.";
  resetLogin();
  $("login-notice").textContent = reason;
  $("login-notice").hidden = false;
}

// --- 3. Security settings -------------------------------------------------------------

function settingsStatus(text) {
  $("settings-status").textContent = text;
  $("settings-status").hidden = !text;
}

export function renderSettings() {
  const sec = server.security();
  $("settings-out").hidden = Boolean(sec);
  $("settings-in").hidden = !sec;
  if (!sec) return;
  $("settings-who").textContent = `Signed in as ${sec.account}.`;
  $("settings-off").hidden = sec.on;
  $("settings-twofa").hidden = !sec.on;
  if (!sec.on) return;
  $("settings-app-text").textContent = `Two-factor authentication is on since ${formatDate(sec.enabledAt)}.`;
  if (!sec.changingApp) $("settings-app").hidden = true;
  $("settings-app-change").hidden = !$("settings-app").hidden;
  $("settings-backup-left").textContent = `${sec.backupLeft} of 10 backup codes left.`;
  $("settings-sms-on").hidden = !sec.sms;
  $("settings-sms").hidden = Boolean(sec.sms);
  $("settings-sms-number").textContent = sec.sms ?? "";
  const has = [
    sec.alternative && `Your alternative e-mail address is ${sec.alternative}.`,
    sec.questions && `Your security questions: “${sec.questions.join("” and “")}”.`,
  ].filter(Boolean);
  $("settings-alt-text").textContent = has.length === 0
    ? "You have no alternative method yet. Enter a current code from your app and an address to add one."
    : sec.alternative && !sec.questions
      ? `${has[0]} To change it, enter a current code from your app and the new address.`
      : `${has.join(" ")} To change them, enter a current code from your app.`;
  $("settings-disable-required").hidden = !sec.required;
  $("settings-disable-form").hidden = sec.required;
  renderDevices(sec.account);
}

function renderDevices(account) {
  const devices = server.trustedDevices(account);
  const policy = server.policy();
  $("settings-devices-text").textContent = policy.trustDays
    ? `These browsers skip the code for ${policy.trustDays} days after you tick “Do not ask again”.`
    : "The site asks for a code on every sign-in: no device is trusted.";
  $("settings-devices").replaceChildren(
    ...(devices.length
      ? devices.map((d) =>
        el("li", { class: "device-row" },
          el("div", {}, el("strong", {}, d.label), d.current ? el("span", { class: "badge" }, "this device") : null,
            el("div", { class: "muted" }, `Added ${formatDate(d.issuedAt)} · trusted until ${formatDate(d.expiresAt)}`)),
          el("button", {
            type: "button", class: "small ghost", "aria-label": `Remove ${d.label}, added ${formatDate(d.issuedAt)}`,
            onclick: () => {
              server.removeDevice(d.deviceId);
              settingsStatus(`Removed ${d.label}${d.current ? " (this device): the next sign-in here asks for a code" : ""}.`);
              $("settings-devices-title").focus();
            },
          }, "Remove")))
      : [el("li", { class: "muted" }, "None.")]),
  );
}

/** A settings form's refusal, under the field the server names. */
function settingsError(result, fields) {
  if (result.restart) return renderSettings();
  fieldError(fields[result.field] ?? Object.values(fields)[0], explain(result));
}

function startChangeApp() {
  clearErrors($("settings-app"));
  const result = server.startChangeApp();
  if (!result.ok) return renderSettings();
  $("settings-app-qr").innerHTML = qrSvg(result.uri, { ecc: "M" });
  $("settings-app-qr").setAttribute("aria-label", `QR code of the new key for ${result.account} at ${result.issuer}`);
  $("settings-app-key").textContent = result.grouped;
  $("settings-app-code").value = "";
  setStatus("settings-app-phone-status", "");
  settingsStatus("");
  $("settings-app").hidden = false;
  $("settings-app-change").hidden = true;
  $("settings-app-code").focus();
}

function confirmChangeApp(event) {
  event.preventDefault();
  clearErrors($("settings-app"));
  const result = server.confirmChangeApp($("settings-app-code").value);
  if (!result.ok) return settingsError(result, { code: "settings-app-code" });
  $("settings-app").hidden = true;
  renderSettings();
  settingsStatus("Your new authenticator app is confirmed. The old app's codes no longer work.");
  $("settings-title").focus();
}

function regenerateBackup(event) {
  event.preventDefault();
  clearErrors($("settings-backup"));
  const result = server.regenerateBackup($("settings-backup-current").value);
  if (!result.ok) return settingsError(result, { current: "settings-backup-current" });
  $("settings-backup-current").value = "";
  renderBackup($("settings-backup-codes"), result.codes, result);
  $("settings-backup-codes").prepend(el("p", { class: "banner", id: "settings-backup-new", tabindex: "-1" }, "New backup codes: the old set no longer works. These are shown only this once."));
  $("settings-backup-codes").hidden = false;
  $("settings-backup-new").focus();
}

/** "View your backup codes", after a current code: the unused ones, never the spent ones. */
function viewBackup() {
  clearErrors($("settings-backup"));
  const result = server.viewBackup($("settings-backup-current").value);
  if (!result.ok) return settingsError(result, { current: "settings-backup-current" });
  $("settings-backup-current").value = "";
  renderBackup($("settings-backup-codes"), result.codes, result);
  $("settings-backup-codes").prepend(el("p", { class: "banner", id: "settings-backup-shown", tabindex: "-1" },
    `Your ${result.codes.length} unused backup code${result.codes.length === 1 ? "" : "s"}: each works once. Codes you have used are not shown.`));
  $("settings-backup-codes").hidden = false;
  $("settings-backup-shown").focus();
}

function sendSettingsText() {
  clearErrors($("settings-sms"));
  const result = server.startText($("settings-sms-phone").value);
  if (!result.ok) return settingsError(result, { phone: "settings-sms-phone" });
  setStatus("settings-sms-status", `We sent a code to ${result.to}. It works for 10 minutes.`, "ok");
  $("settings-sms-code").focus();
}

function confirmSettingsText(event) {
  event.preventDefault();
  clearErrors($("settings-sms"));
  const result = server.confirmText($("settings-sms-code").value);
  if (!result.ok) return settingsError(result, { code: "settings-sms-code" });
  $("settings-sms").reset();
  setStatus("settings-sms-status", "");
  settingsStatus(`Text messages are set up: at sign-in, codes can go to ${result.to}.`);
  $("settings-title").focus();
}

function sendSettingsAlternative() {
  clearErrors($("settings-alt"));
  const result = server.startAlternative({ code: $("settings-alt-current").value, address: value("settings-alt-address") });
  if (!result.ok) return settingsError(result, { current: "settings-alt-current", address: "settings-alt-address", code: "settings-alt-current" });
  $("settings-alt-current").value = "";
  setStatus("settings-alt-status", `We sent a code to ${result.to}. It works for 10 minutes.`, "ok");
  $("settings-alt-code").focus();
}

function confirmSettingsAlternative(event) {
  event.preventDefault();
  clearErrors($("settings-alt"));
  const result = server.confirmAlternative({ input: $("settings-alt-code").value });
  if (!result.ok) return settingsError(result, { code: "settings-alt-code" });
  $("settings-alt").reset();
  setStatus("settings-alt-status", "");
  settingsStatus(`Your alternative e-mail address is now ${result.to}.`);
  $("settings-title").focus();
}

function saveSettingsQuestions() {
  clearErrors($("settings-alt"));
  const result = server.setQuestions({ code: $("settings-alt-current").value, entries: readQuestions("settings-alt") });
  if (!result.ok) {
    if (result.restart) return renderSettings();
    return fieldError(questionField("settings-alt", result) ?? "settings-alt-current", explain(result));
  }
  $("settings-alt-current").value = "";
  resetQuestions("settings-alt");
  settingsStatus(`Your security questions are now “${result.questions.join("” and “")}”.`);
  $("settings-title").focus();
}

function turnOff(event) {
  event.preventDefault();
  clearErrors($("settings-disable"));
  const result = server.turnOff($("settings-disable-current").value);
  if (!result.ok) return settingsError(result, { current: "settings-disable-current" });
  $("settings-disable-current").value = "";
  settingsStatus("Two-factor authentication is off for your account.");
  $("settings-title").focus();
}

/** "Turn on 2FA" from the settings: the set-up form, for the signed-in account. */
function turnOn() {
  const sec = server.security();
  $("setup-start").reset();
  $("setup-account").value = sec.account;
  // The server knows who is signed in: no password to type for one's own account.
  $("setup-password").closest(".field").hidden = true;
  selectTab("setup");
  showStep("setup-start", { focus: false });
  $("setup-issuer").focus();
}

// --- Mail and text messages -------------------------------------------------------------

export function renderInbox() {
  const inbox = mails();
  $("inbox-empty").hidden = inbox.length > 0;
  $("jump-inbox-count").textContent = inbox.length ? `(${inbox.length})` : "";
  $("inbox-messages").replaceChildren(
    ...inbox.map((m) =>
      el("li", { class: "message" }, el("div", { class: "message-head" }, el("strong", {}, m.subject), el("time", { class: "muted" }, formatTime(m.at))),
        el("div", { class: "muted" }, `To: ${m.to}`), el("p", {}, m.body),
        m.link ? el("p", {}, el("a", { href: m.link.href }, m.link.text)) : null),
    ),
  );
  const sms = texts();
  $("phone-messages-empty").hidden = sms.length > 0;
  $("phone-messages").replaceChildren(
    ...sms.map((m) =>
      el("li", { class: "message" }, el("div", { class: "message-head" }, el("strong", {}, `To ${m.to}`), el("time", { class: "muted" }, formatTime(m.at))),
        el("p", {}, m.body)),
    ),
  );
}

// --- 4. Account owner -----------------------------------------------------------------

function renderOwner() {
  const policy = server.policy();
  for (const [name, v] of [["owner-twofa", policy.twofa], ["owner-notsetup", policy.notSetUp], ["owner-trust", String(policy.trustDays)]]) {
    for (const radio of document.querySelectorAll(`input[name="${name}"]`)) radio.checked = radio.value === v;
  }
  const list = server.users();
  $("owner-empty").hidden = list.length > 0;
  $("owner-users").hidden = list.length === 0;
  $("owner-users").tBodies[0].replaceChildren(
    ...list.map((u) =>
      el("tr", {},
        el("th", { scope: "row" }, u.account),
        el("td", {}, u.totp ? el("span", { class: "pill on" }, "On") : el("span", { class: "pill" }, u.mustSetUp ? "Off (reset)" : "Off")),
        el("td", {}, u.totp ? String(server.backupLeft(u)) : "–"),
        el("td", {}, String(server.trustedDevices(u.account).length)),
        el("td", { class: "row-actions" },
          el("button", { type: "button", class: "small secondary", "aria-label": `Issue a recovery code for ${u.account}`, onclick: () => ownerRecovery(u.account) }, "Issue recovery code"),
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

function changePolicy(event) {
  const { name, value: v } = event.target;
  const patch = { "owner-twofa": { twofa: v }, "owner-notsetup": { notSetUp: v }, "owner-trust": { trustDays: Number(v) } }[name];
  if (!patch) return;
  const { signedOut } = server.setPolicy(patch);
  if (patch.twofa === "required") {
    ownerOutput(
      "Two-factor authentication is now required",
      el("p", { id: "owner-signed-out" }, signedOut.length
        ? `Signed out, each with a notice in their inbox: ${signedOut.join(", ")}.`
        : "Nobody was signed in without two-factor authentication."),
    );
    event.target.focus();
  }
}

function ownerRecovery(account) {
  const u = server.user(account);
  const { code, expiresAt } = server.ownerIssueRecovery(account);
  ownerOutput(
    `Recovery code for ${account}`,
    el("p", { class: "big-code" }, el("code", { id: "owner-recovery-code" }, code)),
    el("p", {}, `It works once, until ${formatTime(expiresAt)} (one hour). ${u.totp ? "" : "It lets this user set up 2FA where a recovery code is needed for that. "}Give it to the user over a channel you trust, after checking who they are.`),
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
    text: "Their authenticator app, backup codes, recovery codes, phone number, alternative address and trusted devices stop working, and they are signed out. At their next sign-in they set 2FA up again.",
    ok: "Reset 2FA",
  });
  if (!ok) return;
  server.ownerReset(account);
  ownerOutput(`2FA reset for ${account}`, el("p", {}, "Two-factor authentication is off for this account, all of its devices are untrusted, and it must set 2FA up again at its next sign-in."));
}

// --- Wiring ---------------------------------------------------------------------------

export function setUpFlows() {
  mountQuestions();
  resetQuestions("setup-alt");
  resetQuestions("settings-alt");
  $("setup-start").addEventListener("submit", startSetup);
  const showPassword = () => {
    $("setup-password").closest(".field").hidden = false;
  };
  $("setup-start").addEventListener("reset", showPassword);
  $("setup-account").addEventListener("input", showPassword);
  $("setup-scan").addEventListener("submit", confirmSetup);
  $("setup-phone").addEventListener("click", () => scanWithPhone("setup-qr", "setup-phone-status"));
  $("setup-manual-toggle").addEventListener("click", () => {
    const open = $("setup-manual").hidden;
    $("setup-manual").hidden = !open;
    $("setup-manual-toggle").setAttribute("aria-expanded", String(open));
    $("setup-manual-toggle").textContent = open ? "Hide the key" : "Enter your key manually";
  });
  $("setup-copy").addEventListener("click", () => copyText($("setup-key").textContent.replaceAll(" ", ""), "setup-copy-status"));
  $("setup-cancel").addEventListener("click", () => {
    server.cancelSetup(setup.pending);
    $("setup-start").reset();
    showStep("setup-start");
  });
  // Leaving a required set-up signs out: the account cannot open without 2FA.
  $("setup-cancel-signout").addEventListener("click", () => {
    server.cancelSetup(setup.pending);
    leaveForced();
    $("setup-start").reset();
    showStep("setup-start", { focus: false });
    resetLogin();
    selectTab("login");
    $("login-account").focus();
  });
  $("setup-continue").addEventListener("click", finishSetup);
  $("setup-alt-send").addEventListener("click", sendSetupAlternative);
  $("setup-alt").addEventListener("submit", (event) => {
    event.preventDefault();
    if (showAltPart("setup-alt") === "questions") saveSetupQuestions();
    else confirmSetupAlternative(event);
  });
  $("setup-alt").addEventListener("change", (event) => {
    if (event.target.name === "setup-alt-kind") showAltPart("setup-alt");
  });
  liveShape("setup-code");

  $("login-password").addEventListener("submit", checkPassword);
  $("login-totp").addEventListener("submit", submitSecond("totp", "login-code", server.verifyTotp));
  $("login-sms").addEventListener("submit", submitSecond("sms", "login-sms-code", server.verifyText));
  $("login-backup").addEventListener("submit", submitSecond("backup", "login-backup-code", server.verifyBackup));
  $("login-recovery").addEventListener("submit", submitSecond("recovery", "login-recovery-code", server.verifyRecovery));
  const verifyEmail = submitSecond("alt", "login-alt-code", server.verifyAlternativeCode);
  $("login-alt").addEventListener("submit", (event) => {
    if (document.querySelector('input[name="login-alt-kind"]:checked')?.value === "questions") return submitAnswers(event);
    verifyEmail(event);
  });
  $("login-sms-send").addEventListener("click", sendCode(server.sendSignInText, "login-sms-status", "login-sms-code"));
  $("login-alt-send").addEventListener("click", sendCode(server.sendAlternativeCode, "login-alt-status", "login-alt-code"));
  $("login-gate").addEventListener("submit", submitGate);
  $("login-reset-send").addEventListener("click", sendResetLink);
  $("login-reset-form").addEventListener("submit", confirmResetLink);
  $("login-reset-phone").addEventListener("click", () => scanWithPhone("login-reset-qr", "login-reset-phone-status"));
  $("login-reset-back").addEventListener("click", () => {
    Object.assign(reset, { account: null, token: null });
    resetLogin();
    $("login-account").focus();
  });
  window.addEventListener("hashchange", openLinkFromHash);
  for (const link of document.querySelectorAll("[data-method]")) link.addEventListener("click", () => chooseMethod(link.dataset.method));
  for (const id of ["login-cancel", "login-gate-cancel"]) {
    $(id).addEventListener("click", () => {
      resetLogin();
      $("login-account").focus();
    });
  }
  $("login-signout").addEventListener("click", signOut);
  $("login-settings").addEventListener("click", () => {
    selectTab("settings");
    $("settings-title").focus();
  });
  liveShape("login-code");

  $("settings-signin").addEventListener("click", () => {
    selectTab("login");
    $("login-account").focus();
  });
  $("settings-turn-on").addEventListener("click", turnOn);
  $("settings-app-change").addEventListener("click", startChangeApp);
  $("settings-app").addEventListener("submit", confirmChangeApp);
  $("settings-app-phone").addEventListener("click", () => scanWithPhone("settings-app-qr", "settings-app-phone-status"));
  $("settings-app-cancel").addEventListener("click", () => {
    server.cancelChangeApp();
    $("settings-app").hidden = true;
    renderSettings();
    $("settings-app-change").focus();
  });
  $("settings-backup").addEventListener("submit", regenerateBackup);
  $("settings-backup-view").addEventListener("click", viewBackup);
  $("settings-sms-send").addEventListener("click", sendSettingsText);
  $("settings-sms").addEventListener("submit", confirmSettingsText);
  $("settings-sms-remove").addEventListener("click", () => {
    server.removeText();
    settingsStatus("The phone number is removed: no more codes by text message.");
    $("settings-title").focus();
  });
  $("settings-alt-send").addEventListener("click", sendSettingsAlternative);
  $("settings-alt").addEventListener("submit", (event) => {
    event.preventDefault();
    if (showAltPart("settings-alt") === "questions") saveSettingsQuestions();
    else confirmSettingsAlternative(event);
  });
  $("settings-alt").addEventListener("change", (event) => {
    if (event.target.name === "settings-alt-kind") showAltPart("settings-alt");
  });
  $("settings-disable").addEventListener("submit", turnOff);

  $("owner-policy").addEventListener("change", changePolicy);
  server.onChange(renderOwner);
  server.onChange(refreshSession);
  server.onChange(renderSettings);
  onDelivery(renderInbox);
  renderOwner();
  renderInbox();
  renderSettings();

  // A session from before a reload stays signed in: the server's record says so.
  if (renderSession()) showStep("login-done", { focus: false });
}
