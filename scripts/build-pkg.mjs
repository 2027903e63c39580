// Builds the npm package into pkg/: one WebAssembly module per entry, the thin
// JavaScript layer over each (js/*.ts), and their types.
//
//   node scripts/build-pkg.mjs [out-dir]
//
// For each entry: `cargo rustc` builds the crate with that entry's `js-*` feature as a
// cdylib, wasm-bindgen writes its glue, wasm-opt shrinks the module. Then tsc checks the
// TypeScript layer against the glue's declarations and writes the public ones, and esbuild
// bundles it three ways:
//   <entry>.js        browsers and bundlers (ESM; `await init()` once), each file whole
//   <entry>.node.mjs  Node `import` (instantiated on import)
//   <entry>.cjs       Node `require` (the same, bundled to CommonJS)
//   <entry>.workerd.js Cloudflare Workers (the `workerd` condition): the module imported as a
//                     Workers module (`import module from "./<entry>_bg.wasm"`), instantiated
//                     on import
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ENTRIES } from "./entries.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, process.argv[2] ?? "pkg");
const WORK = join(ROOT, "target/js-build");
const BIN = join(ROOT, "node_modules/.bin");


const cargo = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const version = field("version");

function run(cmd, args, env = {}) {
  execFileSync(cmd, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
}

rmSync(OUT, { recursive: true, force: true });
rmSync(WORK, { recursive: true, force: true });
mkdirSync(join(WORK, "glue"), { recursive: true });
mkdirSync(join(OUT, "records"), { recursive: true });

for (const entry of ENTRIES) {
  const targetDir = join(ROOT, "target/entries", entry.name);
  const rustflags = entry.size ? '--cfg sha2_backend_soft="compact"' : "";
  run(
    "cargo",
    [
      "rustc", "--lib", "--profile", entry.size ? "entry-small" : "release",
      "--target", "wasm32-unknown-unknown", "--no-default-features",
      "--features", `js-module,${entry.feature}`, "--crate-type", "cdylib", "--target-dir", targetDir,
    ],
    { RUSTFLAGS: rustflags },
  );
  const profileDir = entry.size ? "entry-small" : "release";
  const wasm = join(targetDir, "wasm32-unknown-unknown", profileDir, "twofa.wasm");
  const bindgen = join(targetDir, "bindgen");
  rmSync(bindgen, { recursive: true, force: true });
  run("wasm-bindgen", ["--target", "web", "--out-dir", bindgen, "--out-name", entry.name, wasm]);
  run(join(BIN, "wasm-opt"), [
    "-Oz", "--strip-debug", "--strip-producers", "--strip-target-features",
    join(bindgen, `${entry.name}_bg.wasm`), "-o", join(OUT, `${entry.name}_bg.wasm`),
  ]);
  copyFileSync(join(bindgen, `${entry.name}.js`), join(WORK, "glue", `${entry.name}.js`));
  if (existsSync(join(bindgen, "snippets"))) cpSync(join(bindgen, "snippets"), join(WORK, "glue", "snippets"), { recursive: true });
  const dts = readFileSync(join(bindgen, `${entry.name}.d.ts`), "utf8");
  writeFileSync(join(WORK, "glue", `${entry.name}.d.ts`), dts);
  // The records' declarations, which the public types re-export: everything before the
  // first class or function of the raw binding.
  const end = dts.search(/^export (class|function) /m);
  if (end < 0) throw new Error(`${entry.name}: no raw exports in the glue's declarations`);
  writeFileSync(join(OUT, "records", `${entry.name}.d.ts`), dts.slice(0, end).replace(/\n{3,}/g, "\n\n"));
}

// The TypeScript layer: checked against the glue and the records, with declarations.
for (const file of readdirSync(join(ROOT, "js")).filter((f) => f.endsWith(".ts"))) {
  copyFileSync(join(ROOT, "js", file), join(WORK, file));
}
writeFileSync(
  join(WORK, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      target: "es2022", module: "es2022", moduleResolution: "bundler", lib: ["es2024", "dom", "esnext.disposable"],
      strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false,
      declaration: true, emitDeclarationOnly: true, outDir: "types", stripInternal: true,
    },
    files: ENTRIES.map((e) => e.source),
  }),
);
run(join(BIN, "tsc"), ["-p", join(WORK, "tsconfig.json")]);
for (const entry of ENTRIES) {
  const stem = entry.source.replace(/\.ts$/, "");
  const dts = readFileSync(join(WORK, "types", `${stem}.d.ts`), "utf8").replace(/"\.\/glue\//g, '"./records/');
  writeFileSync(join(OUT, `${entry.name}.d.ts`), `/// <reference lib="esnext.disposable" />\n${dts}`);
}
for (const file of readdirSync(join(WORK, "types")).filter((f) => !ENTRIES.some((e) => f === e.source.replace(/\.ts$/, ".d.ts")))) {
  if (file.endsWith(".d.ts")) {
    writeFileSync(join(OUT, file), readFileSync(join(WORK, "types", file), "utf8").replace(/"\.\/glue\//g, '"./records/'));
  }
}

// Browsers and bundlers: one ESM file per entry, whole, beside its module, so the glue's
// `new URL("<entry>_bg.wasm", import.meta.url)` finds it. No chunks are shared between
// entries: each has its own module and memory, so the little they share (the runtime
// layer) is better repeated than fetched as a separate file, which measured 1.2 KiB more
// gzip for the root entry.
const banner = { js: `// twofa ${version}. Generated from js/ and the wasm-bindgen glue; do not edit.` };
await build({
  entryPoints: Object.fromEntries(ENTRIES.map((e) => [e.name, join(WORK, e.source)])),
  outdir: OUT,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  minify: true,
  legalComments: "none",
  banner,
  logLevel: "error",
});

// Node: the same module, instantiated synchronously from the file beside it.
for (const entry of ENTRIES) {
  writeFileSync(
    join(OUT, `${entry.name}.node.mjs`),
    [
      banner.js,
      'import { readFileSync } from "node:fs";',
      `import { initSync } from "./${entry.name}.js";`,
      `initSync({ module: readFileSync(new URL("./${entry.name}_bg.wasm", import.meta.url)) });`,
      `export * from "./${entry.name}.js";`,
      `export { default } from "./${entry.name}.js";`,
      "",
    ].join("\n"),
  );
  const cjsSource = join(WORK, `${entry.name}.cjs-entry.ts`);
  writeFileSync(
    cjsSource,
    [
      'import { readFileSync } from "node:fs";',
      'import { join } from "node:path";',
      `import { initSync } from "./${entry.source.replace(/\.ts$/, ".js")}";`,
      `initSync({ module: readFileSync(join(__dirname, "${entry.name}_bg.wasm")) });`,
      `export * from "./${entry.source.replace(/\.ts$/, ".js")}";`,
      `export { default } from "./${entry.source.replace(/\.ts$/, ".js")}";`,
    ].join("\n"),
  );
  await build({
    entryPoints: [cjsSource],
    outfile: join(OUT, `${entry.name}.cjs`),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    banner,
    logLevel: "error",
    logOverride: { "empty-import-meta": "silent" },
  });
}

// Cloudflare Workers: wrangler (and esbuild with the `workerd` condition) keeps a `.wasm`
// import as a Workers module, which workerd hands over compiled, so the module is
// instantiated synchronously on import, as in Node; `init()` is then accepted and ignored.
// workerd fetches nothing from a URL beside the file, which the browser file would try.
for (const entry of ENTRIES) {
  writeFileSync(
    join(OUT, `${entry.name}.workerd.js`),
    [
      banner.js,
      `import module from "./${entry.name}_bg.wasm";`,
      `import { initSync } from "./${entry.name}.js";`,
      "initSync({ module });",
      `export * from "./${entry.name}.js";`,
      `export { default } from "./${entry.name}.js";`,
      "",
    ].join("\n"),
  );
}

// Node's declarations: the same, over a runtime whose init inputs need no DOM types (Node
// loads each module on import, and its `init` takes anything and ignores it).
for (const entry of ENTRIES) {
  const dts = readFileSync(join(OUT, `${entry.name}.d.ts`), "utf8").replaceAll('"./runtime.js"', '"./runtime.node.js"');
  writeFileSync(join(OUT, `${entry.name}.node.d.ts`), dts);
}
{
  const runtime = readFileSync(join(OUT, "runtime.d.ts"), "utf8");
  const node = runtime
    .replace(/export type InitInput = [^;]*;/, "export type InitInput = unknown;")
    .replace(/export type ModuleSource = [^;]*;/, "export type ModuleSource = unknown;");
  if (node === runtime || /BufferSource|WebAssembly|Response/.test(node.replace(/\/\*\*[\s\S]*?\*\//g, ""))) {
    throw new Error("runtime.d.ts: the init input types were not replaced for Node");
  }
  writeFileSync(join(OUT, "runtime.node.d.ts"), node);
}

const exportsMap = {};
for (const entry of ENTRIES) {
  exportsMap[entry.subpath] = {
    // Node's declarations fit workerd too: the module is loaded on import, init takes anything.
    workerd: { types: `./${entry.name}.node.d.ts`, default: `./${entry.name}.workerd.js` },
    node: {
      import: { types: `./${entry.name}.node.d.ts`, default: `./${entry.name}.node.mjs` },
      require: { types: `./${entry.name}.node.d.ts`, default: `./${entry.name}.cjs` },
    },
    types: `./${entry.name}.d.ts`,
    default: `./${entry.name}.js`,
  };
  exportsMap[`./${entry.name}_bg.wasm`] = { types: "./wasm-url.d.ts", default: `./${entry.name}_bg.wasm` };
}
exportsMap["./package.json"] = "./package.json";
copyFileSync(join(ROOT, "js/wasm-url.d.ts"), join(OUT, "wasm-url.d.ts"));

const pkg = {
  name: "twofa",
  version,
  description: field("description"),
  license: field("license"),
  keywords: ["totp", "hotp", "otp", "2fa", "mfa", "authenticator", "steam", "wasm", "webassembly"],
  type: "module",
  main: "./twofa.cjs",
  module: "./twofa.js",
  types: "./twofa.d.ts",
  exports: exportsMap,
  sideEffects: ENTRIES.flatMap((e) => [`./${e.name}.node.mjs`, `./${e.name}.cjs`, `./${e.name}.workerd.js`]),
  engines: { node: ">=20" },
};
writeFileSync(join(OUT, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
copyFileSync(join(ROOT, "js/README.md"), join(OUT, "README.md"));
for (const file of ["LICENSE-MIT", "LICENSE-APACHE", "SECURITY.md"]) copyFileSync(join(ROOT, file), join(OUT, file));
if (!existsSync(join(OUT, "twofa.js"))) throw new Error("the root entry was not written");
console.log(`pkg: twofa ${version} written to ${OUT}`);
