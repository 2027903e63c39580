// The accounts and where they live.
//
// chrome.storage.local, key "twofa" (the format is in www/extension/README.md):
//   { format: "twofa-extension", version: 1, vault: "$twofa-vault$v=2$…" }   with a passphrase (v=1: sealed before vault version 2)
//   { format: "twofa-extension", version: 1, plain: { accounts: [...] } }     without one
// The vault seals the same `{ accounts }` JSON with twofa's VaultKey (Argon2id and
// XChaCha20-Poly1305). chrome.storage.session, which the browser keeps in memory only,
// holds the unlocked key ("unlocked") and, apart, the time of the last activity
// ("activity"), so the vault stays unlocked across popup openings until it locks.
// Every change runs under one Web Lock, shared by the popup and the options page, so a
// lock, a save and a passphrase change never interleave, and each change reads the data as
// stored at that moment: a change made in another window is never overwritten by an older
// copy.
import { VaultKey } from "../shared/twofa/vault.js";
import { failure } from "./i18n.js";
import { ACTIVITY, DEFAULTS, LOCAL, SESSION, SETTINGS, b64, exclusive, expired, readSession, settings, unb64 } from "./session.js";

export { DEFAULTS, settings };
/** The shortest passphrase accepted, in characters (code points) of its NFC form. */
export const MIN_PASSPHRASE = 8;
/**
 * The most work a vault may ask of this browser: 4 times the memory the extension seals
 * with (64 MiB), and about 2.7 times its passes (3). It applies to the stored vault and to
 * imported backups alike, so neither a stored record nor a file can make a page allocate
 * gigabytes or stall: a dearer one is refused before any key is derived.
 */
export const VAULT_LIMITS = Object.freeze({ maxMemoryKib: 256 * 1024, maxIterations: 8 });

/**
 * A passphrase as the vault reads it: twofa stretches the NFC form (src/vault.rs), so an
 * "é" typed as one character or as "e" and an accent is the same passphrase.
 */
export const normalised = (passphrase) => passphrase.normalize("NFC");
/** A passphrase's length as a person counts it: the code points of its NFC form. */
export const characters = (passphrase) => [...normalised(passphrase)].length;

async function readLocal() {
  const { [LOCAL]: data } = await chrome.storage.local.get(LOCAL);
  if (!data) return { format: "twofa-extension", version: 1, plain: { accounts: [] } };
  if (data.format !== "twofa-extension" || data.version !== 1) throw failure("commonNewerData");
  return data;
}

/** Changes the settings under the lock, on the settings as stored now: another window's change stays. */
export function saveSettings(patch) {
  return exclusive(async () => {
    await chrome.storage.local.set({ [SETTINGS]: { ...(await settings()), ...patch } });
  });
}

/**
 * Forgets the session key when `stale(session, activity)` still holds once under the lock
 * (`held`: the caller holds it already): an unlock made meanwhile, in another window, is
 * not undone by what this page read before it.
 */
async function forget(stale, held) {
  const run = async () => {
    const { session, at } = await readSession();
    if (session && (await stale(session, at))) await chrome.storage.session.remove([SESSION, ACTIVITY]);
  };
  await (held ? run() : exclusive(run));
}

/** The session key, unless auto-lock has passed; `null` when locked. */
async function sessionKey(held) {
  const { session, at } = await readSession();
  if (!session) return null;
  if (await expired(at)) {
    await forget((_, now) => expired(now), held);
    return null;
  }
  return VaultKey.fromBytes(unb64(session.key));
}

/**
 * The key `passphrase` derives for `vault`, under VAULT_LIMITS. A vault that asks for more,
 * or is not a vault, throws VAULT_REFUSED before any work is done; a wrong passphrase
 * throws twofa's WRONG_PASSPHRASE. The caller frees the key.
 */
function keyFor(passphrase, vault) {
  let key;
  try {
    key = VaultKey.unlock(passphrase, vault, VAULT_LIMITS);
  } catch (err) {
    throw err.code === "INVALID_VAULT" ? Object.assign(failure("guardVaultRefused", VAULT_LIMITS.maxMemoryKib / 1024, VAULT_LIMITS.maxIterations), { code: "VAULT_REFUSED" }) : err;
  }
  try {
    key.open(vault); // proves the passphrase
  } catch (err) {
    key.free();
    throw err.code === "INVALID_VAULT" ? Object.assign(failure("guardVaultDamaged"), { code: "VAULT_REFUSED" }) : err;
  }
  return key;
}

/**
 * Checks `passphrase` against the stored vault (re-authentication before an export): it
 * resolves when it opens the vault, and throws WRONG_PASSPHRASE or VAULT_REFUSED
 * otherwise. With no passphrase set there is nothing to check, and it resolves; with one
 * set since the page looked (`passphrase` undefined), it throws REAUTH.
 */
export async function checkPassphrase(passphrase) {
  const { vault } = await readLocal();
  if (!vault) return;
  if (passphrase === undefined) throw Object.assign(failure("guardSetElsewhere"), { code: "REAUTH" });
  keyFor(passphrase, vault).free();
}

/**
 * Records activity: the auto-lock counts from the last one. Only the time is written,
 * never the key, so a lock that happens meanwhile stays locked.
 */
export async function touch() {
  await chrome.storage.session.set({ [ACTIVITY]: Date.now() });
}

async function keep(key) {
  await chrome.storage.session.set({ [SESSION]: { key: b64(key.toBytes()) }, [ACTIVITY]: Date.now() });
}

/**
 * Where things stand: `{ encrypted, locked, accounts }`; `accounts` is null while locked.
 */
export const status = () => state(false);

/** `status()`; `held` when the caller holds the lock. */
async function state(held) {
  const data = await readLocal();
  if (!data.vault) return { encrypted: false, locked: false, accounts: data.plain?.accounts ?? [] };
  const key = await sessionKey(held);
  if (!key) return { encrypted: true, locked: true, accounts: null };
  try {
    return { encrypted: true, locked: false, accounts: JSON.parse(key.open(data.vault)).accounts };
  } catch {
    // A session key that does not open the vault (it changed elsewhere): locked, and the
    // passphrase decides. Checked again under the lock: a passphrase change under way
    // writes the vault, then its key.
    await forget(async (session) => {
      const now = await readLocal().catch(() => null);
      if (!now?.vault) return false;
      const current = VaultKey.fromBytes(unb64(session.key));
      try {
        current.open(now.vault);
        return false;
      } catch {
        return true;
      } finally {
        current.free();
      }
    }, held);
    return { encrypted: true, locked: true, accounts: null };
  } finally {
    key.free();
  }
}

/**
 * Unlocks with the passphrase: throws twofa's WRONG_PASSPHRASE, or VAULT_REFUSED for a
 * stored vault that asks for more than VAULT_LIMITS, and changes nothing then.
 */
export function unlock(passphrase) {
  return exclusive(async () => {
    const data = await readLocal();
    if (!data.vault) return;
    const key = keyFor(passphrase, data.vault);
    try {
      await keep(key);
    } finally {
      key.free();
    }
  });
}

export function lock() {
  return exclusive(() => chrome.storage.session.remove([SESSION, ACTIVITY]));
}

/** Stores the accounts, sealed under the session key when a passphrase is set. Call it under the lock. */
async function save(accounts) {
  const data = await readLocal();
  if (!data.vault) {
    await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, plain: { accounts } } });
    return;
  }
  const key = await sessionKey(true);
  if (!key) throw Object.assign(failure("commonVaultLocked"), { code: "LOCKED" });
  try {
    const vault = key.seal(JSON.stringify({ accounts }));
    await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, vault } });
  } finally {
    key.free();
  }
  await touch();
}

/**
 * Sets or changes the passphrase: a new salt and key, and the accounts sealed under it.
 * `change(accounts)`, when given, edits the list first (as `update` does) and its result
 * is returned: accounts restored from an encrypted export go straight into the vault, and
 * are never written unencrypted. Changing it needs the `current` passphrase
 * (`checkPassphrase`'s errors otherwise, and nothing is written).
 */
export function setPassphrase(passphrase, change = () => undefined, { current } = {}) {
  if (characters(passphrase) < MIN_PASSPHRASE) throw Object.assign(failure("optionsMinLength", MIN_PASSPHRASE), { code: "SHORT" });
  return exclusive(async () => {
    await checkPassphrase(current); // under the lock: on the vault as stored now
    const { accounts, locked } = await state(true);
    if (locked) throw Object.assign(failure("commonVaultLocked"), { code: "LOCKED" });
    const result = change(accounts);
    const key = VaultKey.derive(passphrase);
    try {
      const vault = key.seal(JSON.stringify({ accounts }));
      // One write: the old vault is replaced whole, or not at all.
      await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, vault } });
      await keep(key);
    } finally {
      key.free();
    }
    return result;
  });
}

/** Removes the passphrase, given the `current` one: the accounts are stored unencrypted again. */
export function removePassphrase({ current } = {}) {
  return exclusive(async () => {
    await checkPassphrase(current); // under the lock: on the vault as stored now
    const { accounts, locked } = await state(true);
    if (locked) throw Object.assign(failure("commonVaultLocked"), { code: "LOCKED" });
    await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, plain: { accounts } } });
    await chrome.storage.session.remove([SESSION, ACTIVITY]);
  });
}

/**
 * Changes the accounts under the lock: `change(accounts)` edits the list as stored now,
 * not a copy another page may have outdated, and returns what to report.
 */
export function update(change) {
  return exclusive(async () => {
    const { accounts, locked } = await state(true);
    if (locked) throw Object.assign(failure("commonVaultLocked"), { code: "LOCKED" });
    const result = change(accounts);
    await save(accounts);
    return { accounts, result };
  });
}

/** The stored vault line, for an encrypted backup in the vault's own format. */
export async function sealedVault() {
  return (await readLocal()).vault ?? null;
}

export function clearAll() {
  return exclusive(async () => {
    await chrome.storage.local.clear();
    await chrome.storage.session.clear();
  });
}
