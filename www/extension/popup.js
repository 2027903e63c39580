// The popup: the accounts with live codes, adding, editing, and the lock.
// Every code, URI and QR decode comes from twofa; nothing here is crypto.
import { MAX_COUNTER, generatorOf, isMigration, nameOf } from "./shared/accounts.js";
import { $, applyTheme, clearErrors, confirmDialog, el, fieldError, sentence, write } from "./shared/dom.js";
import { decode } from "./shared/qr.js";
import { buildUri, parseUri } from "./shared/twofa/twofa.js";
import { merge, rewrite, summary, takeAdded, urisFrom } from "./lib/accounts.js";
import { clearLater } from "./lib/clipboard.js";
import { applicable, clock, KEY as CLOCK, loadClock, readClock, writeClock } from "./lib/clock.js";
import { checkClock, hasPermission, isOff, stale, warning } from "./lib/clock-check.js";
import { fillTab } from "./lib/fill.js";
import { failure, plural, t } from "./lib/i18n.js";
import { captureTab } from "./lib/pictures.js";
import { passphraseError, reauthenticate } from "./lib/reauth.js";
import { MAX_SITES, activeTab, guessSite, matchesEntry, siteOf, sitesOf } from "./lib/sites.js";
import * as store from "./lib/store.js";
import { say, told } from "./lib/ui.js";

let accounts = [];
let encrypted = false;
/** Live generators for the shown rows, freed on every render. */
let rows = [];
/** The id of the account being edited: ids, not places, survive a reorder. */
let editing = null;
/**
 * The accounts just added. New accounts go at the end, keeping the order the user made;
 * their rows are marked and the first is scrolled into view, so the user sees where they went.
 */
let fresh = new Set();
let idleTimer;
let autoLockMinutes = store.DEFAULTS.autoLockMinutes;
/** The tab the popup works on (`{ id, url, host }`): its accounts are listed first. */
let page = null;

/** Shows a view; `focus` (an element) overrides where focus goes. */
function show(view, focus) {
  // An account's QR code is shown only in its Edit view: leaving it (or a lock) removes it.
  if (view !== "edit") hideQr();
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  const target = focus ?? $({ locked: "unlock-passphrase", main: "search", add: "scan", edit: "e-issuer", error: "error-options" }[view]);
  target?.focus();
}

/** The row of account `id` (its Edit button), or the search field when it is gone. */
const rowFocus = (id) => $("accounts").querySelector(`li[data-index="${indexOf(id)}"] .row-actions button:last-child`) ?? $("search");

async function start() {
  // The tab's site orders the list; a page the extension may not see has none.
  page = await activeTab().catch(() => null);
  if (page?.id !== undefined) clearFillBadge(page.id);
  const s = await store.settings();
  applyTheme(s.theme);
  autoLockMinutes = s.autoLockMinutes;
  let state;
  try {
    state = await store.status();
  } catch (err) {
    // Data this version cannot read: said plainly, never overwritten.
    $("error-text").textContent = told(err);
    return show("error");
  }
  encrypted = state.encrypted;
  if (state.locked) return show("locked");
  accounts = state.accounts;
  // Accounts an import added while the popup was closed are marked, as ones added here are.
  const imported = await takeAdded();
  if (imported.length) fresh = new Set(imported);
  render();
  show("main");
  if (imported.length) $("accounts").querySelector(".account.new")?.scrollIntoView({ block: "nearest" });
  activity();
}

// --- The lock ---------------------------------------------------------------------------

/** Counts activity for the auto-lock, which also runs while the popup is open. */
function activity() {
  clearTimeout(idleTimer);
  if (!encrypted || autoLockMinutes <= 0) return;
  idleTimer = setTimeout(lockNow, autoLockMinutes * 60_000);
  // Written at most every 5 s: each write wakes the background to move its alarm, and the
  // auto-lock counts in minutes.
  if (Date.now() - lastTouch < 5000) return;
  lastTouch = Date.now();
  store.touch();
}
let lastTouch = 0;

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
  if (!passphrase) return fieldError("unlock-passphrase", t("popupEnterPassphrase"));
  try {
    await store.unlock(passphrase);
  } catch (err) {
    $("unlock-passphrase").select();
    return fieldError("unlock-passphrase", passphraseError(err));
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
    say(t("popupVaultLocked"));
    return undefined;
  }
}

const indexOf = (id) => accounts.findIndex((a) => a.id === id);

/**
 * Whether two lists hold the same accounts in the same order. Field by field: the browser
 * hands stored objects back with their keys sorted, so their JSON differs from a list
 * built here with the same accounts.
 */
const sameAccounts = (a, b) =>
  a.length === b.length && a.every((x, i) => x.id === b[i].id && x.uri === b[i].uri && String(x.sites ?? "") === String(b[i].sites ?? ""));

function render() {
  for (const r of rows) r.generator.free();
  rows = [];
  $("lock").hidden = !encrypted;
  $("plain-warning").hidden = encrypted;
  const query = $("search").value.trim().toLowerCase();
  const list = $("accounts");
  list.replaceChildren();
  // The current site's accounts first, each group in the user's order; `index` stays the
  // place in the stored list, which moves and drops use.
  const here = (entry) => matchesEntry(entry, page?.host);
  const order = accounts.map((entry, index) => ({ entry, index }));
  [...order.filter(({ entry }) => here(entry)), ...order.filter(({ entry }) => !here(entry))].forEach(({ entry, index }) => {
    let parsed;
    let generator;
    try {
      ({ parsed, generator } = generatorOf(entry.uri));
    } catch {
      return;
    }
    const name = nameOf(parsed, t("commonUnnamedAccountLabel"));
    if (query && !name.toLowerCase().includes(query)) {
      generator.free();
      return;
    }
    const code = el("button", { type: "button", class: "code", "data-name": name });
    const seconds = el("span", { class: "seconds", "aria-hidden": "true" });
    const bar = parsed.type === "totp" ? el("span", { class: "countdown", "aria-hidden": "true" }, el("span", { class: "fill" })) : null;
    const item = el("li", { class: fresh.has(entry.id) ? "account new" : "account", draggable: "true", "data-index": String(index) },
      el("div", { class: "who" },
        el("span", { class: "issuer" }, parsed.issuer || parsed.account || t("popupUnnamedLabel")),
        parsed.issuer ? el("span", { class: "name" }, parsed.account) : null,
        here(entry) ? el("span", { class: "site-badge" }, t("fillThisSiteLabel")) : null),
      el("div", { class: "now" }, code, seconds),
      bar,
      el("div", { class: "row-actions" },
        el("button", { type: "button", class: "small", "aria-label": t("fillLabel", name), onclick: () => fill(entry.id) }, t("fillButton")),
        parsed.type === "hotp" ? el("button", { type: "button", class: "small", "aria-label": t("popupNextCodeLabel", name), onclick: () => nextCode(entry.id) }, t("popupNextCodeButton")) : null,
        el("button", { type: "button", class: "small ghost", "aria-label": t("popupEditLabel", name), onclick: () => openEdit(entry.id) }, t("popupEditButton"))));
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
        code.setAttribute("aria-label", t("popupCodeLabel", code.textContent, code.dataset.name));
      }
      write(seconds, parsed.type === "hotp" ? `#${generator.counter}` : t("popupSecondsLabel", Math.ceil(generator.remaining(now) / 1000)));
      // The countdown as a bar that empties over the period.
      if (bar) bar.firstChild.style.width = `${(generator.remaining(now) / (generator.period * 1000)) * 100}%`;
    } catch (err) {
      code.textContent = "––––––";
      seconds.textContent = sentence(err.message);
    }
  }
}

async function copy(code, name) {
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    say(t("popupCopyRefused"));
    activity();
    return;
  }
  // The background clears it in 30 s if it is still there (lib/clipboard.js).
  await clearLater(code);
  say(t("bgCopied", name));
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
    return say(t("popupCounterEnd"));
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

// --- Filling ----------------------------------------------------------------------------

/** Removes the badge and title the fill shortcut put on the tab's button when it could not fill. */
function clearFillBadge(tabId) {
  chrome.action.setBadgeText({ tabId, text: "" }).catch(() => {});
  chrome.action.setTitle({ tabId, title: t("extName") }).catch(() => {});
}

/**
 * Fills account `id`'s current code into the tab's code field. A page that is not one of
 * the account's sites asks first (the phishing guard), and may be remembered as one.
 */
async function fill(id) {
  activity();
  const entry = accounts[indexOf(id)];
  if (!entry) return;
  const parsed = parseUri(entry.uri);
  const name = nameOf(parsed);
  const tab = await activeTab().catch(() => null);
  if (!tab?.host) return say(t("fillNoPage"));
  if (!matchesEntry(entry, tab.host)) {
    const answer = await askToFill(parsed, sitesOf(entry), tab.host);
    if (!answer) return say(t("fillCancelled"));
    if (answer.remember) {
      const saved = await change((list) => {
        const e = list.find((a) => a.id === id);
        if (!e) return false;
        e.sites = [...new Set([...sitesOf(e), answer.remember])].slice(0, MAX_SITES);
        return true;
      });
      if (!saved) return;
    }
  }
  // The code is made now, after any question, so it is the one the site expects now.
  const { generator } = generatorOf(entry.uri);
  let code;
  try {
    code = parsed.type === "hotp" ? generator.generate() : generator.generate(clock.now());
  } finally {
    generator.free();
  }
  let result;
  try {
    result = await fillTab(tab.id, code, tab.host);
  } catch {
    return say(t("fillNotAllowed"));
  }
  say(result.moved ? t("fillPageChanged") : result.field ? t("fillDone", name) : t("fillNoField"));
}

/**
 * Asks whether to fill into `host`, which is not one of `sites`, naming both; with no
 * sites, a site guessed from the issuer is offered to remember. Resolves `null` when the
 * user cancels, else `{ remember }`: the site to add to the account, or null.
 */
function askToFill(parsed, sites, host) {
  const who = parsed.issuer || nameOf(parsed);
  const guess = sites.length ? null : guessSite(parsed.issuer, host);
  const remember = guess ?? host;
  $("fill-ask-text").textContent = sites.length
    ? t("fillAskMismatch", host, who, sites.join(", "))
    : guess ? t("fillAskGuess", host, who, guess) : t("fillAskNoSites", host, who);
  $("fill-remember-text").textContent = t("fillRemember", remember, who);
  // Never offered checked: remembering a site is the user's own choice, as a guess from
  // the name may still be wrong.
  $("fill-remember").checked = false;
  const dialog = $("fill-ask");
  dialog.returnValue = "";
  dialog.showModal();
  $("fill-cancel").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => {
    resolve(dialog.returnValue === "ok" ? { remember: $("fill-remember").checked ? remember : null } : null);
  }, { once: true }));
}

// --- Adding -----------------------------------------------------------------------------

async function addUris(uris, skipped = [], sites = []) {
  $("search").value = ""; // a search must not hide the new accounts
  const added = await change((list) => {
    const ids = [];
    const count = merge(list, uris, { sites, ids });
    fresh = new Set(ids); // before change() draws the list
    return count;
  });
  if (added === undefined) return;
  show("main");
  $("accounts").querySelector(".account.new")?.scrollIntoView({ block: "nearest" });
  const extra = skipped.length ? ` ${t("popupNotEverything")} ${summary(skipped)}` : "";
  // What twofa accepted but warns about, such as a secret under 128 bits.
  const notes = [...new Set(uris.flatMap((u) => parseUri(u).warnings.map((w) => sentence(w.message))))];
  const note = notes.length ? ` ${t("popupNote")} ${notes.join(" ")}` : "";
  say(added ? `${plural("popupAdded", added)}${extra}${note}` : `${t("popupAlreadyAdded")}${extra}`);
}

$("scan").addEventListener("click", async () => {
  clearErrors($("view-add"));
  $("scan").disabled = true;
  $("scan").textContent = t("popupScanningButton");
  try {
    // The scanned page's site becomes the new accounts' site ("www." dropped).
    const tab = await activeTab().catch(() => null);
    const site = siteOf(tab?.host?.replace(/^www\./, "") ?? "");
    const texts = await decode(await captureTab());
    const { uris, skipped } = urisFrom(texts);
    if (uris.length === 0) throw texts.length ? (skipped.length ? new Error(skipped[0]) : failure("popupScanNotTwofa")) : failure("popupScanNothing");
    await addUris(uris, skipped, site ? [site] : []);
  } catch (err) {
    fieldError("scan", told(err), { focus: false });
  } finally {
    $("scan").disabled = false;
    $("scan").textContent = t("popupScanButton");
  }
});

$("uri-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("uri-form"));
  const text = $("uri").value.trim();
  try {
    if (!text) throw failure("popupUriEmpty");
    const { uris, skipped } = isMigration(text) ? urisFrom([text]) : { uris: [buildUri(parseUri(text))], skipped: [] };
    $("uri").value = "";
    await addUris(uris, skipped);
  } catch (err) {
    fieldError("uri", told(err));
  }
});

$("manual-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("manual-form"));
  const type = $("m-type").value;
  const issuer = $("m-issuer").value.trim();
  const account = $("m-account").value.trim();
  const secret = $("m-secret").value;
  if (!secret.trim()) return fieldError("m-secret", t("popupEnterKey"));
  if (!issuer && !account) return fieldError("m-issuer", t("commonEnterName"));
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
  hideQr();
  editing = id;
  const parsed = parseUri(accounts[indexOf(id)].uri);
  clearErrors($("view-edit"));
  $("e-issuer").value = parsed.issuer ?? "";
  $("e-account").value = parsed.account;
  $("e-sites").value = sitesOf(accounts[indexOf(id)]).join(", ");
  editButtons();
  show("edit");
}

$("view-edit").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("view-edit"));
  const issuer = $("e-issuer").value.trim();
  if (!issuer && !$("e-account").value.trim()) return fieldError("e-issuer", t("commonEnterName"));
  const names = { issuer: issuer || undefined, account: $("e-account").value.trim() };
  try {
    rewrite(accounts[indexOf(editing)].uri, names);
  } catch (err) {
    return fieldError("e-issuer", sentence(err.message));
  }
  const sites = [];
  for (const word of $("e-sites").value.split(/[\s,]+/).filter(Boolean)) {
    const site = siteOf(word);
    if (!site) return fieldError("e-sites", t("fillSiteInvalid", word));
    if (!sites.includes(site)) sites.push(site);
  }
  if (sites.length > MAX_SITES) return fieldError("e-sites", t("fillSitesTooMany", MAX_SITES));
  const saved = await change((list) => {
    const entry = list.find((a) => a.id === editing);
    if (!entry) return false;
    // Rewritten from the account as stored now, not as this popup last saw it: a counter
    // that "Next code" moved on in another window stays moved on.
    entry.uri = rewrite(entry.uri, names);
    if (sites.length) entry.sites = sites;
    else delete entry.sites;
    return true;
  });
  if (saved === false) {
    show("main");
    return say(t("guardAccountGone"));
  }
  if (!saved) return;
  show("main", rowFocus(editing));
  say(t("commonSaved"));
});

for (const [button, step] of [["e-up", -1], ["e-down", 1]]) {
  $(button).addEventListener("click", async () => {
    const to = accounts[indexOf(editing) + step]?.id;
    if (!to) return;
    $("e-up").disabled = $("e-down").disabled = true; // one move at a time
    const at = await move(editing, to);
    editButtons();
    $(button).disabled ? $("e-issuer").focus() : $(button).focus();
    if (at >= 0) say(t("popupMoved", at + 1, accounts.length));
  });
}

// --- One account's QR code, to move it to a phone -------------------------------------------
// twofa/qr draws it; the module loads only when a code is asked for. With a passphrase set,
// it is asked again first. The code leaves the screen with the Edit view and with a lock.

/** The URI whose QR code is shown, or null. */
let qrShown = null;

function hideQr() {
  qrShown = null;
  $("e-qr-code").replaceChildren();
  $("e-qr-box").hidden = true;
  $("e-qr").hidden = false;
}

$("e-qr").addEventListener("click", async () => {
  const id = editing;
  let asked;
  try {
    asked = await reauthenticate(t("guardReauthAccountQr"));
  } catch (err) {
    return say(sentence(err.message));
  }
  if (!asked) return;
  const { qrSvg } = await import("./shared/twofa/qr.js");
  // The view left, the account gone or the vault locked while the passphrase was asked.
  const entry = accounts[indexOf(id)];
  if (editing !== id || $("view-edit").hidden || !entry) return;
  // Parsed as SVG, not set as HTML: twofa writes it, and nothing in it can run.
  const svg = new DOMParser().parseFromString(qrSvg(entry.uri, { ecc: "M" }), "image/svg+xml").documentElement;
  $("e-qr-code").replaceChildren(document.importNode(svg, true));
  $("e-qr-code").setAttribute("aria-label", t("guardQrLabel", nameOf(parseUri(entry.uri))));
  qrShown = entry.uri;
  $("e-qr-box").hidden = false;
  $("e-qr").hidden = true;
  $("e-qr-hide").focus();
});
$("e-qr-hide").addEventListener("click", () => {
  hideQr();
  $("e-qr").focus();
});

$("e-delete").addEventListener("click", async () => {
  const name = nameOf(parseUri(accounts[indexOf(editing)].uri), t("commonUnnamedAccountLabel"));
  const ok = await confirmDialog({
    title: t("popupDeleteTitle", name),
    text: t("popupDeleteText"),
    ok: t("popupDeleteOkButton"),
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
  say(t("popupDeleted", name));
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
  write($("clock-apply"), t(applied ? "clockStopButton" : "clockApplyButton"));
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
  // An import while the popup shows the list: its accounts are marked below, as they arrive.
  if (area === "session" && changes.added?.newValue && !$("view-main").hidden) return void takeAdded();
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
  if (wasEncrypted !== encrypted || !sameAccounts(state.accounts, accounts)) {
    // Accounts added elsewhere (an import on the options page) are marked as new here too.
    const known = new Set(accounts.map((a) => a.id));
    if (accounts.length) fresh = new Set(state.accounts.filter((a) => !known.has(a.id)).map((a) => a.id));
    accounts = state.accounts;
    render();
    // A QR code shown for an account changed or deleted elsewhere is no longer its code.
    if (qrShown !== null && accounts[indexOf(editing)]?.uri !== qrShown) hideQr();
    if (!$("view-edit").hidden) editButtons();
    $("accounts").querySelector(".account.new")?.scrollIntoView({ block: "nearest" });
  }
});

await loadClock();
clockCheck = await readClock();
await start();
recheckClock();
setInterval(tick, 250);
document.body.dataset.ready = "true";
