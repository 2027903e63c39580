// Loads twofa's WebAssembly once, before any module that calls into it runs.
import init from "../twofa/twofa.js";

await init();
