// Page plumbing for the popup and the options page. Nothing here is crypto.

export const $ = (id) => document.getElementById(id);

/** Builds an element: el("li", { class: "x", onclick }, "text", child). */
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

/** twofa's lower-case messages as sentences: "Invalid base32 character at position 5." */
export const sentence = (message) => `${message[0].toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? "" : "."}`;

/** An error under its field (`<id>-error`), announced, with aria-invalid. */
export function fieldError(id, message, { focus = true } = {}) {
  const box = $(`${id}-error`);
  box.textContent = message;
  box.hidden = false;
  box.setAttribute("role", "alert");
  $(id).setAttribute("aria-invalid", "true");
  if (focus) $(id).focus();
}

export function clearErrors(root) {
  for (const box of root.querySelectorAll(".error")) {
    box.hidden = true;
    box.textContent = "";
    box.removeAttribute("role");
  }
  for (const input of root.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** A short message in the page's status region. */
export function say(text) {
  const status = $("status");
  status.textContent = text;
  status.classList.add("shown");
  clearTimeout(say.timer);
  say.timer = setTimeout(() => status.classList.remove("shown"), 4000);
}

/** A modal confirmation; resolves true for OK. Escape cancels. */
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

export function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
}
