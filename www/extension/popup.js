// The popup: the accounts with live codes, adding, editing, and the lock.
// Every code, URI and QR decode comes from twofa; nothing here is crypto.
import { MAX_COUNTER, generatorOf, isMigration, nameOf } from "./shared/accounts.js";
import { $, applyTheme, clearErrors, confirmDialog, el, fieldError, sentence, write } from "./shared/dom.js";
import { decode } from "./shared/qr.js";
import { buildUri, parseUri } from "./shared/twofa/twofa.js";
import { merge, rewrite, summary, urisFrom } from "./lib/accounts.js";
import { applicable, clock, KEY as CLOCK, loadClock, readClock, writeClock } from "./lib/clock.js";
import { checkClock, hasPermission, isOff, stale, warning } from "./lib/clock-check.js";
import { localize, t } from "./lib/i18n.js";
import { captureTab } from "./lib/pictures.js";
import * as store from "./lib/store.js";
import { say } from "./lib/ui.js";

let accounts = [];
let encrypted = false;
/** Live generators for the shown rows, freed on every render. */
let rows = [];
/** The id of the account being edited: ids, not places, survive a reorder. */
let editing = null;
let idleTimer;
let autoLockMinutes = store.DEFAULTS.autoLockMinutes;

/** Shows a view; `focus` (an element) overrides where focus goes. */
function show(view, focus) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  const target = focus ?? $({ locked: "unlock-passphrase", main: "search", add: "scan", edit: "e-issuer", error: "error-options" }[view]);
  target?.focus();
}

/** The row of account `id` (its Edit button), or the search field when it is gone. */
const rowFocus = (id) => $("accounts").querySelector(`li[data-index="${indexOf(id)}"] .row-actions button:last-child`) ?? $("search");

async function start() {
  const s = await store.settings();
  applyTheme(s.theme);
  autoLockMinutes = s.autoLockMinutes;
  let state;
  try {
    state = await store.status();
  } catch (err) {
    // Data this version cannot read: said plainly, never overwritten.
    $("error-text").textContent = sentence(err.message);
    return show("error");
  }
  encrypted = state.encrypted;
  if (state.locked) return show("locked");
  accounts = state.accounts;
  render();
  show("main");
  activity();
}

// --- The lock ---------------------------------------------------------------------------

/** Counts activity for the auto-lock, which also runs while the popup is open. */
function activity() {
  clearTimeout(idleTimer);
  if (!encrypted || autoLockMinutes <= 0) return;
  idleTimer = setTimeout(lockNow, autoLockMinutes * 60_000);
  store.touch();
}

async function lockNow() {
  await store.lock();
  accounts = [];
  render();
  $("unlock-passphrase").value = "";
  show("locked");
}

$("unlock-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("unlock-form"));
  const passphrase = $("unlock-passphrase").value;
  if (!passphrase) return fieldError("unlock-passphrase", "Enter your passphrase.");
  try {
    await store.unlock(passphrase);
  } catch (err) {
    $("unlock-passphrase").select();
    return fieldError("unlock-passphrase", err.code === "WRONG_PASSPHRASE" ? "Wrong passphrase. Try again." : sentence(err.message));
  }
  $("unlock-passphrase").value = "";
  await start();
});

$("lock").addEventListener("click", lockNow);

// --- The list ---------------------------------------------------------------------------

/**
 * Changes the stored accounts with `change(list)`, under the store's lock, then shows the
 * result. A vault locked meanwhile (elsewhere, or by the auto-lock) shows the unlock form
 * and changes nothing.
 */
async function change(f) {
  try {
    const { accounts: now, result } = await store.update(f);
    accounts = now;
    render();
    activity();
    return result;
  } catch (err) {
    if (err.code !== "LOCKED") throw err;
    await lockNow();
    say("The vault locked. Unlock it and try again.");
    return undefined;
  }
}

const indexOf = (id) => accounts.findIndex((a) => a.id === id);

function render() {
  for (const r of rows) r.generator.free();
  rows = [];
  $("lock").hidden = !encrypted;
  $("plain-warning").hidden = encrypted;
  const query = $("search").value.trim().toLowerCase();
  const list = $("accounts");
  list.replaceChildren();
  accounts.forEach((entry, index) => {
    let parsed;
    let generator;
    try {
      ({ parsed, generator } = generatorOf(entry.uri));
    } catch {
      return;
    }
    const name = nameOf(parsed);
    if (query && !name.toLowerCase().includes(query)) {
      generator.free();
      return;
    }
    const code = el("button", { type: "button", class: "code", "data-name": name });
    const seconds = el("span", { class: "seconds", "aria-hidden": "true" });
    const bar = parsed.type === "totp" ? el("span", { class: "countdown", "aria-hidden": "true" }, el("span", { class: "fill" })) : null;
    const item = el("li", { class: "account", draggable: "true", "data-index": String(index) },
      el("div", { class: "who" },
        el("span", { class: "issuer" }, parsed.issuer || parsed.account || "Unnamed"),
        parsed.issuer ? el("span", { class: "name" }, parsed.account) : null),
      el("div", { class: "now" }, code, seconds),
      bar,
      el("div", { class: "row-actions" },
        parsed.type === "hotp" ? el("button", { type: "button", class: "small", "aria-label": `Next code for ${name}`, onclick: () => nextCode(entry.id) }, "Next code") : null,
        el("button", { type: "button", class: "small ghost", "aria-label": `Edit ${name}`, onclick: () => openEdit(entry.id) }, "Edit")));
    code.addEventListener("click", () => copy(code.dataset.code, name));
    item.addEventListener("dragstart", (e) => {
      e.dataTransfer.setData("text/x-twofa-index", String(index));
      e.dataTransfer.effectAllowed = "move";
      item.classList.add("dragging");
    });
    item.addEventListener("dragend", () => item.classList.remove("dragging"));
    // Only a row of this list moves: a dropped link or text does nothing.
    const ours = (e) => e.dataTransfer.types.includes("text/x-twofa-index");
    item.addEventListener("dragover", (e) => ours(e) && e.preventDefault());
    item.addEventListener("drop", (e) => {
      if (!ours(e)) return;
      e.preventDefault();
      const from = accounts[Number(e.dataTransfer.getData("text/x-twofa-index"))]?.id;
      if (from && from !== entry.id) move(from, entry.id);
    });
    list.append(item);
    rows.push({ parsed, generator, code, seconds, bar, entry });
  });
  $("empty").hidden = accounts.length > 0;
  $("no-match").hidden = !(accounts.length > 0 && rows.length === 0);
  showClock();
  tick();
}

function tick() {
  // The corrected time when the user applies a clock check's offset (lib/clock.js).
  const now = clock.now();
  for (const { parsed, generator, code, seconds, bar } of rows) {
    try {
      const value = parsed.type === "hotp" ? generator.generate() : generator.generate(now);
      if (code.dataset.code !== value) {
        code.dataset.code = value;
        code.textContent = value.length === 6 ? `${value.slice(0, 3)} ${value.slice(3)}` : value;
        // The name carries the code, so a screen reader reads it with the account.
        code.setAttribute("aria-label", `${code.textContent}: copy the code for ${code.dataset.name}`);
      }
      write(seconds, parsed.type === "hotp" ? `#${generator.counter}` : `${Math.ceil(generator.remaining(now) / 1000)}s`);
      // The countdown as a bar that empties over the period.
      if (bar) bar.firstChild.style.width = `${(generator.remaining(now) / (generator.period * 1000)) * 100}%`;
    } catch (err) {
      code.textContent = "––––––";
      seconds.textContent = err.message;
    }
  }
}

async function copy(code, name) {
  try {
    await navigator.clipboard.writeText(code);
    say(`Copied the code for ${name}.`);
  } catch {
    say("The browser did not allow copying.");
  }
  activity();
}

/** Moves account `id` to where account `to` is. Returns its new place, or -1. */
function move(id, to) {
  return change((list) => {
    const from = list.findIndex((a) => a.id === id);
    const at = list.findIndex((a) => a.id === to);
    if (from < 0 || at < 0) return -1;
    const [item] = list.splice(from, 1);
    list.splice(at, 0, item);
    return at;
  });
}

async function nextCode(id) {
  if (BigInt(parseUri(accounts[indexOf(id)].uri).counter) >= MAX_COUNTER) {
    return say("This account's counter is at its end (2^64 − 1): it has no next code.");
  }
  await change((list) => {
    const entry = list.find((a) => a.id === id);
    const counter = BigInt(parseUri(entry.uri).counter);
    if (counter >= MAX_COUNTER) return;
    entry.uri = rewrite(entry.uri, { counter: counter + 1n });
  });
  $("accounts").querySelector(`li[data-index="${indexOf(id)}"] .code`)?.focus();
}

$("search").addEventListener("input", render);

// --- Adding -----------------------------------------------------------------------------

async function addUris(uris, skipped = []) {
  const added = await change((list) => merge(list, uris));
  if (added === undefined) return;
  show("main");
  const extra = skipped.length ? ` Not everything came in: ${summary(skipped)}.` : "";
  // What twofa accepted but warns about, such as a secret under 128 bits.
  const notes = [...new Set(uris.flatMap((u) => parseUri(u).warnings.map((w) => sentence(w.message))))];
  const note = notes.length ? ` Note: ${notes.join(" ")}` : "";
  say(added ? `Added ${added} account${added === 1 ? "" : "s"}.${extra}${note}` : `Already added.${extra}`);
}

$("scan").addEventListener("click", async () => {
  clearErrors($("view-add"));
  $("scan").disabled = true;
  $("scan").textContent = "Scanning…";
  try {
    const texts = await decode(await captureTab());
    const { uris, skipped } = urisFrom(texts);
    if (uris.length === 0) throw new Error(texts.length ? (skipped[0] ?? "the QR code on this page is not a 2FA code") : "no QR code is visible on this page");
    await addUris(uris, skipped);
  } catch (err) {
    fieldError("scan", sentence(err.message), { focus: false });
  } finally {
    $("scan").disabled = false;
    $("scan").textContent = "Scan QR code on this page";
  }
});

$("uri-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("uri-form"));
  const text = $("uri").value.trim();
  try {
    if (!text) throw new Error("paste a URI that starts with otpauth://");
    const { uris, skipped } = isMigration(text) ? urisFrom([text]) : { uris: [buildUri(parseUri(text))], skipped: [] };
    $("uri").value = "";
    await addUris(uris, skipped);
  } catch (err) {
    fieldError("uri", sentence(err.message));
  }
});

$("manual-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("manual-form"));
  const type = $("m-type").value;
  const issuer = $("m-issuer").value.trim();
  const account = $("m-account").value.trim();
  const secret = $("m-secret").value;
  if (!secret.trim()) return fieldError("m-secret", "Enter the key the site shows.");
  if (!issuer && !account) return fieldError("m-issuer", "Enter an issuer or an account name.");
  let uri;
  try {
    uri = buildUri({
      type: type === "hotp" ? "hotp" : "totp",
      secret,
      issuer: issuer || undefined,
      account,
      algorithm: $("m-algorithm").value,
      ...(type === "steam" ? { encoder: "steam" } : { digits: Number($("m-digits").value) }),
      ...(type === "hotp" ? { counter: counterOf($("m-counter").value) } : { period: Number($("m-period").value) }),
    });
  } catch (err) {
    const field = { INVALID_BASE32: "m-secret", SECRET_LENGTH: "m-secret", INVALID_PERIOD: "m-period", INVALID_COUNTER: "m-counter", INVALID_LABEL: "m-issuer" }[err.code] ?? "m-secret";
    if (field === "m-period" || field === "m-counter") $("manual-form").querySelector("details").open = true;
    return fieldError(field, sentence(err.message));
  }
  $("manual-form").reset();
  await addUris([uri]);
});

/** A typed counter: a bigint past 2^53, so every 64-bit counter is kept exactly. */
function counterOf(text) {
  const t = text.trim() || "0";
  return /^\d{1,20}$/.test(t) ? BigInt(t) : Number.NaN;
}

// --- Editing ----------------------------------------------------------------------------

function editButtons() {
  const index = indexOf(editing);
  $("e-up").disabled = index <= 0;
  $("e-down").disabled = index < 0 || index === accounts.length - 1;
}

function openEdit(id) {
  editing = id;
  const parsed = parseUri(accounts[indexOf(id)].uri);
  clearErrors($("view-edit"));
  $("e-issuer").value = parsed.issuer ?? "";
  $("e-account").value = parsed.account;
  editButtons();
  show("edit");
}

$("view-edit").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("view-edit"));
  const issuer = $("e-issuer").value.trim();
  if (!issuer && !$("e-account").value.trim()) return fieldError("e-issuer", "Enter an issuer or an account name.");
  let uri;
  try {
    uri = rewrite(accounts[indexOf(editing)].uri, { issuer: issuer || undefined, account: $("e-account").value.trim() });
  } catch (err) {
    return fieldError("e-issuer", sentence(err.message));
  }
  const saved = await change((list) => {
    const entry = list.find((a) => a.id === editing);
    if (entry) entry.uri = uri;
    return Boolean(entry);
  });
  if (!saved) return;
  show("main", rowFocus(editing));
  say("Saved.");
});

for (const [button, step] of [["e-up", -1], ["e-down", 1]]) {
  $(button).addEventListener("click", async () => {
    const to = accounts[indexOf(editing) + step]?.id;
    if (!to) return;
    $("e-up").disabled = $("e-down").disabled = true; // one move at a time
    const at = await move(editing, to);
    editButtons();
    $(button).disabled ? $("e-issuer").focus() : $(button).focus();
    if (at >= 0) say(`Moved to place ${at + 1} of ${accounts.length}.`);
  });
}

$("e-delete").addEventListener("click", async () => {
  const name = nameOf(parseUri(accounts[indexOf(editing)].uri));
  const ok = await confirmDialog({
    title: `Delete ${name}?`,
    text: "Its codes will be gone from this browser. Make sure you can still sign in to the site another way.",
    ok: "Delete",
    danger: true,
  });
  if (!ok) return;
  const place = indexOf(editing);
  const gone = await change((list) => {
    const at = list.findIndex((a) => a.id === editing);
    if (at >= 0) list.splice(at, 1);
    return at >= 0;
  });
  if (!gone) return;
  // Focus goes to the row that took the deleted one's place.
  show("main", $("accounts").querySelectorAll(".row-actions button:last-child")[Math.min(place, accounts.length - 1)] ?? $("search"));
  say(`Deleted ${name}.`);
});

// --- The clock --------------------------------------------------------------------------

/** The last clock check (lib/clock.js's record), or undefined. */
let clockCheck;

/** The shortest period of the time-based accounts, in seconds, or undefined when none is. */
function shortestPeriod() {
  let shortest;
  for (const entry of accounts) {
    try {
      const parsed = parseUri(entry.uri);
      if (parsed.type !== "hotp") shortest = Math.min(shortest ?? Infinity, parsed.period);
    } catch {
      // An unreadable account makes no codes, so its period does not count.
    }
  }
  return shortest;
}

/**
 * The banner: shown when the last check says the clock is off by more than the shortest
 * period's codes allow, with a button that applies the measured offset to the codes, or
 * stops applying it.
 */
function showClock() {
  const period = shortestPeriod();
  const off = clockCheck !== undefined && period !== undefined && isOff(clockCheck, period);
  $("clock-banner").hidden = !off;
  if (!off) return;
  // From the record itself, as lib/clock.js applies it: this listener may run before its.
  const applied = clockCheck.apply === true && applicable(clockCheck);
  write($("clock-text"), warning(clockCheck, applied));
  $("clock-apply").hidden = !applicable(clockCheck);
  write($("clock-apply"), t(applied ? "clockStop" : "clockApply"));
}

$("clock-apply").addEventListener("click", async () => {
  const record = await readClock();
  if (!record) return;
  clockCheck = { ...record, apply: record.apply !== true };
  await writeClock(clockCheck);
  showClock();
  tick();
});

/** Checks again in the background when the last check is old, its site set and its permission held. */
async function recheckClock() {
  if (!clockCheck?.site || !stale(clockCheck) || !(await hasPermission(clockCheck.site))) return;
  // A failed re-check (offline, say) keeps the last result: it is said where the check is made.
  await checkClock(clockCheck.site).catch(() => undefined);
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !(CLOCK in changes)) return;
  clockCheck = changes[CLOCK].newValue;
  showClock();
  tick();
});

// --- Navigation -------------------------------------------------------------------------

$("open-add").addEventListener("click", () => show("add"));
for (const b of document.querySelectorAll("[data-back]")) b.addEventListener("click", () => show("main"));
$("open-options").addEventListener("click", () => chrome.runtime.openOptionsPage());
$("error-options").addEventListener("click", () => chrome.runtime.openOptionsPage());
$("set-passphrase").addEventListener("click", () => chrome.tabs.create({ url: chrome.runtime.getURL("options.html#security") }));
$("open-import").addEventListener("click", () => chrome.tabs.create({ url: chrome.runtime.getURL("options.html#import") }));
// Escape leaves Add and Edit (a dialog handles its own Escape).
document.addEventListener("keydown", (e) => {
  const inner = !$("view-add").hidden || !$("view-edit").hidden;
  if (e.key === "Escape" && inner && !document.querySelector("dialog[open]")) {
    e.preventDefault();
    show("main", !$("view-edit").hidden ? rowFocus(editing) : $("open-add"));
  }
});
document.addEventListener("pointerdown", activity);
document.addEventListener("keydown", activity);

// Another page (the options page, another popup) or the auto-lock changed the store: follow it.
chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area === "session" && "unlocked" in changes && !changes.unlocked.newValue && encrypted && $("view-locked").hidden) {
    await lockNow();
    return;
  }
  if (area !== "local" || !("twofa" in changes) || !$("view-locked").hidden) return;
  const state = await store.status().catch(() => null);
  if (!state) return start();
  const wasEncrypted = encrypted;
  encrypted = state.encrypted;
  if (state.locked) return lockNow();
  // A passphrase set or removed elsewhere changes the warning and the Lock button too.
  if (wasEncrypted !== encrypted || JSON.stringify(state.accounts) !== JSON.stringify(accounts)) {
    accounts = state.accounts;
    render();
  }
});

localize($("clock-banner"));
await loadClock();
clockCheck = await readClock();
await start();
recheckClock();
setInterval(tick, 250);
document.body.dataset.ready = "true";
