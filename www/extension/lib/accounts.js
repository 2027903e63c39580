// Accounts as the extension keeps them: `{ id, uri }`, and `sites` when the account has
// sites (lib/sites.js), in the user's order. Every URI is
// read and written by twofa (parseUri, buildUri). What the pages share with the demo (names,
// generators, which text is which link) is www/shared/accounts.js's; imports on the options
// page are import.js's.
import { isMigration, isOtpauth } from "../shared/accounts.js";
import { sentence } from "../shared/dom.js";
import { parseMigrationUri } from "../shared/twofa/migration.js";
import { buildUri, parseUri } from "../shared/twofa/twofa.js";
import { plural, t } from "./i18n.js";

export const newId = () => crypto.randomUUID();

/**
 * Adds URIs not already present (same URI, or same secret and names), at the end: the list
 * keeps the user's order. Returns how many were new; their ids are pushed to `ids`. `sites`
 * (host names, lib/sites.js) are given to the new accounts: the site a QR code was scanned on;
 * `sitesFor(uri)`, when it gives a list, overrides them per account (a backup's sites).
 */
export function merge(accounts, uris, { sites = [], ids = [], sitesFor = () => undefined } = {}) {
  const seen = new Set(accounts.map((a) => canonical(a.uri)));
  let added = 0;
  for (const uri of uris) {
    const key = canonical(uri);
    if (seen.has(key)) continue;
    seen.add(key);
    const id = newId();
    const own = sitesFor(uri) ?? sites;
    accounts.push({ id, uri: buildUri(parseUri(uri)), ...(own.length ? { sites: [...own] } : {}) });
    ids.push(id);
    added += 1;
  }
  return added;
}

function canonical(uri) {
  const { secret, issuer, account, type } = parseUri(uri);
  return JSON.stringify([type, secret, issuer ?? "", account]);
}

/** The URI with new names, or a new HOTP counter: rebuilt by twofa, never edited as text. */
export function rewrite(uri, patch) {
  const parsed = parseUri(uri);
  const next = { ...parsed, ...patch };
  if (next.issuer === "") delete next.issuer;
  return buildUri(next);
}

/**
 * The accounts in texts (what a scan read, or a pasted link): otpauth:// URIs, and the
 * accounts of Google Authenticator migration links, with the QR codes of a multi-code
 * export that are missing. What cannot be used goes into `skipped`, as sentences, never by its text,
 * which may hold a secret. Texts that are neither kind are skipped silently. (Files and
 * pasted exports on the options page go through twofa/import: lib/import.js.)
 */
export function urisFrom(texts) {
  const uris = [];
  const skipped = [];
  const batches = new Batches();
  for (const text of texts) {
    try {
      if (isMigration(text)) {
        const batch = parseMigrationUri(text);
        batches.add(batch);
        for (const a of batch.accounts) uris.push(buildUri(a));
        for (const w of batch.warnings) skipped.push(sentence(w.message));
      } else if (isOtpauth(text)) {
        uris.push(buildUri(parseUri(text)));
      }
    } catch (err) {
      skipped.push(sentence(err.message));
    }
  }
  skipped.push(...batches.missing());
  return { uris, skipped };
}

/**
 * The QR codes of Google Authenticator exports seen, by batch: an export of many accounts
 * spans several codes, and one that was not read means accounts left behind.
 */
class Batches {
  #seen = new Map();

  add({ batchId, batchSize, batchIndex }) {
    if (batchSize <= 1) return;
    const entry = this.#seen.get(batchId) ?? { size: batchSize, indexes: new Set() };
    entry.indexes.add(batchIndex);
    this.#seen.set(batchId, entry);
  }

  /** "QR codes 2 and 4 of 4 of a Google Authenticator export were not read: scan or import them too." */
  missing() {
    return [...this.#seen.values()].flatMap(({ size, indexes }) => {
      const absent = Array.from({ length: size }, (_, i) => i).filter((i) => !indexes.has(i)).map((i) => i + 1);
      if (!absent.length) return [];
      const list = absent.length === 1 ? String(absent[0]) : t("popupQrListLabel", absent.slice(0, -1).join(", "), absent.at(-1));
      return [t(absent.length === 1 ? "popupQrMissingOne" : "popupQrMissingOther", list, size)];
    });
  }
}

/** A list of reasons (sentences), short enough for a message: the first five, then a count. */
export function summary(skipped) {
  const shown = skipped.slice(0, 5).join(" ");
  return skipped.length > 5 ? `${shown} ${plural("popupMoreReasons", skipped.length - 5)}` : shown;
}

// --- Accounts an import added ---------------------------------------------------------------
// An import on the options page adds accounts while the popup is closed. Their ids (random,
// no secret) wait in chrome.storage.session, key "added", until the popup opens: it marks
// them and shows the first, as it does for an account added in the popup.
const ADDED = "added";

/** Keeps the ids of accounts an import added, for the popup. */
export const noteAdded = (ids) => (ids.length ? chrome.storage.session.set({ [ADDED]: ids }) : undefined);

/** The ids of accounts added since the popup was last open, forgotten once read. */
export async function takeAdded() {
  const { [ADDED]: ids = [] } = await chrome.storage.session.get(ADDED);
  if (ids.length) await chrome.storage.session.remove(ADDED);
  return ids;
}
