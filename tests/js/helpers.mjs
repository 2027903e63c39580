// Shared by the JS tests: the package installed as a consumer installs it, and Chromium.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { merged } from "./vectors.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PKG = join(ROOT, "pkg");
export const ARTIFACTS = join(ROOT, "tests/artifacts");

/**
 * Packs pkg/ with `npm pack` and installs the tarball into a fresh project, as a user
 * would (`npm install twofa`). Returns the project's folder and the tarball's file list.
 */
export function installConsumer(name) {
  const dir = join(ROOT, "target/js-consumers", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packed = JSON.parse(
    execFileSync("npm", ["pack", PKG, "--json", "--pack-destination", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  )[0];
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, version: "1.0.0" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(dir, packed.filename)], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { dir, files: packed.files.map((f) => f.path).sort() };
}

/** The package's entries: subpath and file stem. */
export const ENTRIES = [
  ["twofa", "twofa"],
  ["twofa/qr", "qr"],
  ["twofa/migration", "migration"],
  ["twofa/flows", "flows"],
  ["twofa/vault", "vault"],
  ["twofa/import", "import"],
];

/** Every entry's exports in one object (defined beside the vectors, which browser pages load). */
export { merged };

/**
 * The built package's Node entries (`pkg/<entry>.node.mjs`, no init needed), their exports
 * in one object: `await nodeEntries("twofa", "qr")` has `Totp` and `qrSvg`.
 */
export async function nodeEntries(...entries) {
  const modules = await Promise.all(entries.map((e) => import(pathToFileURL(join(PKG, `${e}.node.mjs`)).href)));
  return Object.assign({}, ...modules);
}

/**
 * The installed package through `import` and through `require`, resolved from `dir`: every
 * entry merged (`esm`, `cjs`), and each entry apart (`entries.esm.qr`, `entries.cjs.qr`).
 */
export async function loadBoth(dir) {
  writeFileSync(join(dir, "load.mjs"), ENTRIES.map(([sub, name]) => `export * as ${name} from "${sub}";\n`).join(""));
  const esmAll = await import(pathToFileURL(join(dir, "load.mjs")).href);
  const req = createRequire(join(dir, "index.cjs"));
  const entries = {
    esm: Object.fromEntries(ENTRIES.map(([, name]) => [name, esmAll[name]])),
    cjs: Object.fromEntries(ENTRIES.map(([sub, name]) => [name, req(sub)])),
  };
  const all = (modules) => merged(ENTRIES.map(([, name]) => modules[name]));
  return { esm: all(entries.esm), cjs: all(entries.cjs), entries };
}

/** The built package in pkg/, every entry through its Node ESM file, merged. */
export async function loadPkg() {
  return merged(await Promise.all(ENTRIES.map(([, name]) => import(join(PKG, `${name}.node.mjs`)))));
}

/** Headless Debian Chromium through playwright-core (never a downloaded browser). */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

/** Opens `url`, collecting console errors, page errors and the URLs the page requests. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  return { page, errors, requests };
}

/**
 * A README's example: the first ```js block after the line `heading` that contains
 * `marker`, so a test runs the snippet users copy.
 */
export function readmeBlock(file, heading, marker = "") {
  const readme = readFileSync(file, "utf8");
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`${file} has no ${heading}`);
  const block = [...readme.slice(at).matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes(marker));
  if (block === undefined) throw new Error(`${file}: no js block with ${marker} after ${heading}`);
  return block;
}

/** The TOTP codes `twofa`'s `secret` gives within `steps` steps (30 s) either side of `at`. */
export function codesNear(twofa, secret, at, steps) {
  const totp = new twofa.Totp({ secret });
  const codes = Array.from({ length: 2 * steps + 1 }, (_, i) => totp.generate(at + (i - steps) * 30_000));
  totp.free();
  return codes;
}

/**
 * A well-formed TOTP code of `secret` that its app does not show within two steps of `at`
 * (a verifier's window of one, and a period that may end before the code is sent; a random
 * key's codes may repeat): the code `away` ms from `at`, or a later one.
 */
export function codeAwayFrom(twofa, secret, at, away) {
  const near = codesNear(twofa, secret, at, 2);
  const totp = new twofa.Totp({ secret });
  let t = at + away;
  while (near.includes(totp.generate(t))) t += 30_000;
  const code = totp.generate(t);
  totp.free();
  return code;
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export function listFiles(dir) {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}
