// The time codes are made for: the computer's clock, plus the offset the user chose to
// apply after a clock check (lib/clock-check.js). Every page and the background make codes
// with clock.now(), never Date.now() directly, so a correction applies everywhere at once.
// This file imports nothing, so the background may import it too.
//
// chrome.storage.local, key "clock" (written by the clock check):
//   { site: "https://example.com", offsetMs: 125400, errorMs: 600, checkedAt: 1764770000000, apply: false }
// - site: the origin the user chose to check against (https, or http on loopback for tests);
// - offsetMs, errorMs: twofa's estimateClockOffset of that site's Date header: the site's
//   clock minus this computer's, give or take errorMs;
// - checkedAt: Date.now() when the response came (this computer's clock, not corrected);
// - apply: true while the user has chosen to show codes with offsetMs applied.
export const KEY = "clock";

/**
 * The largest offset that is ever applied: one hour. A clock further off than that is
 * usually set to the wrong time zone, which the system's settings should fix, and the cap
 * bounds what a site that lies about its time can do: make the popup show codes at most an
 * hour away from this computer's clock. Past it the popup warns and offers no correction.
 */
export const MAX_APPLIED_MS = 60 * 60_000;

/**
 * How far a new check of the same site may move an applied offset, and how loose its bound
 * may be, for the correction to stay applied: 15 s and 5 s. A check past either clears
 * `apply`, and the popup asks again: a correction the user accepted never grows by itself.
 */
export const KEEP_APPLIED_DRIFT_MS = 15_000;
export const KEEP_APPLIED_ERROR_MS = 5_000;

/** How old a check may be before the popup checks again when it opens: 15 minutes. */
export const RECHECK_MS = 15 * 60_000;

export const clock = {
  /** Milliseconds added to Date.now(); 0 unless the user applies a measured offset. */
  offset: 0,
  now() {
    return Date.now() + this.offset;
  },
};

/** True when `stored` is a clock check that may be applied: finite and within the cap. */
export const applicable = (stored) => Number.isSafeInteger(stored?.offsetMs) && Math.abs(stored.offsetMs) <= MAX_APPLIED_MS;

const offsetOf = (stored) => (stored?.apply === true && applicable(stored) ? stored.offsetMs : 0);

/** The stored clock check, or undefined. */
export async function readClock() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  return stored && typeof stored === "object" ? stored : undefined;
}

/** Stores a clock check (or its `apply` changed), and applies it on this page at once. */
export async function writeClock(record) {
  await chrome.storage.local.set({ [KEY]: record });
  clock.offset = offsetOf(record);
}

let following = false;

/**
 * Reads the applied offset, and follows changes made elsewhere (one listener, however often
 * it is called: the background calls it again after a failed first load).
 */
export async function loadClock() {
  if (!following) {
    following = true;
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area === "local" && KEY in changes) clock.offset = offsetOf(changes[KEY].newValue);
    });
  }
  clock.offset = offsetOf(await readClock());
}
