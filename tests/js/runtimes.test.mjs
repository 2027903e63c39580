// The packed package, installed as a consumer installs it, in the runtimes besides Node and
// Chromium: Deno and Bun (their binaries from the npm packages the lockfile pins), and
// Cloudflare's workerd with the app bundled as wrangler bundles it. Each runs the shared
// table over every entry and prints its failures; nothing here reaches past this machine
// (Deno and Bun run from node_modules with fetching turned off, workerd's test runner
// listens on no port).
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { before, test } from "node:test";
import { ENTRIES, installConsumer, readmeBlock, ROOT } from "./helpers.mjs";

const HERE = join(ROOT, "tests/js");
const BIN = join(ROOT, "node_modules/.bin");
const SHARED = ["vectors.mjs", "transfer.mjs", "flows.mjs", "vault.mjs", "import.mjs"];
const STEMS = ENTRIES.map(([, name]) => name);
/** The version of an npm package the lockfile pins. */
const pinned = (name) => JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")).packages[`node_modules/${name}`].version;

/** A promise that never rejects: its value, or its error for the test that awaits it to throw. */
const settled = (promise) => promise.then((value) => () => value, (err) => () => { throw err; });

let dir;
let installed;
/** Deno's and Bun's runs of the table, started at once so they use both cores while the workerd tests go on. */
let denoRun;
let bunRun;
before(() => {
  dir = installConsumer("runtimes").dir;
  installed = join(dir, "node_modules/twofa");
  for (const f of [...SHARED.map((s) => join(HERE, s)), join(HERE, "fixtures/runtime-table.mjs")]) copyFileSync(f, join(dir, basename(f)));
  // --cached-only: Deno may not fetch anything; --allow-read of the installed package
  // alone, and no other permission, as the package's README says to run it.
  denoRun = settled(run("deno", ["run", "--cached-only", "--no-prompt", "--allow-read=node_modules/twofa", "runtime-table.mjs"], {
    DENO_DIR: join(dir, ".deno"),
    DENO_NO_UPDATE_CHECK: "1",
  }));
  // --no-install: Bun may not fetch a package that node_modules lacks.
  bunRun = settled(run("bun", ["--no-install", "runtime-table.mjs"], { BUN_INSTALL_CACHE_DIR: join(dir, ".bun-cache") }));
});

/** Runs a runtime's binary in the consumer project: its stdout, or a failure with stderr. */
function run(bin, args, env = {}) {
  return new Promise((ok, fail) => {
    execFile(join(BIN, bin), args, {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      maxBuffer: 16 << 20,
      env: { ...process.env, NO_COLOR: "1", ...env },
    }, (err, stdout, stderr) => (err ? fail(new Error(`${bin} failed: ${err.message}\n${stdout}\n${stderr}`)) : ok(stdout)));
  });
}

/**
 * The report of runtime-table.mjs: each subpath resolved to the Node files, the table
 * without a failure through `import`, each entry's answer through `require`.
 */
function assertTable(stdout, runtime) {
  const report = JSON.parse(stdout);
  assert.equal(report.runtime, runtime);
  assert.deepEqual(report.resolved, STEMS.map((n) => pathToFileURL(join(installed, `${n}.node.mjs`)).href));
  assert.deepEqual(report.requireResolved, STEMS.map((n) => join(installed, `${n}.cjs`)));
  assert.equal(report.distinctMemories, ENTRIES.length);
  assert.deepEqual(report.esm, []);
  assert.deepEqual(report.cjs, ["94287082", 21, "ada", 3, 7168, "ada"]);
}

/**
 * Bundles `app` (a fixture) for Cloudflare Workers as wrangler does: esbuild with the
 * `workerd`, `worker` and `browser` conditions, each `.wasm` import kept as a module of its
 * own. Returns the output folder and the wasm modules the bundle imports.
 */
async function bundleWorker(name, app) {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  const wasm = new Map();
  const { build } = await import("esbuild");
  await build({
    entryPoints: { worker: join(dir, app) },
    absWorkingDir: dir,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    outdir: out,
    logLevel: "error",
    plugins: [{
      name: "wasm-modules",
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, (args) => {
          const file = join(args.resolveDir, args.path);
          wasm.set(basename(file), file);
          return { path: `./${basename(file)}`, external: true };
        });
      },
    }],
  });
  for (const [file, from] of wasm) copyFileSync(from, join(out, file));
  return { out, wasm: [...wasm.keys()].sort() };
}

/** Runs workerd's test runner on `out` (the bundle and its wasm modules): its stdout. */
function workerdTest(out, wasm) {
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    ...wasm.map((w) => `(name = "${w}", wasm = embed "${w}")`),
  ];
  writeFileSync(join(out, "config.capnp"), [
    'using Workerd = import "/workerd/workerd.capnp";',
    "const config :Workerd.Config = (services = [(name = \"main\", worker = .worker)]);",
    "const worker :Workerd.Worker = (",
    `  modules = [${modules.join(", ")}],`,
    '  bindings = [(name = "SELF", service = "main")],',
    '  compatibilityDate = "2025-09-01",',
    ");",
    "",
  ].join("\n"));
  return run("workerd", ["test", join(out, "config.capnp")]);
}

test("workerd: every entry bundled as wrangler does, each wasm a Workers module", async () => {
  copyFileSync(join(HERE, "fixtures/worker-workerd.mjs"), join(dir, "worker-workerd.mjs"));
  const { out, wasm } = await bundleWorker("workerd", "worker-workerd.mjs");
  assert.deepEqual(wasm, STEMS.map((n) => `${n}_bg.wasm`).sort());
  // The bundle imports each entry's module as the Workers files do.
  const bundle = readFileSync(join(out, "worker.js"), "utf8");
  for (const n of STEMS) assert.match(bundle, new RegExp(`^import \\w+ from "\\./${n}_bg\\.wasm";$`, "m"));
  const line = (await workerdTest(out, wasm)).split("\n").find((l) => l.startsWith("twofa-table "));
  assert.ok(line, "the worker printed no report");
  const report = JSON.parse(line.slice("twofa-table ".length));
  assert.equal(report.distinctMemories, ENTRIES.length);
  assert.deepEqual(report.failures, []);
});

test("workerd: the README's Worker bundles the root entry's wasm only, and verifies codes", async () => {
  const snippet = readmeBlock(join(installed, "README.md"), "## Cloudflare Workers");
  // The repository's README shows the same Worker.
  assert.equal(readmeBlock(join(ROOT, "README.md"), "### Cloudflare Workers"), snippet);
  writeFileSync(join(dir, "readme-worker.mjs"), snippet);
  copyFileSync(join(HERE, "fixtures/worker-workerd-twofa.mjs"), join(dir, "worker-workerd-twofa.mjs"));
  const { out, wasm } = await bundleWorker("workerd-twofa", "worker-workerd-twofa.mjs");
  assert.deepEqual(wasm, ["twofa_bg.wasm"]);
  assert.deepEqual(readdirSync(out).sort(), ["twofa_bg.wasm", "worker.js"]);
  const stdout = await workerdTest(out, wasm);
  assert.match(stdout, /^twofa-answers \["\{\\"ok\\":true\}","\{\\"ok\\":false\}"\]$/m);
});

test("workerd: the types compile for a Worker, resolved with wrangler's conditions and no DOM", () => {
  // The `workerd` condition's declarations: no init needed, init inputs of any type.
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, exactOptionalPropertyTypes: true, target: "es2022", lib: ["es2022"], types: [],
      module: "es2022", moduleResolution: "bundler", customConditions: ["workerd", "worker", "browser"],
    },
    files: ["worker.ts"],
  }));
  writeFileSync(join(dir, "worker.ts"), [
    'import init, { Totp } from "twofa";',
    'import { qrSvg } from "twofa/qr";',
    'import { parseMigrationUri } from "twofa/migration";',
    'import { generateBackupCodes } from "twofa/flows";',
    'import { VaultKey } from "twofa/vault";',
    'import { importAccounts, type ImportFormat } from "twofa/import";',
    "await init();",
    'const code: string = new Totp({ secret: "JBSWY3DPEHPK3PXP" }).generate(0);',
    "// @ts-expect-error: digits is a number",
    'new Totp({ secret: "JBSWY3DPEHPK3PXP", digits: "6" });',
    'const format: ImportFormat = importAccounts(code).format;',
    'export const all = [code, qrSvg(code), parseMigrationUri, generateBackupCodes({ count: 2 }).codes, VaultKey, format];',
  ].join("\n"));
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir, "--traceResolution"], { encoding: "utf8" });
  assert.equal(tsc.stderr, "");
  assert.equal(tsc.status, 0, tsc.stdout.split("\n").filter((l) => l.includes("error")).join("\n"));
  for (const n of STEMS) {
    const sub = n === "twofa" ? "twofa" : `twofa/${n}`;
    assert.match(tsc.stdout, new RegExp(`Module name '${sub}' was successfully resolved to '${installed}/${n}\\.node\\.d\\.ts'`));
  }
});

test("workerd is the version the lockfile pins", async () => {
  assert.equal((await run("workerd", ["--version"])).trim(), `workerd ${pinned("workerd").replace(/^1\.(\d{4})(\d\d)(\d\d)\.\d+$/, "$1-$2-$3")}`);
});

test("Bun: the table over every entry from node_modules, and each through require, with auto-install off", async () => {
  assertTable((await bunRun)(), `bun ${pinned("bun")}`);
});

test("Deno: the table over every entry from node_modules, and each through require, reading nothing else", async () => {
  assertTable((await denoRun)(), `deno ${pinned("deno")}`);
});
