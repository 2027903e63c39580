// The clock check: the site the user chose is asked for its time (the Date header of one
// HEAD request), twofa's estimateClockOffset turns that and the request's send and receive
// times into an offset with its error bound, and lib/clock.js stores it. Also the popup's
// rule for warning, and the words for a result. Pages only: it imports the package, whose
// entry file loads its WebAssembly with a top-level await that the background may not have.
import { clockIsOff, estimateClockOffset } from "../shared/twofa/twofa.js";
import { sentence } from "../shared/dom.js";
import { KEEP_APPLIED_DRIFT_MS, KEEP_APPLIED_ERROR_MS, RECHECK_MS, applicable, readClock, writeClock } from "./clock.js";
import { t } from "./i18n.js";

/** Hosts that plain http may be used for: this computer only (the tests' local servers). */
const LOOPBACK = new Set(["127.0.0.1", "localhost"]);

/**
 * The origin of the site the user typed ("example.com" means https://example.com): https,
 * or http on loopback only, since over plain http anyone on the way could change the time.
 * Throws an Error whose message is a sentence to show.
 */
export function siteOf(text) {
  let input = text.trim();
  if (!input) throw new Error(t("clockSiteEmpty"));
  if (!/^[a-z][a-z0-9+.-]*:/i.test(input)) input = `https://${input}`;
  let url;
  try {
    url = new URL(input);
  } catch {
    throw new Error(t("clockSiteInvalid"));
  }
  // A host name as the URL parser leaves it (lower case, punycode) or an IP address: not a
  // host that a lenient parser kept with a space percent-encoded in it.
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname)) throw new Error(t("clockSiteInvalid"));
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) return url.origin;
  throw new Error(t("clockSiteHttps"));
}

/** The host permission of a site: every port of its host (match patterns name no port). */
const originsOf = (site) => {
  const url = new URL(site);
  return { origins: [`${url.protocol}//${url.hostname}/*`] };
};

/**
 * Asks for the permission to contact `site` (manifest `optional_host_permissions`). Call
 * it first thing in a click or submit handler: browsers allow the request only while
 * handling a user gesture, so no `await` may come before it.
 */
export const askPermission = (site) => chrome.permissions.request(originsOf(site)).catch(() => false);

/** True when the permission to contact `site` is held. */
export const hasPermission = (site) => chrome.permissions.contains(originsOf(site)).catch(() => false);

/** The host a result names: "example.com", with a port when it has one. */
export const hostOf = (site) => new URL(site).host;

/**
 * Checks the clock against `site`: one HEAD request that no cache answers and that carries
 * no cookies, timed by this computer's own clock (Date.now(), never the corrected one).
 * Stores the result (keeping `apply` when the site is the same) and returns it. Throws an
 * Error whose message is a sentence to show; the stored check is then left as it was.
 */
export async function checkClock(site) {
  const host = hostOf(site);
  let response;
  const sentAt = Date.now();
  try {
    response = await fetch(`${site}/`, { method: "HEAD", cache: "no-store", credentials: "omit" });
  } catch {
    throw new Error(t("clockUnreachable", host));
  }
  const receivedAt = Date.now();
  const date = response.headers.get("date");
  if (date === null) throw new Error(t("clockNoDate", host));
  let estimate;
  try {
    estimate = estimateClockOffset({ date, sentAt, receivedAt });
  } catch (err) {
    throw new Error(err.code === "INVALID_DATE" ? t("clockBadDate", host, sentence(err.message)) : sentence(err.message));
  }
  const old = await readClock();
  const record = {
    site,
    offsetMs: estimate.offsetMs,
    errorMs: estimate.errorMs,
    checkedAt: receivedAt,
    apply: keepsApplied(old, site, estimate),
  };
  await writeClock(record);
  return record;
}

/**
 * Whether a new check of `site` keeps the correction applied after `old`: only for the same
 * site, close to the offset the user accepted, and with a tight bound. A site that starts
 * to answer with another time gets the warning shown again, not a silent new correction.
 */
export const keepsApplied = (old, site, estimate) =>
  old?.site === site &&
  old.apply === true &&
  Number.isSafeInteger(old.offsetMs) &&
  Math.abs(estimate.offsetMs - old.offsetMs) <= KEEP_APPLIED_DRIFT_MS &&
  estimate.errorMs <= KEEP_APPLIED_ERROR_MS;

/** True when `record` is older than RECHECK_MS by this computer's clock (or from its future). */
export function stale(record, now = Date.now()) {
  const age = now - record.checkedAt;
  return !(age >= 0 && age < RECHECK_MS);
}

/**
 * True when the check says the clock is certainly off by more than codes of `period`
 * seconds allow (twofa's clockIsOff: its smallest size is over half the period). A record
 * that is not a check (changed by hand) says nothing.
 */
export function isOff(record, period) {
  try {
    return clockIsOff(record, period);
  } catch {
    return false;
  }
}

const seconds = (n) => (n === 1 ? t("clockOneSecondLabel") : t("clockSecondsLabel", n));

/**
 * A check as a sentence: "Your computer's clock is 125 seconds slow (± 1 second, checked
 * against example.com)." The offset is rounded to whole seconds, and the bound covers that
 * rounding too, so the true offset is always within what is said.
 */
export function describe(record) {
  const size = Math.abs(record.offsetMs);
  const shown = Math.round(size / 1000);
  const bound = Math.ceil((record.errorMs + Math.abs(size - shown * 1000)) / 1000);
  const host = hostOf(record.site);
  if (shown === 0) return t("clockRight", seconds(bound), host);
  return t(record.offsetMs > 0 ? "clockSlow" : "clockFast", seconds(shown), seconds(bound), host);
}

/** What the popup's banner says of a check: its result, then what it means for the codes. */
export function warning(record, applied) {
  const host = hostOf(record.site);
  const shift = seconds(Math.round(Math.abs(record.offsetMs) / 1000));
  const then = applied
    ? t(record.offsetMs > 0 ? "clockAppliedAhead" : "clockAppliedBehind", shift, host)
    : `${t("clockRefuse")}${applicable(record) ? "" : ` ${t("clockTooFar")}`}`;
  return `${describe(record)} ${then}`;
}
