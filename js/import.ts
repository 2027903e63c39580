// The `twofa/import` entry: other authenticators' exports read (the format found from the
// content), and Aegis exports written. Every rule is in Rust (src/wasm/import.rs,
// src/transfer/import/).

import initWasm, * as glue from "./glue/import.js";
import type { ImportResult } from "./glue/import.js";
import { readAccount, sendAccounts } from "./account.js";
import type { AccountOptions } from "./account.js";
import { bad, badAt, items, loneSurrogate, Module, num, optString, read, record, view } from "./runtime.js";
import type { InitInput, Instance, ModuleSource } from "./runtime.js";

export type {
  Account,
  AccountFields,
  AccountWarning,
  Algorithm,
  ErrorCode,
  HotpAccount,
  ImportedAccount,
  ImportFormat,
  ImportResult,
  TotpAccount,
  Warning,
  WarningCode,
} from "./glue/import.js";

const wasm = new Module(glue, "twofa/import");

/** What `init` and `initSync` resolve to: the module's memory, for inspection. */
export type { InitInput, Instance, ModuleSource };

/**
 * Loads the WebAssembly module; call it once before anything else in a browser (Node needs
 * no init). Without an argument it fetches `import_bg.wasm` from beside this file.
 */
export default async function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<Instance> {
  return wasm.loaded(await initWasm(options));
}

/** Loads the module from its bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(options: { module: ModuleSource }): Instance {
  return wasm.loaded(glue.initSync(options));
}

/** What `importAccounts` takes besides the export. */
export interface ImportOptions {
  /** The password of an encrypted export; ignored for a plain one. At most 1024 characters. */
  password?: string | undefined;
  /**
   * The most memory a file's key derivation (Argon2id, scrypt) may ask for, in MiB: a whole
   * number from 1 to 1024 (the default, what Ente's "sensitive" setting asks). A file asking
   * for more is refused with `IMPORT_LIMIT` before any work.
   */
  maxMemoryMiB?: number | undefined;
}

/**
 * An account as `exportAegis` takes it: as `buildUri` takes it, with the secret as base32
 * text (a `Secret` of the `twofa` entry cannot cross into this module; pass
 * `secret.toBase32()`), and optionally the entry's `name` as `importAccounts` gives it.
 * `importAccounts`, `parseUri` and `parseMigrationUri` results work as they are.
 */
export type AccountInput = AccountOptions<string> & {
  /**
   * The entry's name in the app it came from, at most 65536 characters. Aegis names an
   * entry by its account, so the account is what an Aegis export writes; reading the
   * export back gives the account as the name.
   */
  name?: string | undefined;
};

/** What `exportAegis` takes besides the accounts. */
export interface ExportOptions {
  /**
   * Encrypts the export with this password, as Aegis does (a scrypt key slot, N = 2^15,
   * and AES-256-GCM); without one the export is plain JSON. At most 1024 characters.
   */
  password?: string | undefined;
}

/** The largest export read, in bytes (`MAX_IMPORT_LEN`): Aegis files with icons run to megabytes. */
const MAX_IMPORT_LEN = 32 << 20;
/** Text up to this many UTF-16 units goes straight into the input buffer (three bytes a unit at most). */
const DIRECT_UNITS = 16 << 20;
/** The most accounts one Aegis export takes. */
const MAX_ACCOUNTS = 10_000;

const encoder = new TextEncoder();

/** A password option: a string of well-formed UTF-16, or `undefined`. */
function passwordOf(value: unknown): string | undefined {
  const p = optString(value, "password");
  if (p === undefined) return undefined;
  const at = loneSurrogate(p);
  if (at >= 0) badAt("password:lone", at);
  return p;
}

/**
 * Reads an export of another authenticator: otpauth:// text, Google Authenticator
 * `otpauth-migration://` links, Aegis, 2FAS, Bitwarden, Ente Auth, Proton, andOTP and the
 * others of the README's table, plain or encrypted. The format is found from the content,
 * never from a file name: pass the file's bytes (or its text). Every entry becomes an
 * account or a warning naming its `index`; nothing is dropped silently, and no warning or
 * error shows a secret.
 *
 * Throws `PASSWORD_REQUIRED` for an encrypted export without `password` (naming the app,
 * before any key derivation), `WRONG_PASSWORD`, `UNSUPPORTED_FORMAT` (saying what the
 * input looks like), `INVALID_IMPORT` (a known format, malformed), `IMPORT_LIMIT` (over
 * 32 MiB, 10000 entries, or a key derivation dearer than the limits) or `INVALID_OPTIONS`.
 *
 * ```js
 * import { importAccounts } from "twofa/import";
 *
 * const bytes = new Uint8Array(await file.arrayBuffer());
 * try {
 *   const { format, accounts, warnings } = importAccounts(bytes, { password });
 *   // format: "aegis-encrypted"; accounts[0]: { type: "totp", secret, issuer, account, name, index, … }
 *   for (const w of warnings) console.log(`entry ${w.index}: ${w.message}`);
 * } catch (err) {
 *   if (err.code === "PASSWORD_REQUIRED") askForThePassword(err.message);
 *   // "the Aegis export is encrypted: give its password"
 * }
 *
 * importAccounts("otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME").accounts[0].account;
 * // "ada"
 * ```
 */
export function importAccounts(input: string | Uint8Array, options?: ImportOptions): ImportResult {
  return wasm.guard(() => {
    const o = read(options, ["password", "maxMemoryMiB"] as const, "options");
    const password = passwordOf(o.password);
    const maxMemoryMiB = num(o.maxMemoryMiB, "maxMemoryMiB:number");
    let bytes: Uint8Array;
    let copy: Uint8Array | undefined;
    if (typeof input === "string") {
      // Each unit is at least a byte: text longer than the limit is refused by its length.
      if (input.length > MAX_IMPORT_LEN) badAt("importInput", input.length);
      // Text goes straight into the input buffer, which makes room for three bytes a
      // unit; longer text is encoded here first (and the copy zeroed after).
      if (input.length <= DIRECT_UNITS) {
        const [a, b] = wasm.input([input, password]);
        return record<ImportResult>(wasm.read(wasm.check(glue.import_accounts(a!, b!, maxMemoryMiB))));
      }
      bytes = copy = encoder.encode(input);
    } else {
      bytes = view(input, "importInput");
    }
    try {
      if (bytes.length > MAX_IMPORT_LEN) badAt("importInput", bytes.length);
      const [a, b] = wasm.input([bytes, password]);
      return record<ImportResult>(wasm.read(wasm.check(glue.import_accounts(a!, b!, maxMemoryMiB))));
    } finally {
      copy?.fill(0);
    }
  });
}

/**
 * Writes accounts as an Aegis JSON export, the format most authenticators read: plain, or
 * encrypted with `password` as Aegis encrypts (scrypt, AES-256-GCM). `importAccounts` reads
 * it back into the same accounts. Secrets are base32 text (pass `secret.toBase32()` for a
 * `Secret`). Throws what `buildUri` throws, prefixed with the account's index, or
 * `INVALID_OPTIONS`, or `ENTROPY_UNAVAILABLE`.
 *
 * ```js
 * import { exportAegis, importAccounts } from "twofa/import";
 *
 * const json = exportAegis([{ secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer: "ACME", account: "ada", name: "ACME" }], { password });
 * const { format, accounts } = importAccounts(json, { password });
 * // format: "aegis-encrypted"; accounts[0].account: "ada"
 * ```
 */
export function exportAegis(accounts: readonly AccountInput[], options?: ExportOptions): string {
  return wasm.guard(() => {
    const list = items(accounts, "accounts", MAX_ACCOUNTS);
    const o = read(options, ["password"] as const, "options");
    const password = passwordOf(o.password);
    sendAccounts(wasm, list, glue.aegis_export_begin, (entry) => {
      const a = readAccount(entry, "account", undefined);
      const name = optString(read(entry, ["name"] as const, "account").name, "name");
      if (typeof a.secret !== "string") bad("secretText");
      const [s, alg, cd, enc, iss, acc, img, nm] = wasm.input([a.secret, ...a.texts, name]);
      wasm.check(glue.aegis_export_add(a.hotp, s!, alg!, a.digits, a.period, a.counter, cd!, enc!, iss!, acc!, img!, nm!));
    });
    return wasm.read(wasm.check(glue.aegis_export_finish(wasm.input([password])[0]!)));
  });
}
