// Decodes pictures off the popup's thread: `decodeQr` is synchronous, and a crafted page
// can make it take seconds. The popup drops a worker that takes too long.
import init, { decodeQr } from "./twofa/twofa.js";

const ready = init();

self.addEventListener("message", async ({ data: { id, image } }) => {
  await ready;
  try {
    self.postMessage({ id, texts: decodeQr(image) });
  } catch (err) {
    self.postMessage({ id, error: { code: err.code, message: err.message } });
  }
});
