// What twofa's WebAssembly modules ask of their host. Each function catches whatever the
// platform throws and answers with a value the module checks, so no exception ever
// crosses WebAssembly frames (it would leave the module's locks and stack behind).

/** `Date.now()`, or NaN when it fails. */
export function now() {
  try {
    return Number(Date.now());
  } catch {
    return NaN;
  }
}

/** Fills `buf` from `crypto.getRandomValues`; false when the platform cannot. */
export function random(buf) {
  try {
    globalThis.crypto.getRandomValues(buf);
    return true;
  } catch {
    return false;
  }
}
