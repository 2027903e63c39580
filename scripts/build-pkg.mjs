// Assembles the npm package in pkg/ from wasm-bindgen's `--target web` output.
//
//   node scripts/build-pkg.mjs <bindgen-dir> <optimised.wasm> <out-dir>
//
// One wasm file and one glue module serve every runtime:
//   twofa.js    browsers and bundlers (ESM; `await init()` once)
//   node.mjs    Node `import` (instantiated synchronously on import)
//   node.cjs    Node `require` (the same glue, bundled to CommonJS by esbuild)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [bindgenDir, wasmFile, outDir] = process.argv.slice(2);
if (!outDir) throw new Error("usage: build-pkg.mjs <bindgen-dir> <optimised.wasm> <out-dir>");
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const version = field("version");
if (!version) throw new Error("no version in Cargo.toml");

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// The glue, with js/guard.js appended and applied to every exported class.
const glue = readFileSync(join(bindgenDir, "twofa.js"), "utf8");
const classes = [...readFileSync(join(bindgenDir, "twofa.d.ts"), "utf8").matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
if (classes.length === 0) throw new Error("no exported classes found in the glue's declarations");
writeFileSync(
  join(outDir, "twofa.js"),
  glue + readFileSync(join(root, "js/guard.js"), "utf8") + classes.map((c) => `twofaGuard(${c});\n`).join(""),
);
copyFileSync(wasmFile, join(outDir, "twofa_bg.wasm"));
copyFileSync(join(root, "js/node.mjs"), join(outDir, "node.mjs"));

// Types: one declaration file, also as .d.cts for `require`, plus the init functions' docs.
// wasm-bindgen types the raw exports in `InitOutput` with `any`; `unknown` is as true and
// keeps the declarations free of `any`.
// Declarations. The classes declare `[Symbol.dispose]`, so the files bring in its lib.
// Browsers and bundlers get wasm-bindgen's declarations, whose init functions use DOM types
// (Response, BufferSource, WebAssembly). Node needs no init, so its declarations end with a
// DOM-free `init` instead, and compile in a project without the DOM lib.
const dts =
  '/// <reference lib="esnext.disposable" />\n' +
  readFileSync(join(bindgenDir, "twofa.d.ts"), "utf8").replace(/\bany\b/g, "unknown");
const initAt = dts.indexOf("export type InitInput");
if (initAt < 0) throw new Error("the glue's declarations have no InitInput");
const nodeDts = dts.slice(0, initAt) + readFileSync(join(root, "js/node-init.d.ts"), "utf8");
writeFileSync(join(outDir, "twofa.d.ts"), dts);
writeFileSync(join(outDir, "node.d.mts"), nodeDts);
writeFileSync(join(outDir, "node.d.cts"), nodeDts);
copyFileSync(join(root, "js/wasm-url.d.ts"), join(outDir, "wasm-url.d.ts"));

// The CommonJS entry's source imports "./twofa.js", so it is built from beside it.
const cjsEntry = join(outDir, ".node-cjs.mjs");
copyFileSync(join(root, "js/node-cjs.mjs"), cjsEntry);
await build({
  entryPoints: [cjsEntry],
  outfile: join(outDir, "node.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "error",
  // The glue's `import.meta.url` is only read by `init()` without arguments, which
  // returns early here because the module is already instantiated.
  logOverride: { "empty-import-meta": "silent" },
  banner: { js: `// twofa ${version}: CommonJS entry for Node. Generated; do not edit.` },
});
rmSync(cjsEntry);

const pkg = {
  name: "twofa",
  version,
  description: field("description"),
  license: field("license"),
  keywords: ["totp", "hotp", "otp", "2fa", "mfa", "authenticator", "steam", "wasm", "webassembly"],
  type: "module",
  main: "./node.cjs",
  module: "./twofa.js",
  types: "./twofa.d.ts",
  exports: {
    ".": {
      node: {
        import: { types: "./node.d.mts", default: "./node.mjs" },
        require: { types: "./node.d.cts", default: "./node.cjs" },
      },
      types: "./twofa.d.ts",
      default: "./twofa.js",
    },
    "./twofa_bg.wasm": { types: "./wasm-url.d.ts", default: "./twofa_bg.wasm" },
    "./package.json": "./package.json",
  },
  files: [
    "twofa.js", "twofa.d.ts", "twofa_bg.wasm", "wasm-url.d.ts",
    "node.mjs", "node.cjs", "node.d.mts", "node.d.cts", "README.md", "LICENSE-MIT", "LICENSE-APACHE",
  ],
  sideEffects: ["./node.mjs", "./node.cjs"],
  engines: { node: ">=20" },
};
writeFileSync(join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
copyFileSync(join(root, "js/README.md"), join(outDir, "README.md"));
for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  copyFileSync(join(root, file), join(outDir, file));
}
console.log(`pkg: twofa ${version} written to ${outDir}`);
