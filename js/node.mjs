// Node ESM entry: instantiates the module synchronously, so no init step is needed.
import { readFileSync } from "node:fs";
import { initSync } from "./twofa.js";

initSync({ module: readFileSync(new URL("./twofa_bg.wasm", import.meta.url)) });

export * from "./twofa.js";
export { default } from "./twofa.js";
