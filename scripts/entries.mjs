// The package's entries, for the build (scripts/build-pkg.mjs), the benchmark and the tests.
/**
 * The entries. `name` is the file stem (and the subpath); `feature` the cargo feature of
 * its module; `size` marks the root entry, which is built for size: opt-level "z" with
 * SHA-1 at opt-level 3, and SHA-2 as compact loops.
 */
export const ENTRIES = [
  { name: "twofa", subpath: ".", feature: "js-root", source: "index.ts", size: true },
  { name: "qr", subpath: "./qr", feature: "js-qr", source: "qr.ts" },
  { name: "migration", subpath: "./migration", feature: "js-migration", source: "migration.ts" },
  { name: "flows", subpath: "./flows", feature: "js-flows", source: "flows.ts" },
  { name: "vault", subpath: "./vault", feature: "js-vault", source: "vault.ts" },
  { name: "import", subpath: "./import", feature: "js-import", source: "import.ts" },
];
