// Filling a code into a page. `fillCode` runs in the page (the tab's main frame), sent by
// chrome.scripting.executeScript({ target: { tabId }, func: fillCode, args: [code] }): the
// browser serialises its source, so it is self-contained and may use nothing from outside
// its own body. `fillTab` is what the popup and the background call.

/**
 * Types `code` into the page's one-time-code field, the first that is visible, enabled and
 * writable of:
 *
 * 1. an input with `autocomplete="one-time-code"`;
 * 2. the focused input, if it is a text, tel or number input;
 * 3. an input whose name, id, label, aria-label or placeholder says it is for a code
 *    ("otp", "2fa", "verification code"…), but not a postcode, a coupon and the like;
 * 4. a row of one-character inputs (maxlength=1, or size=1) in one container, at least as
 *    many as the code has characters: one character per box.
 *
 * A field of 1 to code.length − 1 characters found by 1 to 3 is the first box of a row.
 * Values are set with the input's native setter, as typing does, so that a framework that
 * tracks the value it last set (React) sees the change; each field is focused and gets
 * keydown, input (an InputEvent "insertText" with the data), keyup and change events.
 * Returns `{ field, boxes }`: `field` is "one-time-code", "focused", "named", "boxes" or
 * null when no field was found; `boxes` is how many inputs were written. When `host` is
 * given and the page is no longer on it (it navigated after the site was checked), nothing
 * is written and `moved` is true.
 */
export function fillCode(code, host) {
  if (host && location.hostname !== host) return { field: null, boxes: 0, moved: true };
  const TEXT_TYPES = new Set(["text", "tel", "number"]);
  const CODE_WORDS = /one[-_ ]?time|otp|2fa|mfa|two[-_ ]?factor|token|verif|passcode|code|\bpin\b/i;
  const NOT_CODE = /post(al)?[-_ ]?code|zip|promo|coupon|voucher|gift|discount|referr|invit|country|area[-_ ]?code|captcha|search/i;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;

  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const writable = (el) => el instanceof HTMLInputElement && !el.disabled && !el.readOnly && visible(el);
  const texty = (el) => TEXT_TYPES.has(el.type);
  const isBox = (el) => el.maxLength === 1 || el.getAttribute("size") === "1";
  const inputs = [...document.querySelectorAll("input")].filter(writable);

  const words = (el) => {
    const labelled = (el.getAttribute("aria-labelledby") ?? "").split(/\s+/).map((id) => id && document.getElementById(id)?.textContent);
    return [el.name, el.id, el.getAttribute("aria-label"), el.placeholder, ...[...(el.labels ?? [])].map((l) => l.textContent), ...labelled]
      .filter(Boolean)
      .join(" ");
  };
  const named = (el) => {
    const text = words(el);
    return CODE_WORDS.test(text) && !NOT_CODE.test(text);
  };

  /**
   * The row of one-character boxes from `first` (or the page's first row): the boxes of
   * the nearest container, up to four levels up, that holds enough of them. Of several
   * rows, the tightest container wins, so a lone box elsewhere (a middle initial) is not
   * taken for the first digit.
   */
  const boxRow = (first) => {
    const boxes = inputs.filter((el) => texty(el) && (isBox(el) || el === first));
    let best = null;
    for (const start of first ? [first] : boxes) {
      for (let container = start.parentElement, level = 0; container && level < 4; level++, container = container.parentElement) {
        const row = boxes.filter((el) => container.contains(el));
        const from = first ? row.indexOf(first) : 0;
        if (row.length - from < code.length) continue;
        if (!best || row.length < best.size) best = { size: row.length, row: row.slice(from, from + code.length) };
        break;
      }
    }
    return best?.row ?? null;
  };

  const fire = (el, type, init) => el.dispatchEvent(type === "input" ? new InputEvent(type, init) : new (type.startsWith("key") ? KeyboardEvent : Event)(type, init));
  const type = (el, text) => {
    el.focus();
    const key = text.length === 1 ? text : "Unidentified";
    fire(el, "keydown", { key, bubbles: true, cancelable: true, composed: true });
    setValue.call(el, text);
    fire(el, "input", { bubbles: true, composed: true, inputType: "insertText", data: text });
    fire(el, "keyup", { key, bubbles: true, cancelable: true, composed: true });
    fire(el, "change", { bubbles: true });
  };

  const single = (field, el) => {
    if (el.maxLength > 0 && el.maxLength < code.length) {
      const row = boxRow(el);
      if (!row) return null;
      row.forEach((box, i) => type(box, code[i]));
      return { field: "boxes", boxes: row.length };
    }
    type(el, code);
    return { field, boxes: 1 };
  };

  const otc = inputs.find((el) => (el.getAttribute("autocomplete") ?? "").toLowerCase().split(/\s+/).includes("one-time-code"));
  if (otc) return single("one-time-code", otc) ?? { field: null, boxes: 0 };
  const focused = document.activeElement;
  if (inputs.includes(focused) && texty(focused) && !(isBox(focused) && code.length > 1)) return single("focused", focused) ?? { field: null, boxes: 0 };
  const byName = inputs.find((el) => texty(el) && !isBox(el) && named(el));
  if (byName) return single("named", byName) ?? { field: null, boxes: 0 };
  const row = boxRow(inputs.includes(focused) && isBox(focused) ? focused : null) ?? boxRow(null);
  if (row) {
    row.forEach((box, i) => type(box, code[i]));
    return { field: "boxes", boxes: row.length };
  }
  return { field: null, boxes: 0 };
}

/**
 * Fills `code` into the main frame of tab `tabId` (frames are not searched), only while the
 * page is still on `host`, the host its site was checked for. Returns `fillCode`'s result;
 * throws the browser's error when the page may not be scripted (a browser page, the web
 * store, a tab the extension was not given).
 */
export async function fillTab(tabId, code, host) {
  const [injection] = await chrome.scripting.executeScript({ target: { tabId }, func: fillCode, args: [code, host] });
  return injection?.result ?? { field: null, boxes: 0 };
}
