// The extension's strings: every one comes from _locales through lib/i18n.js.
//
// - Static: each key the pages (data-i18n*) and scripts (t, plural, failure) use exists,
//   each message is used, a message's $1…$9 match the substitutions its callers pass, and
//   messages are sentences unless their key names a label (the rule is MESSAGE_RULES below,
//   and www/extension/README.md's "Translations").
// - Dynamic: a copy of the build whose messages are pseudo-localised (each wrapped in ⟦…⟧)
//   is loaded, and every view of the popup and the options page is walked. Every visible
//   text, aria-label, title, placeholder and the page title must be wrapped: one that is
//   not is a string that does not come from messages.json. User data (account names,
//   codes, seconds) is left out by selector.
// - The icon buttons are drawn (SVG in the text's colour), never an emoji or a symbol a
//   system may lack a font for; and a new account is marked and scrolled into view.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { clearStatus, launchExtension } from "./extension-kit.mjs";
import { nodeEntries, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const EXT = join(ROOT, "www/extension");
const MESSAGES = JSON.parse(readFileSync(join(EXT, "_locales/en/messages.json"), "utf8"));
const PAGES = ["popup.html", "options.html"].map((f) => [f, readFileSync(join(EXT, f), "utf8")]);
const SCRIPTS = readdirSync(EXT, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".js"))
  .map((f) => [f, readFileSync(join(EXT, f), "utf8")]);
const MANIFESTS = ["manifest.chrome.json", "manifest.firefox.json"].map((f) => readFileSync(join(EXT, f), "utf8"));

// --- Static ---------------------------------------------------------------------------------

/**
 * The rule for messages. A key that ends in Label, Button, Heading, Title, Option or
 * Placeholder (or is one of the manifest's names, extName and extShortName, or a command's
 * description, command…) is a label: a name for a control or a section, not a sentence, with no final full stop. Every
 * other message is a sentence: it starts with a capital, a substitution, or "twofa" (the
 * name, always written lower-case), and ends with ".", "?", "!" or ":" (the colon when it
 * introduces what follows it: a list, or the library's own sentence).
 */
const LABEL = /(Label|Button|Heading|Title|Option|Placeholder)$|^(extName|extShortName|command[A-Z]\w*)$/;
const SENTENCE_START = /^(\p{Lu}|\$[1-9]|twofa\b)/u;
const SENTENCE_END = /[.?!:]$/;

/** The numbers of a message's placeholders: "$1 of $2" → [1, 2] ("$$" is a literal $). */
const placeholders = (message) => [...new Set([...message.replaceAll("$$", "").matchAll(/\$(\d)/g)].map((m) => Number(m[1])))].sort();

/** A script without its comments (strings are kept: a "//" inside one is not a comment). */
function code(source) {
  return source.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) => str ?? "");
}

/**
 * The top-level arguments of the call whose "(" is at `open` in `text`, as source texts, or
 * null when the call cannot be read this simply.
 */
function argumentsAt(text, open) {
  const args = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      const end = text.slice(i).match(c === "`" ? /^`(?:\\.|\$\{[^}]*\}|[^`\\])*`/ : new RegExp(`^${c}(?:\\\\.|[^${c}\\\\\\n])*${c}`));
      if (!end) return null;
      i += end[0].length - 1;
    } else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) {
        if (text.slice(start, i).trim()) args.push(text.slice(start, i).trim());
        return args;
      }
      depth--;
    } else if (c === "," && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

/** Every call of t, failure or plural in the scripts: `{ file, fn, keys, subs }` (subs null when spread). */
function calls() {
  const found = [];
  for (const [file, source] of SCRIPTS) {
    const text = code(source);
    for (const m of text.matchAll(/(?<![\w.])(t|failure|plural)\(/g)) {
      const args = argumentsAt(text, m.index + m[0].length - 1);
      assert.ok(args, `${file}: the call at ${m.index} cannot be read`);
      // The key: a string, or a choice of strings ("a ? "x" : "y""); a variable is skipped here.
      const keys = [...args[0].matchAll(/"([A-Za-z0-9]+)"/g)].map((k) => k[1]).filter((k) => /^(common|popup|options|import|ext|command)[A-Z]/.test(k));
      const rest = args.slice(1);
      found.push({ file, fn: m[1], keys, subs: rest.some((a) => a.startsWith("...")) ? null : rest.length });
    }
  }
  return found;
}

test("messages.json: every key used exists, every message is used, and placeholders match their uses", () => {
  const missing = [];
  const wrongCounts = [];
  const used = new Set();
  // Pages: data-i18n, -label, -title and -placeholder take a message with no substitutions.
  for (const [file, html] of PAGES) {
    for (const [, key] of html.matchAll(/\bdata-i18n(?:-label|-title|-placeholder)?="([^"]+)"/g)) {
      used.add(key);
      if (!MESSAGES[key]) missing.push(`${file}: ${key}`);
      else if (placeholders(MESSAGES[key].message).length) wrongCounts.push(`${file}: ${key} has placeholders, and pages give none`);
    }
  }
  for (const manifest of MANIFESTS) for (const [, key] of manifest.matchAll(/__MSG_(\w+)__/g)) used.add(key);
  // Scripts: each call's key(s), with as many substitutions as the message has placeholders.
  const found = calls();
  assert.ok(found.length > 100, `only ${found.length} calls found: the reader is broken`);
  for (const { file, fn, keys, subs } of found) {
    for (const base of keys) {
      const forms = fn === "plural" ? [`${base}One`, `${base}Other`] : [base];
      for (const key of forms) {
        used.add(key);
        if (!MESSAGES[key]) {
          missing.push(`${file}: ${key}`);
          continue;
        }
        if (subs === null) continue;
        const have = placeholders(MESSAGES[key].message);
        const want = Array.from({ length: subs }, (_, i) => i + 1);
        // "One" may leave the count out ("One entry was left out:"); every other form uses each substitution.
        const ok = key.endsWith("One") && fn === "plural" ? have.every((n) => n <= subs) : JSON.stringify(have) === JSON.stringify(want);
        if (!ok) wrongCounts.push(`${file}: ${fn}("${base}") passes ${subs}, and "${key}" has $${have.join(", $") || " none"}`);
      }
    }
  }
  // Keys chosen from a table (the import report's summaries) are used where the table is.
  const literals = new Set(SCRIPTS.flatMap(([, s]) => [...code(s).matchAll(/"([A-Za-z0-9]+)"/g)].map((m) => m[1])));
  for (const key of Object.keys(MESSAGES)) if (literals.has(key)) used.add(key);
  assert.deepEqual(missing, [], "keys used without a message");
  assert.deepEqual(wrongCounts, [], "placeholders and substitutions");
  assert.deepEqual(Object.keys(MESSAGES).filter((k) => !used.has(k)), [], "messages nothing uses");
  for (const [key, { message }] of Object.entries(MESSAGES)) {
    assert.ok(!/\$(?![1-9])/.test(message.replaceAll("$$", "")), `${key}: a $ that is no placeholder: write $$`);
  }
});

test("messages.json: messages are sentences, labels are not", () => {
  const wrong = [];
  for (const [key, { message }] of Object.entries(MESSAGES)) {
    if (message !== message.trim() || /\s{2}/.test(message) || !message) wrong.push(`${key}: spacing: ${JSON.stringify(message)}`);
    if (LABEL.test(key)) {
      if (/\.$/.test(message) && !/\.\.\.$/.test(message)) wrong.push(`${key} is a label and ends with a full stop: ${message}`);
    } else if (!SENTENCE_START.test(message) || !SENTENCE_END.test(message)) {
      wrong.push(`${key} is not a sentence (a capital first, ". ? ! :" last): ${message}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("the scripts hold no English text of their own: every sentence is a message", () => {
  // String and template literals with two words or more, outside comments: a text the UI
  // could show. The few that are not (CSS selectors and classes, a developer's error) are listed.
  const NOT_TEXT = new Set([
    'li[data-index="${indexOf(id)}"] .row-actions button:last-child',
    'li[data-index="${indexOf(id)}"] .code',
    ".row-actions button:last-child",
    "input, textarea, button, select",
    "input, button",
    "dialog[open]",
    "account new",
    "small ghost",
    '_locales/en/messages.json has no message "${key}"',
    "twofa background: ${err.message}",
  ]);
  const found = [];
  for (const [file, source] of SCRIPTS) {
    for (const m of code(source).matchAll(/"((?:\\.|[^"\\\n])*)"|'((?:\\.|[^'\\\n])*)'|`((?:\\.|[^`\\])*)`/g)) {
      const text = m[1] ?? m[2] ?? m[3];
      if (NOT_TEXT.has(text)) continue;
      // Template literals: only their own text counts, not what ${} puts in.
      const own = text.replace(/\$\{[^}]*\}/g, " ");
      if (/\b[A-Za-z][a-z]+ [a-z]+\b/.test(own)) found.push(`${file}: ${text}`);
    }
  }
  assert.deepEqual(found, []);
});

// --- Dynamic: the pseudo-locale -------------------------------------------------------------

const twofa = await nodeEntries("twofa", "qr");
const OPEN = "⟦";
const CLOSE = "⟧";
const pseudo = (messages) => Object.fromEntries(Object.entries(messages).map(([k, v]) => [k, { ...v, message: `${OPEN}${v.message}${CLOSE}` }]));
const PASSPHRASE = "correct horse battery staple";
const ACME = "otpauth://totp/ACME%20Co:ada@acme.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co";
const COUNTER = "otpauth://hotp/Counter:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Counter&counter=3";
const SCANNED = "otpauth://totp/Scanned%20Site:bob@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Scanned%20Site";
/** What the user typed or the codes: left out of the check. */
const USER_DATA = [
  ".account .issuer", ".account .name", ".account .code", ".account .seconds", "#shortcut-keys",
  "#m-algorithm option", "#m-digits option", "#export-codes",
].join(", ");

let extension;
let context;
let errors;
let server;

before(async () => {
  const site = join(ROOT, "target/extension-i18n-site");
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, "qr.svg"), twofa.qrSvg(SCANNED, { ecc: "M" }));
  writeFileSync(join(site, "index.html"), '<!doctype html><title>Set up 2FA</title><img src="qr.svg" width="260" height="260" alt="QR code">');
  writeFileSync(join(site, "blank.html"), "<!doctype html><title>Nothing</title><p>No code here.");
  server = await startServer({ mounts: { "/": site } });
  extension = await launchExtension("extension-i18n", { messages: pseudo });
  ({ context, errors } = extension);
});

afterEach(() => assert.deepEqual(errors.splice(0), [], "console errors"));

after(async () => {
  await context?.close();
  await server?.close();
});

/**
 * The texts of `page` that are not wrapped in ⟦…⟧: visible text nodes, aria-label, title,
 * placeholder and alt, and the page's title. A text may hold several messages ("⟦Added 1
 * account.⟧ ⟦Note:⟧ …") and user data inside one; nothing may stand outside them.
 */
function unwrapped(page, allowed = []) {
  return page.evaluate(([open, close, userData, allowed]) => {
    const outside = (text) => {
      let depth = 0;
      let rest = "";
      for (const c of text) {
        if (c === open) depth++;
        else if (c === close) depth--;
        else if (depth === 0) rest += c;
      }
      return rest.trim();
    };
    const bad = [];
    const check = (where, text) => {
      if (text && text.trim() && outside(text) && !allowed.includes(text.trim())) bad.push(`${where}: ${JSON.stringify(text.trim())}`);
    };
    const shown = (el) => (el.closest("option") ? el.closest("select").checkVisibility() : el.checkVisibility());
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.textContent.trim() || parent.closest(userData) || !shown(parent)) continue;
      check(`text in <${parent.localName}${parent.id ? `#${parent.id}` : ""}>`, node.textContent);
    }
    for (const el of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
      if (!shown(el)) continue;
      for (const attribute of ["aria-label", "title", "placeholder", "alt"]) check(`${attribute} of <${el.localName}${el.id ? `#${el.id}` : ""}>`, el.getAttribute(attribute));
    }
    check("document.title", document.title);
    return bad;
  }, [OPEN, CLOSE, USER_DATA, allowed]);
}

const assertWrapped = async (page, view, allowed) => assert.deepEqual(await unwrapped(page, allowed), [], `${view}: texts that are not messages`);
const waitStatus = (page, text) => page.locator("#status").filter({ hasText: text }).waitFor();

test("pseudo-locale: the popup's main view (empty, then with accounts), its add view with its errors, and new accounts marked", async () => {
  const popup = await extension.openPage("popup.html");
  assert.equal(await popup.title(), `${OPEN}twofa Authenticator${CLOSE}`);
  await popup.locator("#empty").waitFor();
  await assertWrapped(popup, "main, empty");
  await popup.click("#open-add");
  await popup.locator("#view-add details").evaluate((d) => (d.open = true));
  await assertWrapped(popup, "add");
  // Our errors: an empty URI, a manual form with no key, then with no name.
  await popup.locator("#uri-form button[type=submit]").click();
  assert.equal(await popup.textContent("#uri-error"), `${OPEN}Paste a URI that starts with otpauth://.${CLOSE}`);
  await popup.locator("#manual-form button[type=submit]").click();
  assert.equal(await popup.textContent("#m-secret-error"), `${OPEN}Enter the key the site shows.${CLOSE}`);
  await popup.fill("#m-secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  await popup.locator("#manual-form button[type=submit]").click();
  assert.equal(await popup.textContent("#m-issuer-error"), `${OPEN}Enter an issuer or an account name.${CLOSE}`);
  await assertWrapped(popup, "add, with errors");
  // A library message is shown as a sentence (twofa's messages are not translated yet).
  await popup.fill("#uri", "otpauth://totp/x?secret=JBSW1");
  await popup.locator("#uri-form button[type=submit]").click();
  assert.equal(await popup.textContent("#uri-error"), "Invalid base32 character at position 5.");
  // Added by URI: the status says so, and the row is marked and in view.
  await popup.fill("#uri", ACME);
  await popup.locator("#uri-form button[type=submit]").click();
  await waitStatus(popup, `${OPEN}Added 1 account.${CLOSE}`);
  assert.deepEqual(await newRows(popup), ["ACME Co"]);
  // Added by hand, with a warning from twofa: our sentence and twofa's, each a sentence.
  await popup.click("#open-add");
  await popup.fill("#m-issuer", "Bank");
  await popup.fill("#m-account", "bob");
  await popup.fill("#m-secret", "gezd gnbv gy3t qojq");
  await popup.locator("#manual-form button[type=submit]").click();
  await waitStatus(popup, `${OPEN}Added 1 account.${CLOSE} ${OPEN}Note:${CLOSE} The secret is 80 bits; 128 bits is the least that is safe.`);
  assert.deepEqual(await newRows(popup), ["Bank"], "only the latest addition is marked");
  await popup.click("#open-add");
  await popup.fill("#uri", COUNTER);
  // The status still holds the last addition's message, which contains this one: cleared,
  // so that the message waited for is this addition's.
  await clearStatus(popup);
  await popup.locator("#uri-form button[type=submit]").click();
  await waitStatus(popup, `${OPEN}Added 1 account.${CLOSE}`);
  await popup.locator(".account .row-actions button.small:not(.ghost)", { hasText: "Next code" }).waitFor();
  // The main view with accounts, one of them HOTP (Next code), and the toast.
  await assertWrapped(popup, "main, with accounts");
  await popup.close();
});

/** The issuers of the rows marked new, after checking the first is in view. */
async function newRows(popup) {
  return popup.evaluate(() => {
    const rows = [...document.querySelectorAll(".account.new")];
    const box = rows[0]?.getBoundingClientRect();
    if (box && (box.top < 0 || box.bottom > innerHeight + 1)) throw new Error(`the new row is out of view: ${box.top}…${box.bottom} of ${innerHeight}`);
    return rows.map((r) => r.querySelector(".issuer").textContent);
  });
}

test("pseudo-locale: scanning (the scan error, and a scanned account marked)", async () => {
  const site = await context.newPage();
  await site.goto(`${server.url}/blank.html`);
  await site.bringToFront();
  await extension.worker.evaluate((url) => chrome.windows.create({ url, type: "popup", width: 380, height: 620, focused: false }), `chrome-extension://${extension.extensionId}/popup.html`);
  const popup = await context.waitForEvent("page", (p) => p.url().endsWith("/popup.html"));
  await popup.waitForSelector("body[data-ready=true]");
  await popup.click("#open-add");
  await popup.click("#scan");
  await popup.locator("#scan-error").waitFor({ timeout: 15_000 });
  assert.equal(await popup.textContent("#scan-error"), `${OPEN}No QR code is visible on this page.${CLOSE}`);
  await assertWrapped(popup, "add, scan error");
  await site.goto(`${server.url}/`);
  await site.bringToFront();
  await popup.click("#scan");
  await waitStatus(popup, `${OPEN}Added 1 account.${CLOSE}`).catch(async (err) => {
    throw new Error(`${err.message}; the popup says: ${await popup.textContent("#scan-error")}`);
  });
  assert.deepEqual(await newRows(popup), ["Scanned Site"]);
  // Stored at the end, in the user's order; shown first, as the account of the tab's site.
  const { twofa: stored } = await extension.stored();
  assert.equal(stored.plain.accounts.at(-1).uri.includes("Scanned%20Site"), true, "stored at the end");
  assert.equal(await popup.evaluate(() => document.querySelector(".account:first-child .issuer").textContent), "Scanned Site", "shown first, as this site's");
  await popup.close();
  await site.close();
});

test("pseudo-locale: the edit view and the delete dialog", async () => {
  const popup = await extension.openPage("popup.html");
  await popup.locator(".account .row-actions button.ghost").first().click();
  await popup.locator("#view-edit").waitFor();
  await assertWrapped(popup, "edit");
  await popup.fill("#e-issuer", "");
  await popup.fill("#e-account", "");
  await popup.locator("#view-edit button[type=submit]").click();
  assert.equal(await popup.textContent("#e-issuer-error"), `${OPEN}Enter an issuer or an account name.${CLOSE}`);
  await popup.click("#e-delete");
  await popup.locator("dialog#confirm[open]").waitFor();
  assert.equal(await popup.textContent("#confirm-title"), `${OPEN}Delete ACME Co: ada@acme.test?${CLOSE}`);
  await assertWrapped(popup, "edit, delete dialog");
  await popup.click("#confirm-cancel");
  await popup.close();
});

test("pseudo-locale: the options page, an import report and export QR codes; the popup marks what was imported, open or when it next opens", async () => {
  const popup = await extension.openPage("popup.html");
  const options = await extension.openPage("options.html");
  assert.equal(await options.title(), `${OPEN}twofa Authenticator settings${CLOSE}`);
  await assertWrapped(options, "options");
  // Empty import: our error.
  await options.click("#import-submit");
  assert.equal(await options.textContent("#import-text-error"), `${OPEN}Choose a file or paste what to import.${CLOSE}`);
  // Enough accounts that the popup's list scrolls, and a line that is left out.
  const bulk = Array.from({ length: 12 }, (_, i) => `otpauth://totp/Bulk:user${i}?secret=JBSWY3DPEHPK3PX${"ABCDEFGHIJKL"[i]}JBSWY3DPEHPK3PXP&issuer=Bulk`);
  await options.fill("#import-text", [...bulk, "not a uri"].join("\n"));
  await options.click("#import-submit");
  await waitStatus(options, `${OPEN}Imported 12 accounts.${CLOSE} ${OPEN}${OPEN}One entry was left out:${CLOSE} see the list under the form.${CLOSE}`);
  assert.deepEqual(await options.locator("#import-notes li").allTextContents(), [`${OPEN}Entry 13: left out: the line is not an otpauth:// URI.${CLOSE}`]);
  await options.click("#export-qr");
  await options.locator("#export-codes figure").first().waitFor();
  await options.check("#plain-ack");
  await assertWrapped(options, "options, after an import and an export");
  // The popup, open meanwhile, marks the imported accounts and shows the first.
  await popup.bringToFront();
  await popup.waitForFunction(() => document.querySelectorAll(".account.new").length === 12);
  const marked = await newRows(popup);
  assert.deepEqual(marked, Array(12).fill("Bulk"));
  // Added by URI to a list that scrolls: at the end, marked, and scrolled into view.
  await popup.click("#open-add");
  await popup.fill("#uri", "otpauth://totp/Last:one?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Last");
  await popup.locator("#uri-form button[type=submit]").click();
  await waitStatus(popup, `${OPEN}Added 1 account.${CLOSE}`);
  assert.ok(await popup.evaluate(() => document.documentElement.scrollHeight > innerHeight), "the list scrolls");
  assert.deepEqual(await newRows(popup), ["Last"]);
  assert.equal(await popup.evaluate(() => document.querySelector(".account:last-child").classList.contains("new")), true);
  await popup.close();
  const seen = await extension.openPage("popup.html");
  assert.deepEqual(await newRows(seen), [], "an import the open popup showed is not marked again");
  await seen.close();
  // An import while the popup is closed: the popup marks its accounts when it next opens, once.
  await options.fill("#import-text", [
    "otpauth://totp/Later:a?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Later",
    "otpauth://totp/Later:b?secret=ONUXI5DFON2GK43UMVZXI5DFON2GK43U&issuer=Later",
  ].join("\n"));
  await options.click("#import-submit");
  await waitStatus(options, `${OPEN}Imported 2 accounts.${CLOSE}`);
  const reopened = await extension.openPage("popup.html");
  assert.deepEqual(await newRows(reopened), ["Later", "Later"]);
  await reopened.close();
  const again = await extension.openPage("popup.html");
  assert.deepEqual(await newRows(again), [], "marked once");
  await again.close();
  await options.close();
});

test("pseudo-locale: a passphrase, the locked popup and options page, and the drawn lock icon", async () => {
  const options = await extension.openPage("options.html");
  await options.fill("#new-passphrase", "short");
  await options.click("#passphrase-submit");
  assert.equal(await options.textContent("#new-passphrase-error"), `${OPEN}Use at least 8 characters.${CLOSE}`);
  await options.fill("#new-passphrase", PASSPHRASE);
  await options.fill("#confirm-passphrase", `${PASSPHRASE}!`);
  await options.click("#passphrase-submit");
  assert.equal(await options.textContent("#confirm-passphrase-error"), `${OPEN}The two passphrases differ.${CLOSE}`);
  await options.fill("#confirm-passphrase", PASSPHRASE);
  await options.click("#passphrase-submit");
  await waitStatus(options, `${OPEN}Passphrase set: your accounts are encrypted.${CLOSE}`);
  await assertWrapped(options, "options, with a passphrase");
  await options.click("#remove-passphrase");
  await options.locator("dialog#confirm[open]").waitFor();
  await assertWrapped(options, "options, remove dialog");
  await options.click("#confirm-cancel");
  // The passphrase asked again before secrets are shown, with a wrong one's error.
  await options.check("#plain-ack");
  await options.click("#export-plain");
  await options.locator("dialog#reauth[open]").waitFor();
  await options.fill("#reauth-passphrase", "wrong horse battery staple");
  await options.click("#reauth-ok");
  await options.locator("#reauth-passphrase-error").filter({ hasText: `${OPEN}Wrong passphrase. Try again.${CLOSE}` }).waitFor();
  await assertWrapped(options, "options, the passphrase asked again");
  await options.click("#reauth-cancel");
  await options.uncheck("#plain-ack");

  // One account's QR code, after the passphrase.
  const edit = await extension.openPage("popup.html");
  await edit.locator(".account .row-actions button.ghost").first().click();
  await edit.click("#e-qr");
  await edit.locator("dialog#reauth[open]").waitFor();
  await assertWrapped(edit, "edit, the passphrase asked again");
  await edit.fill("#reauth-passphrase", PASSPHRASE);
  await edit.click("#reauth-ok");
  await edit.locator("#e-qr-box svg").waitFor();
  await assertWrapped(edit, "edit, an account's QR code");
  await edit.close();

  // The popup's icon buttons: each an SVG in the text's colour, and no text of its own.
  const popup = await extension.openPage("popup.html");
  await popup.locator("#lock").waitFor();
  const icons = await popup.evaluate(() =>
    [...document.querySelectorAll("button.icon")].map((b) => ({
      id: b.id || b.closest(".view").id,
      svg: b.querySelectorAll("svg").length,
      text: b.textContent.trim(),
      stroke: b.querySelector("svg") && getComputedStyle(b.querySelector("svg")).stroke === getComputedStyle(b).color,
    })),
  );
  assert.equal(icons.length, 5);
  for (const icon of icons) assert.deepEqual(icon, { id: icon.id, svg: 1, text: "", stroke: true });
  const lock = await popup.locator("#lock").evaluate((b) => ({ html: b.innerHTML, box: b.querySelector("svg").getBoundingClientRect().width }));
  assert.ok(!/\p{Extended_Pictographic}/u.test(lock.html), "no emoji in the lock button");
  assert.ok(lock.box > 10, "the lock is drawn");
  await popup.click("#lock");
  await popup.locator("#view-locked").waitFor();
  await assertWrapped(popup, "locked");
  await popup.click("#unlock-form button[type=submit]");
  assert.equal(await popup.textContent("#unlock-passphrase-error"), `${OPEN}Enter your passphrase.${CLOSE}`);
  await popup.fill("#unlock-passphrase", "wrong horse battery staple");
  await popup.click("#unlock-form button[type=submit]");
  await popup.locator("#unlock-passphrase-error").filter({ hasText: `${OPEN}Wrong passphrase. Try again.${CLOSE}` }).waitFor();
  await assertWrapped(popup, "locked, wrong passphrase");
  await popup.close();
  await options.locator("#locked").waitFor();
  await assertWrapped(options, "options, locked");
  await options.fill("#unlock-passphrase", PASSPHRASE);
  await options.click("#unlock-form button[type=submit]");
  await waitStatus(options, `${OPEN}Unlocked.${CLOSE}`);
  await options.close();
});

test("pseudo-locale: data of another version (the error view), and Clear all data", async () => {
  await extension.worker.evaluate(async () => {
    const { twofa } = await chrome.storage.local.get("twofa");
    await chrome.storage.local.set({ twofa: { ...twofa, version: 2 } });
  });
  const popup = await extension.openPage("popup.html");
  await popup.locator("#view-error").waitFor();
  assert.equal(await popup.textContent("#error-text"), `${OPEN}The stored data is of a newer version of twofa.${CLOSE}`);
  await assertWrapped(popup, "error");
  await popup.close();
  const options = await extension.openPage("options.html");
  assert.equal(await options.textContent("#locked-title"), `${OPEN}twofa cannot read its data: ${OPEN}The stored data is of a newer version of twofa.${CLOSE} Update the extension, or clear the data below.${CLOSE}`);
  await assertWrapped(options, "options, unreadable data");
  await options.click("#clear-all");
  await options.locator("dialog#clear[open]").waitFor();
  await assertWrapped(options, "options, clear dialog");
  await options.click("#clear-ok");
  await waitStatus(options, `${OPEN}All data cleared.${CLOSE}`);
  await options.close();
});
