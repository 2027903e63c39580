// The status line of the popup and the options page. Elements, field errors and the
// confirmation dialog are www/shared/dom.js's. Nothing here is crypto.
import { $ } from "../shared/dom.js";

/** A short message in the page's status region. */
export function say(text) {
  const status = $("status");
  status.textContent = text;
  status.classList.add("shown");
  clearTimeout(say.timer);
  say.timer = setTimeout(() => status.classList.remove("shown"), 4000);
}
