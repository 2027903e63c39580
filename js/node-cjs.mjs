// Source of node.cjs, the `require("twofa")` entry: esbuild bundles it with the glue
// into one CommonJS file. `__dirname` is CommonJS's own, left as it is by esbuild.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./twofa.js";

initSync({ module: readFileSync(join(__dirname, "twofa_bg.wasm")) });

export * from "./twofa.js";
export { default } from "./twofa.js";
