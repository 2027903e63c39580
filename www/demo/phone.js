// The demo phone: an authenticator app, simulated beside the page, for visitors who
// have none at hand. It keeps its accounts as otpauth:// URIs, as a real app would, and
// every code it shows comes from twofa at the simulated clock's time.
import { MAX_COUNTER, generatorOf, nameOf } from "/shared/accounts.js";
import { $, confirmDialog, el, write } from "/shared/dom.js";
import { parseUri } from "/shared/twofa/twofa.js";
import { clock, load, save, spaced } from "./ui.js";

const PHONE_KEY = "twofa-demo:phone";
let accounts = load(PHONE_KEY, () => []);
/** One live generator per shown account, freed when the list changes. */
let rows = [];

/**
 * Adds an account from its URI (what scanning a QR code gives). Returns the parsed
 * account; throws twofa's error for a URI it cannot use. A URI already on the phone
 * replaces the old entry, as apps do when the same key is scanned twice.
 */
export function addToPhone(uri) {
  const parsed = parseUri(uri);
  const entry = { uri, counter: parsed.type === "hotp" ? String(parsed.counter) : undefined };
  accounts = [...accounts.filter((a) => a.uri !== uri), entry];
  persist();
  return parsed;
}

export const phoneUris = () => accounts.map((a) => a.uri);

export function clearPhone() {
  accounts = [];
  persist();
}

function persist() {
  save(PHONE_KEY, accounts);
  render();
}

function render() {
  for (const row of rows) row.generator.free();
  rows = [];
  const list = $("phone-accounts");
  list.replaceChildren();
  $("phone-empty").hidden = accounts.length > 0;
  accounts.forEach((entry, index) => {
    let parsed;
    let generator;
    try {
      ({ parsed, generator } = generatorOf(entry.uri));
      if (parsed.type === "hotp" && !(BigInt(entry.counter) <= MAX_COUNTER)) throw new RangeError("counter");
    } catch {
      generator?.free();
      return; // an entry this version cannot read is skipped, not fatal
    }
    const name = nameOf(parsed);
    // An <output> is a live region: quiet, or every new code would be read out.
    const code = el("output", { class: "code", "aria-live": "off", "aria-label": `Code for ${name}` });
    const seconds = el("span", { class: "muted seconds" });
    const ring = el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: "fill" }));
    const item = el(
      "li",
      { class: "phone-account" },
      el("div", { class: "who" }, el("strong", {}, parsed.issuer ?? "No issuer"), el("span", { class: "muted" }, parsed.account)),
      el("div", { class: "now" }, code, seconds),
      parsed.type === "totp" ? ring : null,
      el(
        "div",
        { class: "row-actions" },
        parsed.type === "hotp"
          ? el("button", {
            type: "button", class: "small secondary", "aria-label": `Next code for ${name}`,
            disabled: BigInt(entry.counter) >= MAX_COUNTER, onclick: () => nextCode(index),
          }, "Next code")
          : null,
        el("button", { type: "button", class: "small ghost", "aria-label": `Remove ${name} from the phone`, onclick: () => remove(index, name) }, "Remove"),
      ),
    );
    list.append(item);
    rows.push({ entry, parsed, generator, code, seconds, ring });
  });
  tick();
}

async function remove(index, name) {
  const ok = await confirmDialog({
    title: `Remove ${name}?`,
    text: "Without this account on a phone, you need a backup code to sign in.",
    ok: "Remove",
  });
  if (!ok) return;
  accounts = accounts.filter((_, i) => i !== index);
  persist();
  // Focus stays in the list: on the next account's Remove, or the heading when none is left.
  const removes = $("phone-accounts").querySelectorAll("button:last-child");
  (removes[Math.min(index, removes.length - 1)] ?? $("phone-title")).focus();
}

/** HOTP: the next counter's code, the counter saved as the app would. */
function nextCode(index) {
  const entry = accounts[index];
  if (BigInt(entry.counter) >= MAX_COUNTER) return;
  entry.counter = String(BigInt(entry.counter) + 1n);
  persist();
  $("phone-accounts").querySelectorAll("li")[index]?.querySelector("button")?.focus();
}

export function tick() {
  const now = clock.now();
  for (const { parsed, generator, code, seconds, ring, entry } of rows) {
    try {
      if (parsed.type === "hotp") {
        write(code, spaced(generator.generate(BigInt(entry.counter))));
        write(seconds, `counter ${entry.counter}`);
        continue;
      }
      write(code, spaced(generator.generate(now)));
      const left = generator.remaining(now);
      write(seconds, `${Math.ceil(left / 1000)} s`);
      ring.firstChild.style.width = `${(left / (generator.period * 1000)) * 100}%`;
    } catch (err) {
      // One account the phone cannot compute (a time before its T0, say) spoils no other.
      write(code, "––––––");
      write(seconds, err.message);
    }
  }
}

render();
