// Accounts as the extension keeps them: `{ id, uri }`, in the user's order. Every URI is
// read and written by twofa (parseUri, buildUri); imports of other apps' formats become
// URIs here.
import "./boot.js";
import { VaultKey, buildUri, parseMigrationUri, parseUri } from "../twofa/twofa.js";

export const newId = () => crypto.randomUUID();

/** A name for lists and labels: "ACME Co: ada@example.com". */
export function nameOf(parsed) {
  return [parsed.issuer, parsed.account].filter(Boolean).join(": ") || "Unnamed account";
}

/** Adds URIs not already present (same URI, or same secret and names). Returns how many were new. */
export function merge(accounts, uris) {
  const seen = new Set(accounts.map((a) => canonical(a.uri)));
  let added = 0;
  for (const uri of uris) {
    const key = canonical(uri);
    if (seen.has(key)) continue;
    seen.add(key);
    accounts.push({ id: newId(), uri: buildUri(parseUri(uri)) });
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
 * Reads an import: otpauth:// URIs (one a line), Google Authenticator migration links,
 * an Aegis plain JSON export, or a twofa encrypted backup (which needs `passphrase`).
 * Returns `{ uris, skipped: [why...] }`; throws for text that is none of these.
 */
export function readImport(text, { passphrase } = {}) {
  const trimmed = text.trim();
  if (trimmed.startsWith("$twofa-vault$")) {
    if (!passphrase) throw Object.assign(new Error("this is an encrypted twofa backup: enter its passphrase"), { code: "NEEDS_PASSPHRASE" });
    // A backup from elsewhere may not ask for more than 4× the extension's own cost.
    const key = VaultKey.unlock(passphrase, trimmed, { maxMemoryKib: 256 * 1024, maxIterations: 8 });
    try {
      return { uris: JSON.parse(key.open(trimmed)).accounts.map((a) => a.uri), skipped: [] };
    } finally {
      key.free();
    }
  }
  if (trimmed.startsWith("{")) return readAegis(trimmed);
  // One URI a line (a URI may hold raw spaces); a byte-order mark and blank lines are skipped.
  const lines = trimmed.replace(/^\uFEFF/, "").split(/\r?\n/).map((l, i) => [l.trim(), i + 1]).filter(([l]) => l);
  if (lines.length === 0) throw new Error("there is nothing to import");
  const { uris, skipped } = urisFrom(lines.map(([l]) => l), { label: (i) => `line ${lines[i][1]}`, strict: true });
  if (uris.length === 0 && skipped.length) throw new Error(`nothing could be imported: ${skipped[0]}`);
  return { uris, skipped };
}

/**
 * The accounts in texts (import lines, or what a scan read): otpauth:// URIs, and the
 * accounts of Google Authenticator migration links, with the QR codes of a multi-code
 * export that are missing. What cannot be used goes into `skipped`, named by
 * `label(index)` and never by its text, which may hold a secret. Texts that are neither
 * kind are skipped silently, or reported as such when `strict`.
 */
export function urisFrom(texts, { label, strict = false } = {}) {
  const uris = [];
  const skipped = [];
  const batches = new Batches();
  texts.forEach((text, i) => {
    const where = label ? `${label(i)}: ` : "";
    try {
      if (/^otpauth-migration:/i.test(text)) {
        const batch = parseMigrationUri(text);
        batches.add(batch);
        for (const a of batch.accounts) uris.push(buildUri(a));
        for (const w of batch.warnings) skipped.push(`${where}${w.message}`);
      } else if (/^otpauth:/i.test(text)) {
        uris.push(buildUri(parseUri(text)));
      } else if (strict) {
        skipped.push(`${where}not an otpauth:// URI`);
      }
    } catch (err) {
      skipped.push(`${where}${err.message}`);
    }
  });
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

  /** "QR codes 2 and 4 of 4 of a Google Authenticator export were not read". */
  missing() {
    return [...this.#seen.values()].flatMap(({ size, indexes }) => {
      const absent = Array.from({ length: size }, (_, i) => i).filter((i) => !indexes.has(i)).map((i) => i + 1);
      if (!absent.length) return [];
      const list = absent.length === 1 ? `QR code ${absent[0]}` : `QR codes ${absent.slice(0, -1).join(", ")} and ${absent.at(-1)}`;
      return [`${list} of ${size} of a Google Authenticator export ${absent.length === 1 ? "was" : "were"} not read: scan or import ${absent.length === 1 ? "it" : "them"} too`];
    });
  }
}

/** A list of reasons, short enough for a message: the first five, then a count. */
export function summary(skipped) {
  const shown = skipped.slice(0, 5).join("; ");
  return skipped.length > 5 ? `${shown}; and ${skipped.length - 5} more` : shown;
}

/** Aegis's plain (unencrypted) JSON export: `{ db: { entries: [...] } }`. */
function readAegis(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("the file is not JSON");
  }
  if (typeof json.db === "string") throw new Error("this Aegis export is encrypted: export it again without encryption");
  const entries = json?.db?.entries;
  if (!Array.isArray(entries)) throw new Error("the JSON is not an Aegis export");
  const uris = [];
  const skipped = [];
  entries.forEach((e, i) => {
    try {
      if (!e || typeof e !== "object") throw new Error("not an entry");
      const type = e.type === "steam" ? "totp" : e.type;
      if (type !== "totp" && type !== "hotp") throw new Error(`type ${e.type} is not supported`);
      uris.push(buildUri({
        type,
        secret: e.info?.secret,
        issuer: e.issuer || undefined,
        account: e.name ?? "",
        algorithm: e.info?.algo,
        digits: e.type === "steam" ? undefined : e.info?.digits,
        ...(type === "totp" ? { period: e.info?.period } : { counter: e.info?.counter ?? 0 }),
        ...(e.type === "steam" ? { encoder: "steam" } : {}),
      }));
    } catch (err) {
      const name = [e?.issuer, e?.name].filter((x) => typeof x === "string" && x).join(" ");
      skipped.push(`entry ${i + 1}${name ? ` (${name})` : ""}: ${err.message}`);
    }
  });
  return { uris, skipped };
}
