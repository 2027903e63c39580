// The sites an account belongs to, and the tab the popup or the shortcut works on.
//
// An account may carry `sites: ["github.com", …]` beside its id and URI (the storage format
// is in www/extension/README.md): lowercase host names. A site matches a page whose host
// name is the site or a subdomain of it; an IP address matches only itself. Filling a code
// into a page that is not one of the account's sites asks first (the phishing guard in
// popup.js). Nothing here is crypto, and nothing imports the package, so the background
// can use it too.

/** A host name: dot-separated labels of letters, digits and hyphens (IDNs as punycode). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** The most sites one account keeps: a list for people, not a blocklist. */
export const MAX_SITES = 20;

/**
 * Suffixes under which anyone can register a name: common two-level country suffixes
 * ("co.uk") and shared hosts that give each customer a subdomain ("github.io"). This is
 * a short list, not the Public Suffix List: it keeps a guess, or a site typed by hand,
 * from covering a whole registry or host. A site is never one of these, and a guess is
 * the name registered under one ("google.co.uk"), never the suffix.
 */
const SHARED = new Set([
  "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "org.au", "edu.au", "gov.au",
  "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "co.kr", "or.kr", "com.br", "net.br", "org.br",
  "com.cn", "net.cn", "org.cn", "com.hk", "com.tw", "com.sg", "com.my", "co.in", "net.in", "org.in", "co.id",
  "co.za", "co.il", "com.mx", "com.ar", "com.co", "com.tr", "com.ua", "com.pl", "co.th", "com.vn", "com.ph",
  "github.io", "gitlab.io", "pages.dev", "workers.dev", "netlify.app", "vercel.app", "web.app", "firebaseapp.com",
  "herokuapp.com", "appspot.com", "blogspot.com", "azurewebsites.net", "cloudfront.net", "amazonaws.com",
  "glitch.me", "repl.co", "fly.dev", "onrender.com", "ngrok.io", "ngrok-free.app",
]);

/**
 * The name a host is registered as: its last two labels ("login.github.com" gives
 * "github.com"), or three under a shared suffix ("accounts.google.co.uk" gives
 * "google.co.uk", "ada.github.io" itself). An IP address or a single label is itself.
 */
export function registered(host) {
  const labels = host.split(".");
  if (IPV4.test(host) || labels.length < 2) return host;
  const take = SHARED.has(labels.slice(-2).join(".")) ? 3 : 2;
  return labels.slice(-take).join(".");
}

/** The host name of a page's URL, for http and https pages only; otherwise null. */
export function hostOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.hostname : null;
  } catch {
    return null;
  }
}

/**
 * A site as typed ("GitHub.com", "https://github.com/login") as a lowercase host name
 * ("github.com"), or null when it is not one.
 */
export function siteOf(text) {
  const t = String(text).trim();
  if (!t || t.length > 253) return null;
  let host;
  try {
    // The URL parser lowercases, turns an IDN into punycode and drops a path or port.
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`).hostname;
  } catch {
    return null;
  }
  host = host.replace(/\.$/, "");
  if (host.length > 253 || !host.split(".").every((label) => LABEL.test(label))) return null;
  // A site covers its subdomains: a top-level name ("com") or a shared suffix ("co.uk",
  // "github.io") would cover everyone's. "localhost" is this computer.
  if ((!host.includes(".") && host !== "localhost") || SHARED.has(host)) return null;
  return host;
}

/** The valid sites an entry carries (a stored list is read, never trusted). */
export function sitesOf(entry) {
  const list = Array.isArray(entry?.sites) ? entry.sites : [];
  return [...new Set(list.filter((s) => typeof s === "string" && siteOf(s) === s))].slice(0, MAX_SITES);
}

/** Whether `host` is `site` or one of its subdomains; an IP address matches only itself. */
export function siteMatches(site, host) {
  if (!host) return false;
  if (host === site) return true;
  return !IPV4.test(site) && !IPV4.test(host) && host.endsWith(`.${site}`);
}

/** Whether the page at `host` is one of the entry's sites. */
export const matchesEntry = (entry, host) => sitesOf(entry).some((site) => siteMatches(site, host));

/**
 * A site guessed from the account's issuer for the page at `host`, or null: the name the
 * host is registered as (`registered`), when its first label is the issuer, one of its
 * words, or its words run together ("GitHub" on login.github.com gives github.com; "Proton
 * Mail" on account.protonmail.com gives protonmail.com). Only that label counts: "GitHub"
 * on github.com-login.example or github.evil.example gives nothing, as an issuer's name
 * anywhere else in a host is what a phishing page's address looks like. Never an IP
 * address. The user confirms a guess before it is kept, and it is offered unchecked.
 */
export function guessSite(issuer, host) {
  if (!issuer || !host || IPV4.test(host)) return null;
  const words = issuer.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3);
  if (!words.length) return null;
  const names = new Set([...words, words.join("")]);
  const name = registered(host);
  if (!name.includes(".") || SHARED.has(name)) return null;
  return names.has(name.split(".")[0]) ? name : null;
}

/**
 * The active tab of the last focused browser window, as `{ id, url, host }`. The popup may
 * be a window of its own, so "the current window" would be the popup's. The URL is known
 * when the extension may see the tab (activeTab after a click on the toolbar button or the
 * shortcut); `host` is null for a page that is not http(s).
 */
export async function activeTab() {
  const win = await chrome.windows.getLastFocused({ windowTypes: ["normal"] });
  const [tab] = await chrome.tabs.query({ active: true, windowId: win.id });
  return tab ? { id: tab.id, url: tab.url, host: hostOf(tab.url) } : null;
}
