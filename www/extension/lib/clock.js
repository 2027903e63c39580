// The time codes are made for: the computer's clock, plus the offset the user chose to
// apply after a clock check (options page). Every page and the background make codes with
// clock.now(), never Date.now() directly, so a correction applies everywhere at once.
//
// chrome.storage.local, key "clock" (written by the clock check):
//   { apply: boolean, offsetMs: number, ... }
const KEY = "clock";

export const clock = {
  /** Milliseconds added to Date.now(); 0 unless the user applies a measured offset. */
  offset: 0,
  now() {
    return Date.now() + this.offset;
  },
};

const offsetOf = (stored) => (stored?.apply && Number.isFinite(stored.offsetMs) ? stored.offsetMs : 0);

/** Reads the applied offset, and follows changes made elsewhere. Call once per page. */
export async function loadClock() {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  clock.offset = offsetOf(stored);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && KEY in changes) clock.offset = offsetOf(changes[KEY].newValue);
  });
}
