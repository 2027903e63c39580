// The options page: theme, passphrase and auto-lock, import, export, shortcut, clearing.
import { nameOf } from "./shared/accounts.js";
import { $, applyTheme, clearErrors, confirmDialog, download, el, fieldError, sentence } from "./shared/dom.js";
import { decode } from "./shared/qr.js";
import { exportAegis } from "./shared/twofa/import.js";
import { buildMigrationUris } from "./shared/twofa/migration.js";
import { qrSvg } from "./shared/twofa/qr.js";
import { parseUri } from "./shared/twofa/twofa.js";
import { VaultKey } from "./shared/twofa/vault.js";
import { merge } from "./lib/accounts.js";
import { readClock } from "./lib/clock.js";
import { askPermission, checkClock, describe, hostOf, siteOf } from "./lib/clock-check.js";
import { localize, t } from "./lib/i18n.js";
import { readImport } from "./lib/import.js";
import { pixelsOfImage } from "./lib/pictures.js";
import * as store from "./lib/store.js";
import { say } from "./lib/ui.js";

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
    $("locked-title").textContent = `twofa cannot read its data: ${sentence(err.message)} Update the extension, or clear the data below.`;
  }
  const { encrypted, locked, unreadable } = state;
  $("unlock-form").hidden = Boolean(unreadable);
  if (!unreadable) $("locked-title").textContent = "Unlock to change settings, import or export";
  $("locked").hidden = !locked;
  for (const id of ["import", "export"]) {
    for (const control of $(id).querySelectorAll("input, textarea, button, select")) control.disabled = locked;
  }
  $("security-state").textContent = !encrypted
    ? "No passphrase: your secrets are stored unencrypted on this computer. Set one to encrypt them (Argon2id and XChaCha20-Poly1305)."
    : locked
      ? "Your accounts are encrypted, and locked."
      : "Your accounts are encrypted with your passphrase (Argon2id and XChaCha20-Poly1305).";
  $("passphrase-submit").textContent = encrypted ? "Change passphrase" : "Set passphrase";
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
  say("Saved.");
});
$("auto-lock").addEventListener("change", async () => {
  await store.saveSettings({ autoLockMinutes: Number($("auto-lock").value) });
  say("Saved.");
});

$("unlock-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("unlock-form"));
  try {
    await store.unlock($("unlock-passphrase").value);
  } catch (err) {
    return fieldError("unlock-passphrase", err.code === "WRONG_PASSPHRASE" ? "Wrong passphrase. Try again." : sentence(err.message));
  }
  $("unlock-passphrase").value = "";
  await refresh();
  say("Unlocked.");
});

// --- Passphrase ------------------------------------------------------------------------

/**
 * A new passphrase (or password) typed in `field` and again in `repeat`: its text, or
 * `undefined` with the error shown under the field at fault.
 */
function typedTwice(field, repeat, what) {
  const value = $(field).value;
  if (value.length < store.MIN_PASSPHRASE) fieldError(field, `Use at least ${store.MIN_PASSPHRASE} characters.`);
  else if ($(repeat).value !== value) fieldError(repeat, `The two ${what} differ.`);
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
    await store.setPassphrase(passphrase);
  } catch (err) {
    return fieldError("new-passphrase", sentence(err.message));
  } finally {
    $("passphrase-submit").disabled = false;
  }
  $("passphrase-form").reset();
  await refresh();
  say(
    changing
      ? "Passphrase changed."
      : `Passphrase set: your accounts are encrypted.${hadAccounts ? " Copies written before may stay in the browser's files until it compacts them: if this computer may be compromised, give those accounts new keys." : ""}`,
  );
});

$("remove-passphrase").addEventListener("click", async () => {
  const ok = await confirmDialog({
    title: "Remove the passphrase?",
    text: "Your secrets will be stored unencrypted on this computer, readable by anyone who can read your browser profile.",
    ok: "Remove",
    danger: true,
  });
  if (!ok) return;
  try {
    await store.removePassphrase();
  } catch (err) {
    await refresh();
    return say(err.code === "LOCKED" ? "The vault locked meanwhile: unlock it first." : sentence(err.message));
  }
  await refresh();
  say("Passphrase removed.");
});

$("lock-now").addEventListener("click", async () => {
  await store.lock();
  await refresh();
  say("Locked.");
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
    if (!texts.length) throw new Error("no QR code was found in the picture");
    return texts.join("\n");
  }
  if (file) return new Uint8Array(await file.arrayBuffer());
  const text = $("import-text").value;
  if (!text.trim()) throw new Error("choose a file or paste what to import");
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
  const usable = password.length >= store.MIN_PASSPHRASE;
  $("seal-form").reset();
  clearErrors(dialog);
  $("seal-same").disabled = !usable;
  $("seal-same").checked = usable;
  $("seal-other").checked = !usable;
  $("seal-same-hint").hidden = usable;
  $("seal-same-hint").textContent = usable ? "" : `That password is shorter than ${store.MIN_PASSPHRASE} characters, so it cannot be the passphrase: choose another.`;
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

/**
 * The report under the form: the entries left out, then the notes on the accounts
 * imported, each naming its entry. Returns the sentence for the status line.
 */
function report(left, notes) {
  const entries = left.length === 1 ? "one entry was left out" : `${left.length} entries were left out`;
  const remarks = notes.length === 1 ? "there is one note" : `there are ${notes.length} notes`;
  const parts = [left.length ? entries : "", notes.length ? remarks : ""].filter(Boolean);
  const said = parts.length ? sentence(parts.join(", and ")) : "";
  $("import-report").hidden = parts.length === 0;
  $("import-report-summary").textContent = parts.length ? said.replace(/\.$/, ":") : "";
  $("import-notes").replaceChildren(...[...left, ...notes].map((n) => el("li", {}, n)));
  return parts.length ? ` ${said.replace(/\.$/, ": see the list under the form.")}` : "";
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
  if (asked && !password) return fieldError("import-password", "Enter the password of the export.");
  let found;
  let input;
  const button = $("import-submit");
  try {
    input = await importInput();
    // Opening an encrypted export can take seconds (Ente's dearest asks for 1 GiB): the
    // button says so before the work holds the page.
    button.disabled = true;
    button.textContent = password === undefined ? "Importing…" : "Opening the export…";
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    found = readImport(input, { password });
  } catch (err) {
    if (err.code === "PASSWORD_REQUIRED") {
      $("import-password-hint").textContent = sentence(err.message);
      $("import-password-field").hidden = false;
      $("import-password").focus();
      return say("This import is encrypted: enter its password.");
    }
    if (err.code === "WRONG_PASSWORD") return fieldError("import-password", `Wrong password. ${sentence(err.message)} Try again.`);
    return fieldError("import-text", sentence(err.message));
  } finally {
    // The file's bytes may hold secrets in the clear: not kept past the import.
    if (input instanceof Uint8Array) input.fill(0);
    button.disabled = false;
    button.textContent = "Import";
  }
  const { uris, left, notes, encrypted } = found;
  if (!(await current())) return;
  const hadAccounts = state.accounts.length > 0;
  let added;
  let sealed = false;
  try {
    if (encrypted && !state.encrypted) {
      const passphrase = await offerPassphrase(password);
      if (passphrase === null) return say("Nothing was imported: the accounts would have been stored unencrypted.");
      added = await store.setPassphrase(passphrase, (accounts) => merge(accounts, uris));
      sealed = true;
    } else {
      ({ result: added } = await store.update((accounts) => merge(accounts, uris)));
    }
  } catch (err) {
    await refresh();
    return fieldError("import-text", err.code === "LOCKED" ? "The vault locked meanwhile: unlock it, then import again." : sentence(err.message));
  }
  $("import-form").reset();
  forgetPassword();
  await refresh();
  const listed = report(left, notes);
  const dupes = uris.length - added;
  say(
    `Imported ${added} account${added === 1 ? "" : "s"}.${dupes ? ` ${dupes} ${dupes === 1 ? "was" : "were"} already there.` : ""}${listed}` +
      `${sealed ? ` Passphrase set: your accounts are encrypted.${hadAccounts ? " Copies of the accounts stored before may stay in the browser's files until it compacts them." : ""}` : ""}`,
  );
});

// --- Export -----------------------------------------------------------------------------

const today = () => new Date().toISOString().slice(0, 10);

$("backup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("backup-form"));
  const accounts = await current();
  if (!accounts) return;
  let vault = await store.sealedVault();
  if (!vault) {
    const passphrase = typedTwice("backup-passphrase", "backup-repeat", "passphrases");
    if (passphrase === undefined) return;
    const key = VaultKey.derive(passphrase);
    try {
      vault = key.seal(JSON.stringify({ accounts }));
    } finally {
      key.free();
    }
  }
  download(`twofa-backup-${today()}.twofa`, `${vault}\n`);
  say("Backup downloaded.");
});

$("aegis-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors($("aegis-form"));
  const password = typedTwice("aegis-password", "aegis-repeat", "passwords");
  if (password === undefined) return;
  const stored = await current();
  if (!stored) return;
  if (!stored.length) return say("There are no accounts to export.");
  let file;
  try {
    file = exportAegis(stored.map((a) => parseUri(a.uri)), { password });
  } catch (err) {
    return fieldError("aegis-password", sentence(err.message));
  }
  $("aegis-form").reset();
  download(`twofa-aegis-${today()}.json`, file);
  say(`Aegis export downloaded: ${stored.length} account${stored.length === 1 ? "" : "s"}, encrypted with the password.`);
});

$("export-qr").addEventListener("click", async () => {
  const stored = await current();
  if (!stored) return;
  const accounts = stored.map((a) => parseUri(a.uri));
  if (!accounts.length) return say("There are no accounts to export.");
  const { uris, warnings } = buildMigrationUris(accounts);
  // Warnings name the account, not its place in the list.
  const named = warnings.map((w) => ` ${nameOf(accounts[w.index])}: ${w.message.replace(/^account \d+: /, "")}.`);
  $("export-qr-summary").textContent = `Scan ${uris.length === 1 ? "this code" : `these ${uris.length} codes, in order,`} with Google Authenticator's “Import accounts”.${named.join("")}`;
  $("export-codes").replaceChildren(
    ...uris.map((uri, i) => {
      // Parsed as SVG, not set as HTML: twofa writes it, and nothing in it can run.
      const svg = new DOMParser().parseFromString(qrSvg(uri, { ecc: "M" }), "image/svg+xml").documentElement;
      return el("figure", { role: "img", "aria-label": `Export QR code ${i + 1} of ${uris.length}` }, document.importNode(svg, true));
    }),
  );
});

$("plain-ack").addEventListener("change", () => {
  $("export-plain").disabled = $("export-plain-download").disabled = !$("plain-ack").checked;
});
const plainList = (accounts) => accounts.map((a) => a.uri).join("\n") + "\n";
$("export-plain").addEventListener("click", async () => {
  const accounts = await current();
  if (!accounts) return;
  $("plain-list").value = plainList(accounts);
  $("plain-list").hidden = $("plain-list-label").hidden = false;
});
$("export-plain-download").addEventListener("click", async () => {
  const accounts = await current();
  if (accounts) download(`twofa-accounts-${today()}.txt`, plainList(accounts));
});

// --- Shortcut and clearing ------------------------------------------------------------------

chrome.commands?.getAll?.().then((commands) => {
  const shortcut = commands.find((c) => c.name === "_execute_action")?.shortcut;
  $("shortcut-keys").textContent = shortcut || "not set";
});

$("clear-all").addEventListener("click", async () => {
  const ok = await confirmDialog({
    title: "Clear all data?",
    text: "Every account, the passphrase and the settings are deleted from this browser. This cannot be undone.",
    ok: "Clear all data",
    danger: true,
  });
  if (!ok) return;
  await store.clearAll();
  await refresh();
  say("All data cleared.");
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

localize($("clock"));
await showClockCheck();
await refresh();
if (location.hash) $(location.hash.slice(1))?.scrollIntoView();
