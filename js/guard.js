
// ---------------------------------------------------------------------------------------
// twofa: appended to the wasm-bindgen glue by scripts/build-pkg.mjs.
//
// The Rust binding throws coded errors for every bad argument it reads. A few misuses are
// caught by the glue before Rust sees them, such as calling a method of an object that
// was freed; this gives those errors a `code` too, so every error twofa throws has one.
// `free()` may be called more than once.

function twofaCoded(err) {
  if (!(err instanceof Error) || typeof err.code === "string") return err;
  err.name = "TwofaError";
  if (/null pointer passed to rust/.test(err.message)) {
    err.code = "OBJECT_FREED";
    err.message = "this object was freed and cannot be used any more";
  } else if (/expected instance of/.test(err.message)) {
    err.code = "INVALID_OPTIONS";
    // Bundlers rename classes, so the glue's message may name `_Secret` or `e`; the only
    // parameter typed with a twofa class is a Secret (`secret.equals(other)`).
    err.message = "expected a twofa Secret";
  } else {
    err.code = "INTERNAL_ERROR";
  }
  return err;
}

function twofaGuard(cls) {
  for (const target of [cls, cls.prototype]) {
    for (const key of Object.getOwnPropertyNames(target)) {
      if (["constructor", "prototype", "length", "name"].includes(key) || key.startsWith("__")) continue;
      const desc = Object.getOwnPropertyDescriptor(target, key);
      for (const slot of ["value", "get"]) {
        const inner = desc[slot];
        if (typeof inner !== "function") continue;
        desc[slot] =
          key === "free"
            ? function free() {
                if (this.__wbg_ptr !== 0) inner.call(this);
              }
            : function (...args) {
                try {
                  return inner.apply(this, args);
                } catch (err) {
                  throw twofaCoded(err);
                }
              };
      }
      Object.defineProperty(target, key, desc);
    }
  }
  // `using` disposes through Symbol.dispose: make it the guarded, repeatable free().
  if (typeof Symbol.dispose === "symbol" && cls.prototype.free) {
    cls.prototype[Symbol.dispose] = cls.prototype.free;
  }
}
