// Firefox's build of lib/clear-clipboard.js (see lib/clipboard.js): Firefox has no
// offscreen documents, and needs none: the background is an event page with a DOM.
import { copiedCode, emptyIfHolds, forget } from "./clipboard.js";

/** Clears the copied code from the clipboard if it is still there; says whether it did. */
export async function clearCopied() {
  const code = await copiedCode();
  if (!code) return false;
  try {
    return emptyIfHolds(code);
  } finally {
    await forget(code);
  }
}
