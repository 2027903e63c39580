// Chrome's build of lib/clear-clipboard.js (see lib/clipboard.js): the background, a
// service worker, has no DOM, so an offscreen document clears the clipboard. It is
// opened for the clearing and closed after it; only one may exist at a time.
import { CLEAR_MESSAGE, copiedCode, forget } from "./clipboard.js";
import { t } from "./i18n.js";

const PAGE = "offscreen.html";
let opening = null;

/** Clears the copied code from the clipboard if it is still there; says whether it did. */
export async function clearCopied() {
  const code = await copiedCode();
  if (!code) return false;
  try {
    return await viaOffscreen(code);
  } finally {
    await forget(code);
  }
}

async function viaOffscreen(code) {
  const open = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [chrome.runtime.getURL(PAGE)] });
  if (open.length === 0) {
    opening ??= chrome.offscreen
      .createDocument({ url: PAGE, reasons: ["CLIPBOARD"], justification: t("bgOffscreenReason") })
      .finally(() => (opening = null));
    await opening;
  }
  try {
    // An offscreen document can use chrome.runtime only, so the code comes in the message.
    return await chrome.runtime.sendMessage({ type: CLEAR_MESSAGE, code });
  } finally {
    await chrome.offscreen.closeDocument().catch(() => undefined); // closed already by a clearing at the same time
  }
}
