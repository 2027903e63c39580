// The browser extension as a user loads it, shared by the extension's browser tests: the
// unpacked Chrome build of `make extension` (dist/chrome), loaded into Debian's Chromium
// through playwright-core with a fresh profile, and the popup's codes as a user reads them.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

export const DIST = join(ROOT, "dist");

/**
 * Loads the extension into a new Chromium profile. `name` names the test's copy of the
 * build, which differs in one way: the toolbar click that grants activeTab cannot be made
 * headless, so the copy asks for the pages' host permission instead. Returns the context,
 * the background service worker, the extension's id, the console errors seen (a test
 * fails on any), and `loads`: the paths each page and its workers requested, in order.
 * `messages`, when given, rewrites the copy's _locales/en/messages.json: it gets the
 * messages object and returns the one to load (a pseudo-locale, say).
 */
export async function launchExtension(name, { messages } = {}) {
  const unpacked = join(ROOT, `target/${name}`);
  rmSync(unpacked, { recursive: true, force: true });
  cpSync(join(DIST, "chrome"), unpacked, { recursive: true });
  if (messages) {
    const path = join(unpacked, "_locales/en/messages.json");
    writeFileSync(path, JSON.stringify(messages(JSON.parse(readFileSync(path, "utf8")))));
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  manifest.host_permissions = ["<all_urls>"];
  writeFileSync(join(unpacked, "manifest.json"), JSON.stringify(manifest));

  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "twofa-ext-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    acceptDownloads: true,
    viewport: { width: 360, height: 600 },
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", `--disable-extensions-except=${unpacked}`, `--load-extension=${unpacked}`,
    ],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker");
  const extensionId = new URL(worker.url()).host;
  const errors = [];
  const loads = new WeakMap();
  context.on("page", (page) => {
    loads.set(page, []);
    page.on("request", (r) => loads.get(page).push(new URL(r.url()).pathname));
    page.on("console", (m) => m.type() === "error" && errors.push(`${page.url()}: ${m.text()}`));
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
  });
  return {
    context,
    worker,
    extensionId,
    errors,
    loads,
    /** Opens one of the extension's pages and waits until it has drawn itself. */
    async openPage(file) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${file}`);
      await page.waitForSelector("body[data-ready=true]");
      return page;
    },
    /** Everything in chrome.storage.local, as the background reads it. */
    stored: () => worker.evaluate(() => chrome.storage.local.get(null)),
  };
}

/**
 * Empties a page's status line, so that a wait for a message is met by the next action's
 * message, not by the same words left by an earlier one.
 */
export const clearStatus = (page) => page.evaluate(() => (document.getElementById("status").textContent = ""));

export const digits = (text) => text.replace(/\s/g, "");

/** The button that shows an account's code and copies it: "123 456: copy the code for NAME". */
export const codeButton = (popup, name) =>
  popup.getByRole("button", { name: new RegExp(`^[0-9A-Z ]+: copy the code for ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) });

/**
 * The code the popup shows for the account named `name`, checked against its label. Both
 * are read in one step: the popup's tick (every 250 ms) changes them together at a
 * period's end, which could fall between two separate reads.
 */
export async function shownCode(popup, name) {
  const [text, label] = await codeButton(popup, name).evaluate((b) => [b.textContent, b.getAttribute("aria-label")]);
  assert.equal(label, `${text}: copy the code for ${name}`);
  return digits(text);
}

/** Every code the popup shows, in the list's order: `[{ name, code }]`. */
export async function shownCodes(popup) {
  const labels = await popup.locator(".account .code").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label")));
  return labels.map((label) => {
    const [, code, name] = label.match(/^([0-9A-Z ]+): copy the code for (.*)$/s);
    return { name, code: digits(code) };
  });
}

/**
 * The codes `twofa` (the package's root entry in Node) computes for `uri` in every period
 * from `from` − 1 s to now + 1 s, and no others. `from` is taken before the action that
 * makes the extension compute its code, and "now" once it has been read: the code was
 * made somewhere in between, however long the round trip took under load, and a period
 * may end anywhere in it.
 */
export function codesAround(twofa, uri, from) {
  assert.ok(Number.isSafeInteger(from), "codesAround: the time (ms) taken before the action");
  const totp = twofa.Totp.fromUri(uri);
  try {
    const codes = [];
    // remaining(t) leads from t to the first instant of the next period.
    for (let t = from - 1000, end = Date.now() + 1000; t <= end; t += totp.remaining(t)) codes.push(totp.generate(t));
    return codes;
  } finally {
    totp.free();
  }
}
