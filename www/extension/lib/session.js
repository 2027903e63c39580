// What the pages and the background share about where things are stored and when the
// vault locks: the storage keys, the Web Lock, the session (the unlocked key and the time
// of the last activity) and the auto-lock rule. It imports nothing, so the background (a
// service worker, which may have no top-level await in its import graph) and lib/store.js
// (the pages' store, which loads twofa's vault) both build on it.
//
// chrome.storage.local: "twofa" (the accounts; format in www/extension/README.md) and
// "settings". chrome.storage.session (memory only): "unlocked" ({ key }: the VaultKey's
// bytes, base64) and "activity" (ms).
export const LOCAL = "twofa";
export const SETTINGS = "settings";
export const SESSION = "unlocked";
export const ACTIVITY = "activity";
export const DEFAULTS = Object.freeze({ theme: "system", autoLockMinutes: 15 });

/**
 * Runs `f` under the store's Web Lock, which every page and the background share: no
 * other change of the stored data starts until it ends.
 */
export const exclusive = (f) => navigator.locks.request("twofa-store", f);

export const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
export const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The settings as stored, over the defaults. */
export async function settings() {
  const { [SETTINGS]: s } = await chrome.storage.local.get(SETTINGS);
  return { ...DEFAULTS, ...s };
}

/** The session: `{ session, at }`, `session` undefined when locked, `at` the last activity. */
export async function readSession() {
  const { [SESSION]: session, [ACTIVITY]: at = 0 } = await chrome.storage.session.get([SESSION, ACTIVITY]);
  return { session, at };
}

/**
 * When a vault last used at `at` locks by itself (ms since 1970), for `minutes` of
 * auto-lock; null for "only when the browser closes" (0).
 */
export const lockTime = (at, minutes) => (minutes > 0 ? at + minutes * 60_000 : null);

/** Whether the auto-lock time has passed at `now` for a vault last used at `at`. */
export async function expired(at, now = Date.now()) {
  const when = lockTime(at, (await settings()).autoLockMinutes);
  return when !== null && now > when;
}
