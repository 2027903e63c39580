// Builds the browser extension from www/extension, www/shared and the built package:
//
//   node scripts/build-extension.mjs <pkg-dir> <dist-dir>
//
// writes <dist>/chrome/ and <dist>/firefox/ (unpacked, each with its own manifest.json)
// and <dist>/twofa-extension-<browser>-<version>.zip. The version is Cargo.toml's. A build
// holds everything in www/extension but its manifests and docs, and what its scripts load,
// followed import by import: www/shared's files under shared/, and the package's browser
// files under pkg/ (the entries imported and their wasm). The pages
// see the same layout as the demo's server gives (/shared/, /pkg/). Entries are stored in
// a fixed order with a fixed time, so a build is reproducible.
//
// A file named `<name>.<browser>.<ext>` (lib/clear-clipboard.chrome.js) is in that
// browser's build only, as `<name>.<ext>`: code for an API one browser lacks (Chrome's
// offscreen documents) is not shipped to the other, whose linter would flag it.
import { deflateRawSync, crc32 } from "node:zlib";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const [pkgDir, distDir] = process.argv.slice(2);
if (!distDir) throw new Error("usage: build-extension.mjs <pkg-dir> <dist-dir>");
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "www/extension");
const version = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]*)"/m)?.[1];
if (!version) throw new Error("no version in Cargo.toml");

/** What goes into every build from www/extension: everything but its manifests and docs. */
const SKIP = /^(manifest\.[a-z]+\.json|README\.md)$/;
const BROWSERS = ["chrome", "firefox"];
/** A file for one browser only: `name.chrome.js`; [, name, browser, extension]. */
const VARIANT = new RegExp(`^(.*)\\.(${BROWSERS.join("|")})(\\.[a-z]+)$`);
/** Where a path of the build comes from: shared/ and pkg/ are mounted as in the demo. */
const MOUNTS = [["shared/", join(root, "www/shared")], ["pkg/", pkgDir], ["", source]];
/**
 * What a script loads: static and dynamic imports of a path ("./x.js", "../x.js", "/x.js"),
 * and URLs relative to the script, `new URL("…", import.meta.url)` (workers, wasm).
 */
const LOADS = new RegExp(
  String.raw`\b(?:from|import)\s*\(?\s*["'](\.{0,2}/[^"'\s]+)["']` +
    String.raw`|\bnew URL\(\s*["']((?![A-Za-z][A-Za-z0-9+.-]*:)[^"'\s]+)["']\s*,\s*import\.meta\.url\s*\)`,
  "g",
);

function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile() && !SKIP.test(f))
    .sort();
}

/** The source file of each of www/extension's files in the build being made. */
let own = new Map();

const sourceOf = (path) => {
  const [prefix, dir] = MOUNTS.find(([p]) => path.startsWith(p));
  return prefix ? join(dir, path.slice(prefix.length)) : (own.get(path) ?? join(dir, path));
};

/**
 * The paths of `browser`'s build ("popup.js", "shared/qr.js", "pkg/qr_bg.wasm"...): www/extension's
 * files and, from its scripts on, every file they load. A load that names no file fails
 * the build.
 */
function contents(browser) {
  own = new Map();
  const all = files(source).map((f) => f.split(sep).join("/"));
  for (const file of all) {
    const [, name, only, extension] = file.match(VARIANT) ?? [];
    if (only && all.includes(`${name}${extension}`)) throw new Error(`www/extension/${file}: ${name}${extension} is there for every browser`);
    if (!only || only === browser) own.set(only ? `${name}${extension}` : file, join(source, file));
  }
  const paths = new Set(own.keys());
  for (const path of paths) {
    if (MOUNTS.some(([prefix]) => prefix && path.startsWith(prefix))) throw new Error(`www/extension/${path}: the build fills shared/ and pkg/`);
  }
  const queue = [...paths];
  while (queue.length) {
    const path = queue.shift();
    if (!path.endsWith(".js")) continue;
    for (const [, imported, url] of readFileSync(sourceOf(path), "utf8").matchAll(LOADS)) {
      const spec = imported ?? url;
      const target = posix.normalize(spec.startsWith("/") ? spec.slice(1) : posix.join(posix.dirname(path), spec));
      if (target.startsWith("../")) throw new Error(`${path}: ${spec} is outside the extension`);
      if (!existsSync(sourceOf(target))) throw new Error(`${path}: ${spec} (${relative(root, sourceOf(target))}) does not exist`);
      if (!paths.has(target)) {
        paths.add(target);
        queue.push(target);
      }
    }
  }
  return [...paths].sort();
}

function build(browser) {
  const paths = contents(browser);
  const out = join(distDir, browser);
  rmSync(out, { recursive: true, force: true });
  for (const path of paths) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    copyFileSync(sourceOf(path), join(out, path));
  }
  const manifest = JSON.parse(readFileSync(join(source, `manifest.${browser}.json`), "utf8"));
  manifest.version = version;
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const zip = join(distDir, `twofa-extension-${browser}-${version}.zip`);
  writeFileSync(zip, zipOf(out));
  return zip;
}

/** A zip archive of `dir` (deflated entries, 1980-01-01 00:00 times, sorted names). */
function zipOf(dir) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const f of files(dir)) {
    const name = Buffer.from(relative(dir, join(dir, f)).split(sep).join("/"));
    const data = readFileSync(join(dir, f));
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const header = (central) => {
      const h = Buffer.alloc(central ? 46 : 30);
      let p = 0;
      const u32 = (v) => (p = h.writeUInt32LE(v >>> 0, p));
      const u16 = (v) => (p = h.writeUInt16LE(v, p));
      u32(central ? 0x02014b50 : 0x04034b50);
      if (central) u16(20); // made by
      u16(20); // needed to extract
      u16(0x0800); // UTF-8 names
      u16(8); // deflate
      u16(0); // time 00:00
      u16(0x21); // date 1980-01-01
      u32(crc);
      u32(packed.length);
      u32(data.length);
      u16(name.length);
      u16(0); // extra
      if (central) {
        u16(0); // comment
        u16(0); // disk
        u16(0); // internal attributes
        u32(0o100644 << 16); // external attributes: a regular file, rw-r--r--
        u32(offset);
      }
      return h;
    };
    const local = Buffer.concat([header(false), name, packed]);
    centrals.push(Buffer.concat([header(true), name]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

mkdirSync(distDir, { recursive: true });
for (const browser of BROWSERS) console.log(`extension: ${relative(root, build(browser))}`);
