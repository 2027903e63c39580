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
// lock, a save and a passphrase change never interleave.
import { VaultKey } from "../shared/twofa/vault.js";
import { failure } from "./i18n.js";

const LOCAL = "twofa";
const SESSION = "unlocked";
const ACTIVITY = "activity";
const SETTINGS = "settings";
export const DEFAULTS = { theme: "system", autoLockMinutes: 15 };
/** The shortest passphrase accepted. */
export const MIN_PASSPHRASE = 8;

/** Runs `f` alone: no other store change starts until it ends. */
const exclusive = (f) => navigator.locks.request("twofa-store", f);

const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function readLocal() {
  const { [LOCAL]: data } = await chrome.storage.local.get(LOCAL);
  if (!data) return { format: "twofa-extension", version: 1, plain: { accounts: [] } };
  if (data.format !== "twofa-extension" || data.version !== 1) throw failure("commonNewerData");
  return data;
}

export async function settings() {
  const { [SETTINGS]: s } = await chrome.storage.local.get(SETTINGS);
  return { ...DEFAULTS, ...s };
}

export async function saveSettings(patch) {
  await chrome.storage.local.set({ [SETTINGS]: { ...(await settings()), ...patch } });
}

/** The session key, unless auto-lock has passed; `null` when locked. */
async function sessionKey() {
  const { [SESSION]: session, [ACTIVITY]: at = 0 } = await chrome.storage.session.get([SESSION, ACTIVITY]);
  if (!session) return null;
  const { autoLockMinutes } = await settings();
  if (autoLockMinutes > 0 && Date.now() - at > autoLockMinutes * 60_000) {
    await chrome.storage.session.remove([SESSION, ACTIVITY]);
    return null;
  }
  return VaultKey.fromBytes(unb64(session.key));
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
export async function status() {
  const data = await readLocal();
  if (!data.vault) return { encrypted: false, locked: false, accounts: data.plain?.accounts ?? [] };
  const key = await sessionKey();
  if (!key) return { encrypted: true, locked: true, accounts: null };
  try {
    return { encrypted: true, locked: false, accounts: JSON.parse(key.open(data.vault)).accounts };
  } catch {
    // A session key that does not open the vault (it changed elsewhere): locked, and the
    // passphrase decides.
    await chrome.storage.session.remove([SESSION, ACTIVITY]);
    return { encrypted: true, locked: true, accounts: null };
  } finally {
    key.free();
  }
}

/** Unlocks with the passphrase: throws twofa's WRONG_PASSPHRASE and changes nothing then. */
export function unlock(passphrase) {
  return exclusive(async () => {
    const data = await readLocal();
    if (!data.vault) return;
    const key = VaultKey.unlock(passphrase, data.vault);
    try {
      key.open(data.vault); // proves the passphrase before anything is kept
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
  const key = await sessionKey();
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
 * are never written unencrypted.
 */
export function setPassphrase(passphrase, change = () => undefined) {
  if (passphrase.length < MIN_PASSPHRASE) throw Object.assign(failure("optionsMinLength", MIN_PASSPHRASE), { code: "SHORT" });
  return exclusive(async () => {
    const { accounts, locked } = await status();
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

/** Removes the passphrase: the accounts are stored unencrypted again. */
export function removePassphrase() {
  return exclusive(async () => {
    const { accounts, locked } = await status();
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
    const { accounts, locked } = await status();
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
