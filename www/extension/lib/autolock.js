// The background's side of the lock: the auto-lock as a chrome.alarms alarm, and locking
// when the screen locks. An alarm outlives the background: Chrome stops an idle service
// worker after about 30 s, and Firefox unloads an idle event page, so a setTimeout there
// would never fire; the browser wakes the background for its alarm instead.
//
// The alarm is due at the last activity ("activity" in chrome.storage.session, written by
// lib/store.js) plus the auto-lock minutes. The background follows every change of the
// session or the settings and re-arms it; the browser wakes a stopped background for
// those changes too. When it fires, the key is removed only if the time has really
// passed, else the alarm is set again for the new time. The pages keep their own check
// (store.js sessionKey), in case the browser was closed past the time.
//
// Alarms are not exact: a packed extension's alarms fire at least 30 s after they are
// set (Chrome 120 and later; unpacked ones may fire sooner); Firefox sets no such
// minimum. The shortest auto-lock is a minute, so it locks on time or within 30 s.
// This module loads no WebAssembly: removing a key needs none.
import { ACTIVITY, SESSION, SETTINGS, exclusive, lockTime, readSession, settings } from "./session.js";

export const AUTO_LOCK_ALARM = "auto-lock";

/** Locks the vault: the session key goes, and with it the alarm. */
export async function lockVault() {
  await exclusive(() => chrome.storage.session.remove([SESSION, ACTIVITY]));
  await chrome.alarms.clear(AUTO_LOCK_ALARM);
}

/** When the vault is due to lock (ms since 1970), or null if it is not to be locked by time. */
async function due() {
  const { session, at } = await readSession();
  return session ? lockTime(at, (await settings()).autoLockMinutes) : null;
}

/**
 * Sets the auto-lock alarm for the current state, or clears it when nothing is to lock
 * (locked already, or "only when the browser closes"); locks at once if the time passed.
 * The time is read again under the Web Lock before the key goes, so activity recorded
 * meanwhile (in a page, or by the fill shortcut) keeps the vault open.
 */
export async function armAutoLock() {
  const when = await due();
  if (when === null) return chrome.alarms.clear(AUTO_LOCK_ALARM);
  if (when > Date.now()) return chrome.alarms.create(AUTO_LOCK_ALARM, { when }); // one alarm, by name
  const locked = await exclusive(async () => {
    const now = await due();
    if (now === null || now > Date.now()) return false;
    await chrome.storage.session.remove([SESSION, ACTIVITY]);
    return true;
  });
  return locked ? chrome.alarms.clear(AUTO_LOCK_ALARM) : armAutoLock();
}

/** The storage changes that move the auto-lock time. */
export const movesAutoLock = (changes, area) =>
  (area === "session" && (SESSION in changes || ACTIVITY in changes)) || (area === "local" && SETTINGS in changes);

/**
 * chrome.idle's new state: a locked screen locks the vault. "idle" does nothing: the
 * auto-lock counts from the last activity in the extension, which is never later than
 * the last input to the computer, so it always locks first.
 */
export async function idleStateChanged(state) {
  if (state === "locked") await lockVault();
}
