// The options page: theme, passphrase and auto-lock, import, export, shortcut, clearing.
import { nameOf } from "./shared/accounts.js";
import { $, applyTheme, clearErrors, confirmDialog, download, el, fieldError, sentence } from "./shared/dom.js";
import { decode } from "./shared/qr.js";
import { exportAegis } from "./shared/twofa/import.js";
import { buildMigrationUris } from "./shared/twofa/migration.js";
import { qrSvg } from "./shared/twofa/qr.js";
import { parseUri } from "./shared/twofa/twofa.js";
import { VaultKey } from "./shared/twofa/vault.js";
import { merge, noteAdded } from "./lib/accounts.js";
import { readClock } from "./lib/clock.js";
import { askPermission, checkClock, describe, hostOf, siteOf } from "./lib/clock-check.js";
import { failure, plural, t } from "./lib/i18n.js";
import { readImport } from "./lib/import.js";
import { pixelsOfImage } from "./lib/pictures.js";
import { passphraseError, reauthenticate } from "./lib/reauth.js";
import * as store from "./lib/store.js";
import { say, told } from "./lib/ui.js";

let state;

async function refresh() {
  const s = await store.settings();
  applyTheme(s.theme);
  $("theme").value = s.theme;
  $("auto-lock").value = String(s.autoLockMinutes);
  try {
    state = await store.status();
  } catch (err) {
    // Data this version cannot read: said plainly; only "Clear all data" is offered.
    state = { encrypted: false, locked: true, accounts: null, unreadable: true };
    $("locked-title").textContent = t("optionsCannotRead", told(err));
  }
  const { encrypted, locked, unreadable } = state;
  $("unlock-form").hidden = Boolean(unreadable);
  if (!unreadable) $("locked-title").textContent = t("optionsUnlockHeading");
  $("locked").hidden = !locked;
  for (const id of ["import", "export"]) {
    for (const control of $(id).querySelectorAll("input, textarea, button, select")) control.disabled = locked;
  }
  $("security-state").textContent = !encrypted
    ? t("optionsStateNone")
    : locked
      ? t("optionsStateLocked")
      : t("optionsStateEncrypted");
  $("passphrase-submit").textContent = encrypted ? t("optionsChangePassphraseButton") : t("optionsSetPassphraseButton");
  $("passphrase-form").querySelectorAll("input, button").forEach((c) => (c.disabled = locked));
  $("remove-passphrase").hidden = !encrypted || locked;
  $("lock-now").hidden = !encrypted || locked;
  $("backup-passphrase-field").hidden = encrypted;
  $("export-plain").disabled = $("export-plain-download").disabled = locked || !$("plain-ack").checked;
  if (locked || state.accounts.length === 0) {
    // Nothing exported stays on screen once the vault locks or the data is cleared.
    $("plain-ack").checked = false;
    $("export-plain").disabled = $("export-plain-download").disabled = true;
    $("plain-list").value = "";
    $("plain-list").hidden = $("plain-list-label").hidden = true;
    $("export-codes").replaceChildren();
    $("export-qr-summary").textContent = "";
    $("import-report").hidden = true;
    $("import-notes").replaceChildren();
  }
  document.body.dataset.ready = "true";
}

$("theme").addEventListener("change", async () => {
  const theme = $("theme").value;
  applyTheme(theme);
  await store.saveSettings({ theme });
  say(t("commonSaved"));
});
$("auto-lock").addEventListener("change", async () => {
  await store.saveSettings({ autoLockMinutes: Number($("auto-lock").value) });
  say(t("commonSaved"));
});

$("unlock-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("unlock-form"));
  try {
    await store.unlock($("unlock-passphrase").value);
  } catch (err) {
    return fieldError("unlock-passphrase", passphraseError(err));
  }
  $("unlock-passphrase").value = "";
  await refresh();
  say(t("optionsUnlocked"));
});

// --- Passphrase ------------------------------------------------------------------------

/**
 * A new passphrase (or password) typed in `field` and again in `repeat`: its text in NFC,
 * or `undefined` with the error shown under the field at fault. As twofa's vault reads
 * passphrases in NFC, the length is counted in characters of that form (an emoji is one,
 * not two UTF-16 units), and "é" typed as one character or as "e" and an accent is the same.
 */
function typedTwice(field, repeat, what) {
  const value = store.normalised($(field).value);
  if (store.characters(value) < store.MIN_PASSPHRASE) fieldError(field, t("optionsMinLength", store.MIN_PASSPHRASE));
  else if (store.normalised($(repeat).value) !== value) fieldError(repeat, t(what === "passwords" ? "optionsPasswordsDiffer" : "optionsPassphrasesDiffer"));
  else return value;
  return undefined;
}

$("passphrase-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("passphrase-form"));
  const passphrase = typedTwice("new-passphrase", "confirm-passphrase", "passphrases");
  if (passphrase === undefined) return;
  const changing = state.encrypted;
  const hadAccounts = state.accounts.length > 0;
  $("passphrase-submit").disabled = true;
  try {
    // Changing it asks for the current one, which the store checks under its lock.
    const done = await reauthenticate(t("guardReauthChange"), (current) => store.setPassphrase(passphrase, undefined, { current }));
    if (!done) return;
  } catch (err) {
    return fieldError("new-passphrase", told(err));
  } finally {
    $("passphrase-submit").disabled = false;
  }
  $("passphrase-form").reset();
  await refresh();
  say(
    changing
      ? t("optionsPassphraseChanged")
      : `${t("optionsPassphraseSet")}${hadAccounts ? ` ${t("optionsCopiesMayStay")}` : ""}`,
  );
});

$("remove-passphrase").addEventListener("click", async () => {
  const ok = await confirmDialog({
    title: t("optionsRemoveTitle"),
    text: t("optionsRemoveText"),
    ok: t("optionsRemoveOkButton"),
    danger: true,
  });
  if (!ok) return;
  try {
    if (!(await reauthenticate(t("guardReauthRemove"), (current) => store.removePassphrase({ current })))) return;
  } catch (err) {
    await refresh();
    return say(err.code === "LOCKED" ? t("optionsLockedMeanwhile") : told(err));
  }
  await refresh();
  say(t("optionsPassphraseRemoved"));
});

$("lock-now").addEventListener("click", async () => {
  await store.lock();
  await refresh();
  say(t("optionsLocked"));
});

// --- Import -----------------------------------------------------------------------------
// twofa/import finds the format. An encrypted one is asked for its password, and when this
// browser has no passphrase yet, that password (or another) becomes the passphrase before
// anything is written: restored secrets are never stored unencrypted.

/** What to import: a picture's QR codes as text, a file's bytes, or the pasted text. */
async function importInput() {
  const file = $("import-file").files[0];
  if (file && file.type.startsWith("image/")) {
    const texts = await decode(await pixelsOfImage(file));
    if (!texts.length) throw failure("importNoQr");
    return texts.join("\n");
  }
  if (file) return new Uint8Array(await file.arrayBuffer());
  const text = $("import-text").value;
  if (!text.trim()) throw failure("importNothing");
  return text;
}

/** A new file or text: the password asked for the last one is forgotten. */
function forgetPassword() {
  $("import-password").value = "";
  $("import-password-field").hidden = true;
  clearErrors($("import-form"));
}
$("import-file").addEventListener("change", forgetPassword);
$("import-text").addEventListener("input", () => {
  if (!$("import-password-field").hidden) forgetPassword();
});

/**
 * Asks for a passphrase for a store that has none: the import's `password`, when it is long
 * enough, or another. Resolves the passphrase, or null when the user cancels.
 */
function offerPassphrase(password) {
  const dialog = $("seal");
  const usable = store.characters(password) >= store.MIN_PASSPHRASE;
  $("seal-form").reset();
  clearErrors(dialog);
  $("seal-same").disabled = !usable;
  $("seal-same").checked = usable;
  $("seal-other").checked = !usable;
  $("seal-same-hint").hidden = usable;
  $("seal-same-hint").textContent = usable ? "" : t("importShortPassword", store.MIN_PASSPHRASE);
  const sync = () => ($("seal-new").hidden = $("seal-same").checked);
  sync();
  $("seal-same").onchange = $("seal-other").onchange = sync;
  let chosen = null;
  $("seal-cancel").onclick = () => dialog.close();
  $("seal-form").onsubmit = (event) => {
    event.preventDefault();
    clearErrors(dialog);
    if ($("seal-same").checked) {
      chosen = password;
    } else {
      const passphrase = typedTwice("seal-passphrase", "seal-repeat", "passphrases");
      if (passphrase === undefined) return;
      chosen = passphrase;
    }
    dialog.close();
  };
  dialog.showModal();
  (usable ? $("seal-same") : $("seal-passphrase")).focus();
  return new Promise((resolve) =>
    dialog.addEventListener("close", () => {
      $("seal-form").reset();
      resolve(chosen);
    }, { once: true }),
  );
}

/** The report's summary, by the number of entries left out and of notes: none, one, more. */
const REPORT = [
  [null, "importNotesOne", "importNotesOther"],
  ["importLeftOne", "importLeftOneNotesOne", "importLeftOneNotesOther"],
  ["importLeftOther", "importLeftOtherNotesOne", "importLeftOtherNotesOther"],
];

/**
 * The report under the form: the entries left out, then the notes on the accounts
 * imported, each naming its entry. Returns the sentence for the status line.
 */
function report(left, notes) {
  // One sentence for each case (none, one, more of each), so a language can say each its own way.
  const form = (n) => Math.min(n, 2);
  const key = REPORT[form(left.length)][form(notes.length)];
  const said = key ? t(key, ...[left.length, notes.length].filter(Boolean)) : "";
  $("import-report").hidden = !key;
  $("import-report-summary").textContent = said;
  $("import-notes").replaceChildren(...[...left, ...notes].map((n) => el("li", {}, n)));
  return key ? ` ${t("importSeeList", said)}` : "";
}

/** The accounts as stored now, or null (and the page shows the lock) when locked. */
async function current() {
  state = await store.status();
  if (state.locked) {
    await refresh();
    return null;
  }
  return state.accounts;
}

$("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("import-form"));
  report([], []);
  const asked = !$("import-password-field").hidden;
  const password = asked ? $("import-password").value : undefined;
  if (asked && !password) return fieldError("import-password", t("importEnterPassword"));
  let found;
  let input;
  const button = $("import-submit");
  try {
    input = await importInput();
    // Opening an encrypted export can take seconds (Ente's dearest asks for 1 GiB): the
    // button says so before the work holds the page.
    button.disabled = true;
    button.textContent = password === undefined ? t("importImportingButton") : t("importOpeningButton");
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    found = readImport(input, { password });
  } catch (err) {
    if (err.code === "PASSWORD_REQUIRED") {
      $("import-password-hint").textContent = told(err);
      $("import-password-field").hidden = false;
      $("import-password").focus();
      return say(t("importEncrypted"));
    }
    if (err.code === "WRONG_PASSWORD") return fieldError("import-password", t("importWrongPassword", told(err)));
    return fieldError("import-text", told(err));
  } finally {
    // The file's bytes may hold secrets in the clear: not kept past the import.
    if (input instanceof Uint8Array) input.fill(0);
    button.disabled = false;
    button.textContent = t("importButton");
  }
  const { uris, sites, left, notes, encrypted } = found;
  if (!(await current())) return;
  const hadAccounts = state.accounts.length > 0;
  let added;
  let sealed = false;
  const ids = [];
  try {
    if (encrypted && !state.encrypted) {
      const passphrase = await offerPassphrase(password);
      if (passphrase === null) return say(t("importNotImported"));
      added = await store.setPassphrase(passphrase, (accounts) => merge(accounts, uris, { ids, sitesFor: (uri) => sites?.get(uri) }));
      sealed = true;
    } else {
      ({ result: added } = await store.update((accounts) => merge(accounts, uris, { ids, sitesFor: (uri) => sites?.get(uri) })));
    }
  } catch (err) {
    await refresh();
    if (err.code === "REAUTH") return fieldError("import-text", t("guardSetMeanwhile"));
    return fieldError("import-text", err.code === "LOCKED" ? t("importLockedMeanwhile") : told(err));
  }
  await noteAdded(ids);
  $("import-form").reset();
  forgetPassword();
  await refresh();
  const listed = report(left, notes);
  const dupes = uris.length - added;
  say(
    `${plural("importImported", added)}${dupes ? ` ${plural("importDupes", dupes)}` : ""}${listed}` +
      `${sealed ? ` ${t("optionsPassphraseSet")}${hadAccounts ? ` ${t("importCopiesMayStay")}` : ""}` : ""}`,
  );
});

// --- Export -----------------------------------------------------------------------------

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Downloads the encrypted backup: the stored vault line, or, with no passphrase set, the
 * accounts sealed under the passphrase `typed()` gives (undefined: its field shows why, and
 * nothing is downloaded). Resolves the file's name, or null.
 */
async function downloadBackup(typed) {
  let vault = await store.sealedVault();
  if (!vault) {
    const passphrase = typed();
    if (passphrase === undefined) return null;
    const { accounts } = await store.status();
    const key = VaultKey.derive(passphrase);
    try {
      vault = key.seal(JSON.stringify({ accounts }));
    } finally {
      key.free();
    }
  }
  const name = `twofa-backup-${today()}.twofa`;
  download(name, `${vault}\n`);
  return name;
}

$("backup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("backup-form"));
  if (!(await current())) return;
  if (await downloadBackup(() => typedTwice("backup-passphrase", "backup-repeat", "passphrases"))) say(t("optionsBackupDownloaded"));
});

$("aegis-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("aegis-form"));
  const password = typedTwice("aegis-password", "aegis-repeat", "passwords");
  if (password === undefined) return;
  const stored = await current();
  if (!stored) return;
  if (!stored.length) return say(t("optionsNoAccounts"));
  let file;
  try {
    file = exportAegis(stored.map((a) => parseUri(a.uri)), { password });
  } catch (err) {
    return fieldError("aegis-password", sentence(err.message));
  }
  $("aegis-form").reset();
  download(`twofa-aegis-${today()}.json`, file);
  say(plural("optionsAegisDownloaded", stored.length));
});

$("export-qr").addEventListener("click", async () => {
  if (!(await reauthenticate(t("guardReauthQrExport")))) return;
  const stored = await current();
  if (!stored) return;
  const accounts = stored.map((a) => parseUri(a.uri));
  if (!accounts.length) return say(t("optionsNoAccounts"));
  const { uris, warnings } = buildMigrationUris(accounts);
  // Warnings name the account, not its place in the list.
  const named = warnings.map((w) => ` ${t("optionsQrWarning", nameOf(accounts[w.index], t("commonUnnamedAccountLabel")), w.message.replace(/^account \d+: /, "").replace(/\.$/, ""))}`);
  $("export-qr-summary").textContent = `${plural("optionsQrScan", uris.length)}${named.join("")}`;
  $("export-codes").replaceChildren(
    ...uris.map((uri, i) => {
      // Parsed as SVG, not set as HTML: twofa writes it, and nothing in it can run.
      const svg = new DOMParser().parseFromString(qrSvg(uri, { ecc: "M" }), "image/svg+xml").documentElement;
      return el("figure", { role: "img", "aria-label": t("optionsQrFigureLabel", i + 1, uris.length) }, document.importNode(svg, true));
    }),
  );
});

$("plain-ack").addEventListener("change", () => {
  $("export-plain").disabled = $("export-plain-download").disabled = !$("plain-ack").checked;
});
const plainList = (accounts) => accounts.map((a) => a.uri).join("\n") + "\n";
$("export-plain").addEventListener("click", async () => {
  if (!(await reauthenticate(t("guardReauthPlainShow")))) return;
  const accounts = await current();
  if (!accounts) return;
  $("plain-list").value = plainList(accounts);
  $("plain-list").hidden = $("plain-list-label").hidden = false;
});
$("export-plain-download").addEventListener("click", async () => {
  if (!(await reauthenticate(t("guardReauthPlainDownload")))) return;
  const accounts = await current();
  if (accounts) download(`twofa-accounts-${today()}.txt`, plainList(accounts));
});

// --- Shortcut and clearing ------------------------------------------------------------------

chrome.commands?.getAll?.().then((commands) => {
  const shortcut = commands.find((c) => c.name === "_execute_action")?.shortcut;
  $("shortcut-keys").textContent = shortcut || t("optionsShortcutNotSetLabel");
  const fill = commands.find((c) => c.name === "fill-code")?.shortcut;
  $("fill-shortcut").textContent = fill ? t("fillShortcut", fill) : t("fillShortcutUnset");
});

/** The "Clear all data?" dialog (#clear), made on first use. */
function clearElement() {
  let dialog = $("clear");
  if (dialog) return dialog;
  dialog = el("dialog", { id: "clear", "aria-labelledby": "clear-title", "aria-describedby": "clear-text" },
    el("form", { id: "clear-form", novalidate: true },
      el("h2", { id: "clear-title" }, t("guardClearTitle")),
      el("p", { id: "clear-text" }),
      el("div", { id: "clear-backup-field" },
        el("p", { class: "hint" }, t("guardClearBackupHint")),
        el("label", { for: "clear-backup-passphrase" }, t("guardClearBackupPassphraseLabel")),
        el("input", { id: "clear-backup-passphrase", type: "password", autocomplete: "new-password", "aria-describedby": "clear-backup-passphrase-error" }),
        el("p", { class: "error", id: "clear-backup-passphrase-error", hidden: true }),
        el("label", { for: "clear-backup-repeat" }, t("guardClearBackupRepeatLabel")),
        el("input", { id: "clear-backup-repeat", type: "password", autocomplete: "new-password", "aria-describedby": "clear-backup-repeat-error" }),
        el("p", { class: "error", id: "clear-backup-repeat-error", hidden: true })),
      el("div", { class: "actions" },
        el("button", { type: "button", id: "clear-backup" }, t("guardClearBackupButton")),
        el("button", { type: "submit", class: "danger", id: "clear-ok" }, t("guardClearOkButton")),
        el("button", { type: "button", class: "ghost", id: "clear-cancel" }, t("guardCancelButton")))));
  document.body.append(dialog);
  return dialog;
}

/**
 * Asks before clearing, and offers the encrypted backup first: "Download a backup first"
 * downloads it (asking for a backup passphrase when none is set) and asks again. Resolves
 * true to clear.
 */
async function confirmClear() {
  const dialog = clearElement();
  const readable = !state?.unreadable;
  // What there is to back up: the vault line as stored (even locked), or the accounts.
  const vault = readable ? await store.sealedVault().catch(() => null) : null;
  const offer = Boolean(vault) || (readable && !state.locked && state.accounts.length > 0);
  $("clear-form").reset();
  clearErrors(dialog);
  $("clear-text").textContent = t("guardClearText");
  $("clear-backup").hidden = !offer;
  $("clear-backup-field").hidden = !offer || Boolean(vault);
  let clear = false;
  let busy = false;
  dialog.oncancel = (event) => busy && event.preventDefault();
  $("clear-cancel").onclick = () => busy || dialog.close();
  $("clear-form").onsubmit = (event) => {
    event.preventDefault();
    if (busy) return;
    clear = true;
    dialog.close();
  };
  $("clear-backup").onclick = async () => {
    if (busy) return;
    clearErrors(dialog);
    busy = true;
    try {
      const name = await downloadBackup(() => typedTwice("clear-backup-passphrase", "clear-backup-repeat", "passphrases"));
      if (!name) return;
      // Asked again, now that the backup is saved.
      $("clear-text").textContent = t("guardClearAfterBackup", name);
      $("clear-backup-field").hidden = $("clear-backup").hidden = true;
      $("clear-form").reset();
      $("clear-cancel").focus();
    } catch (err) {
      $("clear-text").textContent = sentence(err.message);
    } finally {
      busy = false;
    }
  };
  dialog.showModal();
  $("clear-cancel").focus();
  return new Promise((resolve) =>
    dialog.addEventListener("close", () => {
      $("clear-form").reset();
      resolve(clear);
    }, { once: true }),
  );
}

$("clear-all").addEventListener("click", async () => {
  if (!(await confirmClear())) return;
  await store.clearAll();
  await refresh();
  say(t("optionsCleared"));
});

chrome.storage.onChanged.addListener(() => refresh());
// Work on this page counts as activity for the auto-lock, as in the popup.
let lastTouch = 0;
for (const type of ["pointerdown", "keydown"]) {
  document.addEventListener(type, () => {
    if (Date.now() - lastTouch > 5000 && state?.encrypted && !state.locked) {
      lastTouch = Date.now();
      store.touch();
    }
  });
}
// The auto-lock also applies to a page left open: checked every 15 s.
setInterval(async () => {
  if (state?.encrypted && !state.locked && (await store.status()).locked) await refresh();
}, 15_000);
// --- Clock -----------------------------------------------------------------------------

/** Shows the last clock check: its result and when it was made. */
async function showClockCheck() {
  const record = await readClock();
  if (!record?.site) return;
  if (!$("clock-site").value) $("clock-site").value = record.site;
  const when = new Date(record.checkedAt).toLocaleString();
  $("clock-result").textContent = `${describe(record)} ${t("clockCheckedAt", when)}`;
}

$("clock-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("clock-form"));
  let site;
  try {
    site = siteOf($("clock-site").value);
  } catch (err) {
    return fieldError("clock-site", err.message);
  }
  // Asked before any await: the browser allows the request only while handling the click.
  const granted = await askPermission(site);
  if (!granted) return fieldError("clock-site", t("clockDenied", hostOf(site)));
  $("clock-site").value = site;
  $("clock-check").disabled = true;
  try {
    await checkClock(site);
  } catch (err) {
    return fieldError("clock-site", err.message);
  } finally {
    $("clock-check").disabled = false;
  }
  await showClockCheck();
  say(t("clockCheckDone"));
});

await showClockCheck();
await refresh();
if (location.hash) $(location.hash.slice(1))?.scrollIntoView();
