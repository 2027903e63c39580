// Every string the extension shows is in _locales/<language>/messages.json and is read
// here through chrome.i18n, so the extension can be translated without touching code.
//
// - In scripts: t("key", ...substitutions); the message's $1 … $9 take the substitutions.
// - In pages: an element with data-i18n="key" gets the message as its text (the page's
//   <title> too); data-i18n-label, data-i18n-title and data-i18n-placeholder set aria-label,
//   title and placeholder. localize() fills them; lib/ui.js calls it when a page imports it,
//   before the page's own script runs and shows the page.
//
// A key with no message throws: a missing string is a bug that the tests catch (they fail
// on any console error), not a blank button.

/** The message `key`, with `$1` … `$9` replaced by `subs`. */
export function t(key, ...subs) {
  const text = chrome.i18n.getMessage(key, subs.map(String));
  if (!text) throw new Error(`_locales/en/messages.json has no message "${key}"`);
  return text;
}

/**
 * An Error with the message `key`: a sentence in the user's language already, marked
 * `localized` so that pages show it as it is (lib/ui.js told()), where twofa's own messages
 * (English, lower-case) are made sentences.
 */
export const failure = (key, ...subs) => Object.assign(new Error(t(key, ...subs)), { localized: true });

/**
 * A message that depends on a count `n`: the key's "One" form for 1, else its "Other" form
 * (plural("popupAdded", 3) reads popupAddedOther), with `n` as $1 and `subs` after it.
 * English needs only these two forms; a language with more gets the closest one.
 */
export const plural = (key, n, ...subs) => t(`${key}${n === 1 ? "One" : "Other"}`, n, ...subs);

const ATTRIBUTES = [
  ["data-i18n-label", "aria-label"],
  ["data-i18n-title", "title"],
  ["data-i18n-placeholder", "placeholder"],
];

/** Fills every marked element under `root` with its message. */
export function localize(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const [marker, attribute] of ATTRIBUTES) {
    for (const node of root.querySelectorAll(`[${marker}]`)) node.setAttribute(attribute, t(node.getAttribute(marker)));
  }
}
