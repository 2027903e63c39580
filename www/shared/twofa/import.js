// The package's `twofa/import` entry, ready to use: its WebAssembly loads here, once a page,
// before any module that imports this file runs (top-level await). Pages reach the package
// through these files; only the QR worker, a realm of its own, loads an entry itself.
import init from "../../pkg/import.js";

await init();

export * from "../../pkg/import.js";
