// Imports on the options page. twofa/import reads every format: other authenticators'
// exports, plain or encrypted, otpauth:// lists and Google Authenticator links. The
// extension's own encrypted backup (a vault line) is opened by twofa/vault. This file
// reads no format itself: it turns what twofa read into URIs and sentences.
import { importAccounts } from "../shared/twofa/import.js";
import { VaultKey } from "../shared/twofa/vault.js";
import { buildUri } from "../shared/twofa/twofa.js";
import { t } from "./i18n.js";
import { sitesOf } from "./sites.js";
import { VAULT_LIMITS } from "./store.js";

const VAULT = "$twofa-vault$";

/** One of the extension's own errors: a message from _locales, and twofa's code for it. */
const coded = (message, code) => Object.assign(new Error(message), { code, localized: true });

/**
 * Reads an import: `input` is a file's bytes or pasted text. `password` opens an encrypted
 * export or a twofa backup. Returns `{ uris, left, notes, encrypted }`: the accounts as
 * otpauth:// URIs; the entries left out, and the notes on entries imported with a change
 * or a weakness, as sentences that name the entry (never its secret); and whether the
 * input was encrypted. Throws twofa's errors: `PASSWORD_REQUIRED` and `WRONG_PASSWORD`
 * for an encrypted input, `UNSUPPORTED_FORMAT`, `INVALID_IMPORT` or `IMPORT_LIMIT`
 * otherwise.
 */
export function readImport(input, { password } = {}) {
  if (isBackup(input)) return readBackup(typeof input === "string" ? input : new TextDecoder().decode(input), password);
  const { accounts, warnings } = importAccounts(input, password === undefined ? {} : { password });
  const uris = [];
  const left = [];
  const notes = [];
  const named = new Map(accounts.map((a) => [a.index, a.name]));
  for (const { name, index, ...account } of accounts) {
    try {
      uris.push(buildUri(account.issuer ? account : { ...account, issuer: undefined }));
    } catch (err) {
      left.push(sentence(index, name, err.message, true));
    }
  }
  for (const w of warnings) {
    // Digits and periods Google Authenticator would get wrong matter when moving to it,
    // not here: the extension makes every code the account asks for.
    if (w.code === "NONSTANDARD_DIGITS" || w.code === "NONSTANDARD_PERIOD") continue;
    // A Google Authenticator export given without all its QR codes is about the file:
    // its index is only where the missing accounts would go.
    const index = w.code === "INCOMPLETE_EXPORT" ? null : w.index;
    const leftOut = w.code === "UNSUPPORTED_ACCOUNT";
    (leftOut ? left : notes).push(sentence(index, named.get(index), w.message.replace(/^(account|entry) \d+: (left out: )?/, ""), leftOut));
  }
  // An export that needed a password was encrypted; the page gives a password only after
  // PASSWORD_REQUIRED for the same input.
  return { uris, left, notes, encrypted: password !== undefined };
}

/** Whether the input is a twofa encrypted backup: a vault line. */
function isBackup(input) {
  const head = typeof input === "string" ? input.slice(0, 64) : new TextDecoder().decode(input.subarray(0, 64));
  return head.replace(/^\uFEFF/, "").trimStart().startsWith(VAULT);
}

/**
 * A twofa encrypted backup: `{ accounts: [{ id, uri, sites? }] }` sealed by VaultKey. Its
 * accounts' sites come back too (`sites`, by URI), checked as if typed: a site that is not
 * a host name is dropped.
 */
function readBackup(text, passphrase) {
  const line = text.trim();
  if (passphrase === undefined) throw coded(t("importBackupPassphrase"), "PASSWORD_REQUIRED");
  let key;
  try {
    // A backup from elsewhere gets the stored vault's ceiling: a crafted file cannot stall the page.
    key = VaultKey.unlock(passphrase, line, VAULT_LIMITS);
  } catch (err) {
    throw err.code === "WRONG_PASSPHRASE" ? coded(t("importBackupWrong"), "WRONG_PASSWORD") : err;
  }
  try {
    const accounts = JSON.parse(key.open(line)).accounts;
    const sites = new Map(accounts.map((a) => [a.uri, sitesOf(a)]));
    return { uris: accounts.map((a) => a.uri), sites, left: [], notes: [], encrypted: true };
  } catch (err) {
    throw err.code === "WRONG_PASSPHRASE" ? coded(t("importBackupWrong"), "WRONG_PASSWORD") : err;
  } finally {
    key.free();
  }
}

/**
 * "Entry 3 (GitHub): left out: MD5 is not supported.": twofa's `message` (English, not
 * translated yet) in the extension's sentence about the entry, or the file when there is no
 * `index`. `leftOut` says the entry was not imported.
 */
function sentence(index, name, message, leftOut = false) {
  const text = message.replace(/\.$/, "");
  if (index === undefined || index === null) return t(leftOut ? "importFileLeftOut" : "importFile", text);
  if (!name) return t(leftOut ? "importEntryLeftOut" : "importEntry", index + 1, text);
  return t(leftOut ? "importEntryNamedLeftOut" : "importEntryNamed", index + 1, name, text);
}
