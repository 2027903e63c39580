// Imports on the options page: otpauth:// lists, Google Authenticator links, Aegis plain
// JSON exports and twofa encrypted backups, each read into otpauth:// URIs by twofa.
import { VaultKey } from "../shared/twofa/vault.js";
import { buildUri } from "../shared/twofa/twofa.js";
import { urisFrom } from "./accounts.js";

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
