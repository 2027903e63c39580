// The `twofa/vault` entry: an encrypted vault for an authenticator's accounts (Argon2id and
// XChaCha20-Poly1305). Every rule is in Rust (src/wasm/vault.rs, src/vault.rs).

import initWasm, * as glue from "./glue/vault.js";
import { bad, badAt, finalizer, loneSurrogate, Module, num, read, str, view } from "./runtime.js";
import type { InitInput, Instance, ModuleSource } from "./runtime.js";

export type { ErrorCode } from "./glue/vault.js";

const wasm = new Module(glue, "twofa/vault");


/** What `init` and `initSync` resolve to: the module's memory, for inspection. */
export type { InitInput, Instance, ModuleSource };

/**
 * Loads the WebAssembly module; call it once before anything else in a browser (Node needs
 * no init). Without an argument it fetches `vault_bg.wasm` from beside this file.
 */
export default async function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<Instance> {
  return wasm.loaded(await initWasm(options));
}

/** Loads the module from its bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(options: { module: ModuleSource }): Instance {
  return wasm.loaded(glue.initSync(options));
}

/**
 * Argon2id's cost for `VaultKey.derive`: memory in KiB (7168 to 1048576, default 65536)
 * and passes (1 to 16, default 3), with memory times passes at least 35840 KiB (OWASP's
 * cheapest settings: `{ memoryKib: 7168, iterations: 5 }` up to `{ memoryKib: 47104, iterations: 1 }`).
 */
export interface VaultCost {
  memoryKib?: number | undefined;
  iterations?: number | undefined;
}

/** The most work a vault from elsewhere may ask `VaultKey.unlock` for. */
export interface VaultLimits {
  maxMemoryKib?: number | undefined;
  maxIterations?: number | undefined;
}

/** The longest text sealed or opened: 16 Mi characters, far past any authenticator. */
const MAX_TEXT = 16 << 20;

/**
 * A passphrase: a string of well-formed UTF-16. One with a lone surrogate is refused at
 * its index before it is encoded, where it would become U+FFFD and "\uD800" and "\uDBFF"
 * would be the same passphrase.
 */
function passphraseOf(value: unknown): string {
  const p = str(value, "passphrase");
  const at = loneSurrogate(p);
  if (at >= 0) badAt("passphrase:lone", at);
  return p;
}

const keys = finalizer(glue.vault_free);
const made = Symbol("twofa vault");

/**
 * The handle of a genuine, live `VaultKey`. A method called on anything else throws a
 * TwofaError, not the TypeError a private method would.
 */
let live: (value: unknown) => number;
/** Frees a genuine `VaultKey`; anything else is a Bad. */
let freeKey: (value: unknown) => void;

/**
 * A key derived from a passphrase (Argon2id), that seals and opens the vault
 * (XChaCha20-Poly1305). Free it to lock: the key is zeroed.
 *
 * ```js
 * const key = VaultKey.derive(passphrase);          // new salt; about a second
 * const vault = key.seal(JSON.stringify(accounts)); // "$twofa-vault$v=2$argon2id$..."
 * key.free();
 * const again = VaultKey.unlock(passphrase, vault);
 * const accounts = JSON.parse(again.open(vault));   // WRONG_PASSPHRASE if it is not
 * ```
 */
export class VaultKey {
  #h = 0;

  /** Keys come from `VaultKey.derive`, `VaultKey.unlock` or `VaultKey.fromBytes`. */
  private constructor(token: symbol, handle: number) {
    if (token !== made) wasm.guard(() => bad("VaultKey"));
    this.#h = handle;
    keys.register(this, handle, this);
  }

  /**
   * Derives a key from `passphrase`, normalised to NFC, with a new random salt, at
   * `memoryKib` (default 65536, 64 MiB) and `iterations` (default 3). The key seals
   * version 2 vaults. Throws `INVALID_OPTIONS` (a passphrase that is not a string, is
   * longer than 1024 characters or has a lone surrogate), `INVALID_VAULT` (a cost below
   * the floor or above the ceiling) or `ENTROPY_UNAVAILABLE`.
   *
   * ```js
   * VaultKey.derive("caf\u00e9", { memoryKib: 8 });
   * // TwofaError INVALID_VAULT: "invalid vault: m must be from 7168 to 1048576 KiB"
   * VaultKey.derive("\uD800x");
   * // TwofaError INVALID_OPTIONS: "passphrase has a lone surrogate at utf-16 index 0: it must be well-formed text"
   * ```
   */
  static derive(passphrase: string, options?: VaultCost): VaultKey {
    return new VaultKey(
      made,
      wasm.guard(() => {
        const p = passphraseOf(passphrase);
        const o = read(options, ["memoryKib", "iterations"] as const, "derive");
        return wasm.check(glue.vault_derive(wasm.text(p), num(o.memoryKib, "memoryKib:number"), num(o.iterations, "iterations:number")));
      }),
    );
  }

  /**
   * Derives the key a sealed vault names (its version, salt and cost) from `passphrase`. A
   * wrong passphrase shows at `open`. A version 2 vault reads the passphrase as NFC; a
   * version 1 vault (sealed before NFC) as typed, exactly as it was sealed. `limits` caps
   * the cost a vault from elsewhere (an imported backup) may ask for, so a crafted file
   * cannot stall the page; a vault asking for less than the floor is refused too. Throws
   * `INVALID_VAULT` or `INVALID_OPTIONS` (as `derive`).
   */
  static unlock(passphrase: string, vault: string, limits?: VaultLimits): VaultKey {
    return new VaultKey(
      made,
      wasm.guard(() => {
        const p = passphraseOf(passphrase);
        const v = str(vault, "vault", MAX_TEXT);
        const o = read(limits, ["maxMemoryKib", "maxIterations"] as const, "unlock");
        const [a, b] = wasm.input([p, v]);
        return wasm.check(glue.vault_unlock(a!, b!, num(o.maxMemoryKib, "maxMemoryKib:number"), num(o.maxIterations, "maxIterations:number")));
      }),
    );
  }

  /**
   * A key from `toBytes()` (57 bytes, or the 56 of a key kept before version 2): the vault
   * stays unlocked across a reload without the passphrase. Throws `INVALID_VAULT`.
   */
  static fromBytes(bytes: Uint8Array): VaultKey {
    return new VaultKey(
      made,
      wasm.guard(() => {
        const v = view(bytes, "bytes:bytes");
        const copy = v.length <= 64 ? v.slice() : new Uint8Array(0);
        try {
          return wasm.check(glue.vault_from_bytes(wasm.input([copy])[0]!));
        } finally {
          copy.fill(0);
        }
      }),
    );
  }

  /**
   * The key, salt, cost and the versions it opens as 57 bytes. They open the vault without
   * the passphrase: keep them only where locking clears them.
   */
  toBytes(): Uint8Array {
    return wasm.guard(() => wasm.bytes(wasm.check(glue.vault_to_bytes(live(this)))));
  }

  /**
   * Seals `text` under this key with a new random nonce, in the key's `version`. Throws
   * `INVALID_OPTIONS` or `ENTROPY_UNAVAILABLE`.
   */
  seal(text: string): string {
    return wasm.guard(() => wasm.read(wasm.check(glue.vault_seal(live(this), wasm.text(str(text, "text", MAX_TEXT))))));
  }

  /**
   * Opens a vault sealed under this key; a version 2 vault's key commitment is checked
   * first. Throws `WRONG_PASSPHRASE` (a wrong passphrase, a vault committed to another key,
   * or a vault that was changed) or `INVALID_VAULT`.
   */
  open(vault: string): string {
    return wasm.guard(() => wasm.read(wasm.check(glue.vault_open(live(this), wasm.text(str(vault, "vault", MAX_TEXT))))));
  }

  /** Argon2id's memory for this key, in KiB. */
  get memoryKib(): number {
    return Math.floor(wasm.guard(() => wasm.check(glue.vault_params(live(this)))) / 64);
  }

  /**
   * The version `seal` writes: 2, or 1 for a key unlocked from a version 1 vault whose
   * passphrase is not in NFC (so the vault keeps opening as typed; a key from `derive`
   * moves it to version 2).
   */
  get version(): 1 | 2 {
    return wasm.guard(() => wasm.check(glue.vault_params(live(this)))) % 64 >= 32 ? 2 : 1;
  }

  /** Argon2id's passes for this key. */
  get iterations(): number {
    return wasm.guard(() => wasm.check(glue.vault_params(live(this)))) % 32;
  }

  /** Zeroes the key now: the vault is locked. Calling it again does nothing. */
  free(): void {
    wasm.guard(() => freeKey(this));
  }

  /** `using key = VaultKey.unlock(...)` locks at the end of the block. */
  [Symbol.dispose](): void {
    wasm.guard(() => freeKey(this));
  }

  static {
    const isKey = (value: unknown): value is VaultKey => typeof value === "object" && value !== null && #h in value;
    live = (value) => (isKey(value) ? value.#h || wasm.freed() : bad("VaultKey"));
    freeKey = (value) => {
      if (!isKey(value)) bad("VaultKey");
      const h = value.#h;
      value.#h = 0;
      if (h) {
        keys.unregister(value);
        glue.vault_free(h);
      }
    };
  }
}
