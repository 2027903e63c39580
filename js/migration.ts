// The `twofa/migration` entry: Google Authenticator exports (`otpauth-migration://`) read
// and written. Every rule is in Rust (src/wasm/migration.rs).

import initWasm, * as glue from "./glue/migration.js";
import type { MigrationBatch, MigrationExport } from "./glue/migration.js";
import { readAccount, sendAccounts } from "./account.js";
import { bad, items, Module, record, str } from "./runtime.js";
import type { InitInput, Instance, ModuleSource } from "./runtime.js";
import type { AccountOptions } from "./account.js";

/**
 * An account as `buildMigrationUris` takes it: as `buildUri` takes it, with the secret as
 * base32 text (a `Secret` of the `twofa` entry cannot cross into this module; pass
 * `secret.toBase32()`). `parseUri` and `parseMigrationUri` results work as they are.
 */
export type MigrationAccountOptions = AccountOptions<string>;

export type {
  Account,
  AccountFields,
  AccountWarning,
  Algorithm,
  ErrorCode,
  HotpAccount,
  MigrationAccount,
  MigrationBatch,
  MigrationExport,
  TotpAccount,
  Warning,
  WarningCode,
} from "./glue/migration.js";

const wasm = new Module(glue, "twofa/migration");


/** What `init` and `initSync` resolve to: the module's memory, for inspection. */
export type { InitInput, Instance, ModuleSource };

/**
 * Loads the WebAssembly module; call it once before anything else in a browser (Node needs
 * no init). Without an argument it fetches `migration_bg.wasm` from beside this file.
 */
export default async function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<Instance> {
  return wasm.loaded(await initWasm(options));
}

/** Loads the module from its bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(options: { module: ModuleSource }): Instance {
  return wasm.loaded(glue.initSync(options));
}

/**
 * Reads a Google Authenticator export (`otpauth-migration://offline?data=…`). Accounts
 * twofa cannot use are left out with an `UNSUPPORTED_ACCOUNT` warning. Throws
 * `INVALID_MIGRATION` (naming the byte offset of a malformed payload) or `INVALID_URI`.
 *
 * ```js
 * const { accounts, warnings } = parseMigrationUri(scannedText);
 * ```
 */
export function parseMigrationUri(uri: string): MigrationBatch {
  return wasm.guard(() => record<MigrationBatch>(wasm.read(wasm.check(glue.parse_migration_uri(wasm.text(str(uri, "uri")))))));
}

/** The most accounts one export takes. */
const MAX_ACCOUNTS = 10_000;

/**
 * Encodes accounts (each as `buildUri` takes them, such as `parseUri` or
 * `parseMigrationUri` results) as Google Authenticator export URIs, in batches small
 * enough for a QR code each. Secrets are base32 text: a `Secret` of the `twofa` entry
 * cannot cross into this module (pass `secret.toBase32()`). An account the format cannot
 * carry exactly (a period other than 30, digits other than 6 or 8, Steam) is left out with
 * an `UNREPRESENTABLE_ACCOUNT` warning, never changed. Throws what `buildUri` throws,
 * prefixed with the account's index.
 *
 * ```js
 * const { uris, warnings } = buildMigrationUris(accounts);
 * for (const uri of uris) showQrCode(uri);
 * ```
 */
export function buildMigrationUris(accounts: readonly MigrationAccountOptions[]): MigrationExport {
  return wasm.guard(() => {
    const list = items(accounts, "accounts", MAX_ACCOUNTS);
    sendAccounts(wasm, list, glue.migration_begin, (options) => {
      const a = readAccount(options, "account", undefined);
      if (typeof a.secret !== "string") bad("secretText");
      const [s, alg, cd, enc, iss, acc, img] = wasm.input([a.secret, ...a.texts]);
      wasm.check(glue.migration_add(a.hotp, s!, alg!, a.digits, a.period, a.counter, cd!, enc!, iss!, acc!, img!));
    });
    return record<MigrationExport>(wasm.read(wasm.check(glue.migration_finish())));
  });
}
