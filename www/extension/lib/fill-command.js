// The "fill-code" keyboard shortcut, handled in the background: with exactly one account
// whose sites match the active tab, and the vault open, it fills that account's code into
// the tab (the shortcut grants activeTab for it). Otherwise it opens the popup, where the
// tab's accounts are listed first; where the browser cannot open it (chrome.action.openPopup
// is missing or refuses), the toolbar button shows a badge on that tab instead.
//
// The background may not have a top-level await in its import graph, so this file imports
// the package's own entries (../pkg/), never ../shared/twofa/ nor lib/store.js, and
// initialises them on first use. It reads the stored accounts as lib/store.js does, and
// writes nothing but the time of the last activity.
import initTwofa, { Hotp, Totp, parseUri } from "../pkg/twofa.js";
import initVault, { VaultKey } from "../pkg/vault.js";
import { clock, loadClock } from "./clock.js";
import { fillTab } from "./fill.js";
import { t } from "./i18n.js";
import { ACTIVITY, LOCAL, expired, readSession, unb64 } from "./session.js";
import { activeTab, hostOf, matchesEntry } from "./sites.js";

export const COMMAND = "fill-code";

let ready;
/** The package's wasm and the clock offset, loaded once, on the first shortcut. */
function load() {
  ready ??= Promise.all([initTwofa(), initVault(), loadClock()]).catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/**
 * The stored accounts, as lib/store.js's status() reads them; null when they cannot be
 * read here: locked, past the auto-lock time (the background's timer then locks), or of
 * a format this version does not know.
 */
async function storedAccounts() {
  const { [LOCAL]: data } = await chrome.storage.local.get(LOCAL);
  if (!data) return [];
  if (data.format !== "twofa-extension" || data.version !== 1) return null;
  if (!data.vault) return data.plain?.accounts ?? [];
  const { session, at } = await readSession();
  if (!session || (await expired(at))) return null;
  const key = VaultKey.fromBytes(unb64(session.key));
  try {
    return JSON.parse(key.open(data.vault)).accounts;
  } catch {
    return null;
  } finally {
    key.free();
  }
}

/** The account's code now: TOTP and Steam at clock.now(), HOTP at its current counter (as the popup shows it). */
function codeOf(uri) {
  const generator = parseUri(uri).type === "hotp" ? Hotp.fromUri(uri) : Totp.fromUri(uri);
  try {
    return generator instanceof Hotp ? generator.generate() : generator.generate(clock.now());
  } finally {
    generator.free();
  }
}

/** Opens the popup, or marks the tab's toolbar button when the browser will not. */
async function openPopup(tabId) {
  try {
    await chrome.action.openPopup();
    return "popup";
  } catch {
    if (tabId === undefined) return "badge";
    try {
      await chrome.action.setBadgeText({ tabId, text: t("fillBadgeLabel") });
      await chrome.action.setTitle({ tabId, title: t("fillBadgeTitle") });
    } catch {
      // The tab closed meanwhile: there is no button of it to mark.
    }
    return "badge";
  }
}

/**
 * What the shortcut does, for `tab` (the command's tab, else the active tab of the last
 * focused window). Returns what happened: "filled", "popup" or "badge".
 */
export async function fillCommand(tab) {
  const target = tab?.id !== undefined && tab.url ? { id: tab.id, host: hostOf(tab.url) } : await activeTab();
  await load();
  const accounts = (await storedAccounts().catch(() => null)) ?? [];
  const matches = target?.host ? accounts.filter((entry) => matchesEntry(entry, target.host)) : [];
  if (matches.length === 1) {
    try {
      const { field } = await fillTab(target.id, codeOf(matches[0].uri), target.host);
      if (field) {
        // The shortcut counts as activity for the auto-lock, as a click in the popup does.
        await chrome.storage.session.set({ [ACTIVITY]: Date.now() });
        return "filled";
      }
    } catch {
      // A page the extension may not script, or a URI twofa refuses: the popup, opened
      // instead, fills from a click and says what went wrong.
    }
  }
  return openPopup(target?.id);
}

// Added at the top level, so the browser wakes the background for the shortcut.
chrome.commands.onCommand.addListener((command, tab) => {
  if (command === COMMAND) fillCommand(tab).catch(() => openPopup(tab?.id)); // on a failure, the popup instead
});

// For the browser tests: headless Chromium cannot press a browser command, so they call
// the handler the listener calls through the service worker.
globalThis.fillCommand = fillCommand;
