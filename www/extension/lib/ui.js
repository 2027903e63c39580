// The pages' own plumbing: their texts in the browser's language, and the status line.
// Elements, field errors and the confirmation dialog are www/shared/dom.js's. Nothing here
// is crypto.
import { $, sentence, texts as domTexts } from "../shared/dom.js";
import { texts as qrTexts } from "../shared/qr.js";
import { localize, t } from "./i18n.js";

// Importing this module localizes the page: it runs before the page's own script, so the
// page never shows itself (body[data-ready]) in English first. The code shared with the
// demo keeps its English defaults; here it gets the extension's messages.
localize();
Object.assign(domTexts, { ok: t("commonOkButton"), cancel: t("commonCancelButton") });
Object.assign(qrTexts, { timeout: t("commonQrTimeout"), restarted: t("commonQrRestarted"), localized: true });

/**
 * What an error says, as a sentence: the extension's own messages (`localized`, see
 * i18n.js failure()) as they are; twofa's, which are English and not translated yet, with a
 * capital and a full stop.
 */
export const told = (err) => (err.localized ? err.message : sentence(err.message));

/** A short message in the page's status region. */
export function say(text) {
  const status = $("status");
  status.textContent = text;
  status.classList.add("shown");
  clearTimeout(say.timer);
  say.timer = setTimeout(() => status.classList.remove("shown"), 4000);
}
