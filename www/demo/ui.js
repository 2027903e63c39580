// The demo's own page plumbing, for every flow: the simulated clock, storage, steps and
// status lines, formatting, copying and printing. Elements, field errors, the confirmation
// dialog and downloads are www/shared/dom.js's. Nothing here is crypto: codes, secrets and
// hashes all come from twofa.
import { $ } from "/shared/dom.js";

// --- The simulated clock ------------------------------------------------------------
// Every call into twofa gets `clock.now()`, so "+30 s" and "+1 h" move codes, lock-outs
// and expiry exactly as the passing of real time would.

const CLOCK_KEY = "twofa-demo:clock";
let offset = Number(localStorage.getItem(CLOCK_KEY)) || 0;
const listeners = new Set();

export const clock = {
  now: () => Date.now() + offset,
  get offset() {
    return offset;
  },
  advance(ms) {
    offset += ms;
    localStorage.setItem(CLOCK_KEY, String(offset));
    listeners.forEach((f) => f());
  },
  reset() {
    offset = 0;
    localStorage.removeItem(CLOCK_KEY);
    listeners.forEach((f) => f());
  },
  onChange: (f) => listeners.add(f),
};

// --- Storage ------------------------------------------------------------------------

export function load(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback() : JSON.parse(text);
  } catch {
    return fallback();
  }
}

export function save(key, value) {
  localStorage.setItem(key, JSON.stringify(value));
}

// --- Steps and status lines ---------------------------------------------------------

/** Shows one step of a flow (its siblings with class `step` hide) and focuses its heading. */
export function showStep(id, { focus = true } = {}) {
  const step = $(id);
  for (const sibling of step.parentElement.children) {
    if (sibling.classList.contains("step")) sibling.hidden = sibling !== step;
  }
  if (focus) (step.querySelector("h2[tabindex], input:not([type=hidden]), button") ?? step).focus();
}

export function setStatus(id, text, kind) {
  const el = $(id);
  el.textContent = text;
  if (kind) el.dataset.kind = kind;
  else delete el.dataset.kind;
}

// --- Formatting ---------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatTime = (ms) => timeFormat.format(ms);
export const formatDate = (ms) => dateFormat.format(ms);

/** "0:27", "4:05", "1:00:00". */
export function formatWait(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** "+30 s", "+1 h 0 min 30 s", "" for none. */
export function formatOffset(ms) {
  if (!ms) return "";
  const sign = ms < 0 ? "−" : "+";
  let s = Math.round(Math.abs(ms) / 1000);
  const parts = [];
  const h = Math.floor(s / 3600);
  s %= 3600;
  const m = Math.floor(s / 60);
  s %= 60;
  if (h) parts.push(`${h} h`);
  if (m || (h && s)) parts.push(`${m} min`);
  if (s) parts.push(`${s} s`);
  return sign + parts.join(" ");
}

/** "123 456" and "1234 5678" for reading; codes of other lengths stay whole. */
export function spaced(code) {
  const half = { 6: 3, 8: 4 }[code.length];
  return half ? `${code.slice(0, half)} ${code.slice(half)}` : code;
}

/** What a user reads about a code typed so far, from twofa's own shape check. */
export function describeShape(shape, input, digits = 6) {
  if (shape.ok) return { text: "Looks right: press Enter.", kind: "ok" };
  const typed = input.replace(/[\s-]/g, "").length;
  if (shape.incomplete) {
    const left = digits - typed;
    return { text: typed === 0 ? `Type the ${digits} digits your app shows.` : `${left} more digit${left === 1 ? "" : "s"}.`, kind: "" };
  }
  const char = /non-digit at position (\d+)/.exec(shape.message);
  if (char) return { text: `Codes have digits only: character ${char[1]} is not a digit.`, kind: "bad" };
  if (/must have \d+ characters/.test(shape.message)) return { text: `That is ${typed} digits; codes have ${digits}.`, kind: "bad" };
  if (/second separator/.test(shape.message)) return { text: "Use at most one space or hyphen.", kind: "bad" };
  return { text: shape.message, kind: "bad" };
}

// --- Clipboard and printing ---------------------------------------------------------

export async function copyText(text, statusId) {
  try {
    await navigator.clipboard.writeText(text);
    setStatus(statusId, "Copied to the clipboard.", "ok");
  } catch {
    setStatus(statusId, "This browser did not allow copying: select the text and copy it.", "bad");
  }
}

/** Prints `text` alone: the print stylesheet hides the page and shows this sheet. */
export function printText(text) {
  $("print-text").textContent = text;
  document.body.classList.add("printing");
  window.addEventListener("afterprint", () => document.body.classList.remove("printing"), { once: true });
  window.print();
}

/** A file name from free text: "Example Co" → "example-co". */
export const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "account";
