// Chrome's offscreen document (offscreen.html, Chrome's build only): the background opens
// it when a copied code is due to be cleared, sends it the code, and closes it again.
import { CLEAR_MESSAGE, emptyIfHolds } from "./lib/clipboard.js";

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message?.type !== CLEAR_MESSAGE || sender.id !== chrome.runtime.id) return false;
  reply(emptyIfHolds(message.code));
  return false;
});
