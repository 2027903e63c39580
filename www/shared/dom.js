// Page plumbing for the demo and the extension: elements, fields and their errors, the
// confirmation dialog, downloads, the theme. Nothing here is crypto.

export const $ = (id) => document.getElementById(id);

/**
 * The words of this file's own elements. English for the demo; the extension replaces them
 * with its messages in the browser's language (Object.assign(texts, …)).
 */
export const texts = { ok: "OK", cancel: "Cancel" };

/** Builds an element: el("li", { class: "x", onclick }, "text", child). Empty attributes and children are left out. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false || v === null) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

/** Sets a node's text only when it changes, so assistive technology is not told it again. */
export function write(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** twofa's lower-case messages as sentences: "Invalid base32 character at position 5." */
export const sentence = (message) => `${message[0].toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? "" : "."}`;

export function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
}

// --- Fields and their errors ----------------------------------------------------------
// An error is shown under its field (`<id>-error`), announced, and marked aria-invalid.

export function fieldError(id, message, { focus = true } = {}) {
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
  if (focus) input.focus();
}

export function clearErrors(root) {
  for (const box of root.querySelectorAll(".error")) {
    box.hidden = true;
    box.textContent = "";
    box.removeAttribute("role");
  }
  for (const input of root.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// --- Dialogs and downloads ------------------------------------------------------------

/** The page's one confirmation dialog (#confirm), made on first use. */
function confirmElement() {
  let dialog = $("confirm");
  if (dialog) return dialog;
  dialog = el("dialog", { id: "confirm", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-text" },
    el("form", { method: "dialog" },
      el("h2", { id: "confirm-title" }),
      el("p", { id: "confirm-text" }),
      el("div", { class: "actions" },
        el("button", { value: "ok", id: "confirm-ok" }, texts.ok),
        el("button", { value: "cancel", class: "ghost", id: "confirm-cancel" }, texts.cancel))));
  document.body.append(dialog);
  return dialog;
}

/**
 * A modal confirmation; resolves true for OK. Escape and Cancel resolve false. `danger`
 * styles OK as a destructive action.
 */
export function confirmDialog({ title, text, ok, danger = false }) {
  const dialog = confirmElement();
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = ok;
  $("confirm-ok").classList.toggle("danger", danger);
  dialog.returnValue = "";
  dialog.showModal();
  $("confirm-cancel").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

/** Saves `text` as a file named `filename`. */
export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = el("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
