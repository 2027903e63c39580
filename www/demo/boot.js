// Loads the package's WebAssembly once, before any module that calls into it runs:
// modules that import this one wait for it (top-level await).
import init from "/pkg/twofa.js";

await init();
