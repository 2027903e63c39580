// The accounts and where they live.
//
// chrome.storage.local, key "twofa" (the format is in www/extension/README.md):
//   { format: "twofa-extension", version: 1, vault: "$twofa-vault$v=1$…" }   with a passphrase
//   { format: "twofa-extension", version: 1, plain: { accounts: [...] } }     without one
// The vault seals the same `{ accounts }` JSON with twofa's VaultKey (Argon2id and
// XChaCha20-Poly1305). chrome.storage.session, which the browser keeps in memory only,
// holds the unlocked key and the time of the last activity, so the vault stays unlocked
// across popup openings until it locks.
import "./boot.js";
import { VaultKey } from "../twofa/twofa.js";

const LOCAL = "twofa";
const SESSION = "unlocked";
const SETTINGS = "settings";
export const DEFAULTS = { theme: "system", autoLockMinutes: 15 };
/** The shortest passphrase accepted. */
export const MIN_PASSPHRASE = 8;

const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function readLocal() {
  const { [LOCAL]: data } = await chrome.storage.local.get(LOCAL);
  if (!data) return { format: "twofa-extension", version: 1, plain: { accounts: [] } };
  if (data.format !== "twofa-extension" || data.version !== 1) throw new Error("the stored data is of a newer version of twofa");
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
  const { [SESSION]: session } = await chrome.storage.session.get(SESSION);
  if (!session) return null;
  const { autoLockMinutes } = await settings();
  if (autoLockMinutes > 0 && Date.now() - session.at > autoLockMinutes * 60_000) {
    await lock();
    return null;
  }
  return VaultKey.fromBytes(unb64(session.key));
}

/** Records activity: the auto-lock counts from the last one. */
export async function touch() {
  const { [SESSION]: session } = await chrome.storage.session.get(SESSION);
  if (session) await chrome.storage.session.set({ [SESSION]: { ...session, at: Date.now() } });
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
  } finally {
    key.free();
  }
}

/** Unlocks with the passphrase: throws twofa's WRONG_PASSPHRASE and changes nothing then. */
export async function unlock(passphrase) {
  const data = await readLocal();
  if (!data.vault) return;
  const key = VaultKey.unlock(passphrase, data.vault);
  try {
    key.open(data.vault); // proves the passphrase before anything is kept
    await chrome.storage.session.set({ [SESSION]: { key: b64(key.toBytes()), at: Date.now() } });
  } finally {
    key.free();
  }
}

export async function lock() {
  await chrome.storage.session.remove(SESSION);
}

/** Stores the accounts: sealed under the session key when a passphrase is set. */
export async function saveAccounts(accounts) {
  const data = await readLocal();
  if (!data.vault) {
    await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, plain: { accounts } } });
    return;
  }
  const key = await sessionKey();
  if (!key) throw Object.assign(new Error("the vault is locked"), { code: "LOCKED" });
  try {
    const vault = key.seal(JSON.stringify({ accounts }));
    await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, vault } });
    await touch();
  } finally {
    key.free();
  }
}

/** Sets or changes the passphrase: a new salt and key, and the accounts sealed under it. */
export async function setPassphrase(passphrase) {
  if (passphrase.length < MIN_PASSPHRASE) throw Object.assign(new Error(`use at least ${MIN_PASSPHRASE} characters`), { code: "SHORT" });
  const { accounts, locked } = await status();
  if (locked) throw Object.assign(new Error("the vault is locked"), { code: "LOCKED" });
  const key = VaultKey.derive(passphrase);
  try {
    const vault = key.seal(JSON.stringify({ accounts }));
    // One write: the old vault is replaced whole, or not at all.
    await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, vault } });
    await chrome.storage.session.set({ [SESSION]: { key: b64(key.toBytes()), at: Date.now() } });
  } finally {
    key.free();
  }
}

/** Removes the passphrase: the accounts are stored unencrypted again. */
export async function removePassphrase() {
  const { accounts, locked } = await status();
  if (locked) throw Object.assign(new Error("the vault is locked"), { code: "LOCKED" });
  await chrome.storage.local.set({ [LOCAL]: { format: "twofa-extension", version: 1, plain: { accounts } } });
  await lock();
}

/** The stored vault line, for an encrypted backup in the vault's own format. */
export async function sealedVault() {
  return (await readLocal()).vault ?? null;
}

export async function clearAll() {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
}
