// Page plumbing shared by every flow: the simulated clock, storage, fields and their
// errors, and formatting. Nothing here is crypto: codes, secrets and hashes all come
// from twofa.

export const $ = (id) => document.getElementById(id);

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

// --- Fields and their errors ----------------------------------------------------------
// An error is shown under its field (`<id>-error`), announced, and linked through
// aria-describedby and aria-invalid.

export function fieldError(id, message) {
  const input = $(id);
  const box = $(`${id}-error`);
  // A live hint ("Looks right") would contradict the error: it steps aside.
  const hint = document.getElementById(`${id}-hint`);
  if (hint?.hasAttribute("aria-live")) {
    hint.textContent = "";
    delete hint.dataset.kind;
  }
  box.textContent = message;
  box.hidden = false;
  box.setAttribute("role", "alert");
  input.setAttribute("aria-invalid", "true");
  input.focus();
}

export function clearErrors(root) {
  for (const box of root.querySelectorAll(".error")) {
    box.hidden = true;
    box.textContent = "";
    box.removeAttribute("role");
  }
  for (const input of root.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Shows one step of a flow (its siblings with class `step` hide) and focuses its heading. */
export function showStep(id, { focus = true } = {}) {
  const step = $(id);
  for (const sibling of step.parentElement.children) {
    if (sibling.classList.contains("step")) sibling.hidden = sibling !== step;
  }
  if (focus) (step.querySelector("h2[tabindex], input:not([type=hidden]), button") ?? step).focus();
}

/** Sets a node's text only when it changes, so assistive technology is not told it again. */
export function write(node, text) {
  if (node.textContent !== text) node.textContent = text;
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

// --- Dialogs, clipboard, downloads --------------------------------------------------

/** A modal confirmation; resolves true for OK. */
export function confirmDialog({ title, text, ok }) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = ok;
  dialog.returnValue = "";
  dialog.showModal();
  $("confirm-cancel").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

export async function copyText(text, statusId) {
  try {
    await navigator.clipboard.writeText(text);
    setStatus(statusId, "Copied to the clipboard.", "ok");
  } catch {
    setStatus(statusId, "This browser did not allow copying: select the text and copy it.", "bad");
  }
}

export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
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

/** Builds an element: el("li", { class: "x" }, "text", child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}
