// Clearing a copied code from the clipboard 30 s later, if it is still there.
//
// The popup copies a code on a click and calls clearLater(code): the code is kept in
// chrome.storage.session ("copied"; memory only, extension pages only) and an alarm is
// set, which wakes the background when it is due, even if the popup has closed and the
// background was stopped meanwhile. The background then clears it (clearCopied in
// lib/clear-clipboard.js, built per browser): a service worker has no DOM and no
// clipboard, so in Chrome an offscreen document (offscreen.html, reason CLIPBOARD) does
// it; Firefox has no offscreen documents, but its background is an event page with a DOM
// and does it there. Both run emptyIfHolds() below.
//
// The clipboard is read first, and emptied only if it still holds the code: text the
// user copied since is left alone. Reading needs the "clipboardRead" permission (for
// execCommand("paste")); writing from a page that has no user gesture needs
// "clipboardWrite" (for execCommand("copy")).
export const CLIPBOARD_ALARM = "clear-clipboard";
const COPIED = "copied";
/** How long a copied code stays on the clipboard. */
export const CLEAR_AFTER_MS = 30_000;
/** The message the background sends Chrome's offscreen document. */
export const CLEAR_MESSAGE = "twofa-clear-clipboard";

/** Called by the popup once it has copied `code`: clears it in 30 s if still there. */
export async function clearLater(code) {
  await chrome.storage.session.set({ [COPIED]: code });
  // The same name replaces an earlier alarm: a second copy restarts the 30 s.
  await chrome.alarms.create(CLIPBOARD_ALARM, { when: Date.now() + CLEAR_AFTER_MS });
}

/** The background, when the alarm fires: the code copied, or null if none. */
export async function copiedCode() {
  const { [COPIED]: code } = await chrome.storage.session.get(COPIED);
  return typeof code === "string" && code ? code : null;
}

/**
 * Forgets `code` once its clearing has run (so "copied" is gone only when it is done),
 * unless another code was copied meanwhile: that one keeps its own alarm.
 */
export async function forget(code) {
  if ((await copiedCode()) === code) await chrome.storage.session.remove(COPIED);
}

/**
 * In a document (Chrome's offscreen document, Firefox's background page): empties the
 * clipboard if it holds exactly `code`, and says whether it did.
 */
export function emptyIfHolds(code) {
  const area = document.createElement("textarea");
  document.body.append(area);
  let held;
  try {
    area.focus();
    document.execCommand("paste");
    held = area.value;
  } finally {
    area.remove();
  }
  if (held !== code) return false;
  // execCommand("copy") with nothing selected copies nothing, so the copy event sets the
  // (empty) text itself.
  const empty = (event) => {
    event.clipboardData.setData("text/plain", "");
    event.preventDefault();
  };
  document.addEventListener("copy", empty);
  try {
    return document.execCommand("copy");
  } finally {
    document.removeEventListener("copy", empty);
  }
}
