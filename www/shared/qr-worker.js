// Decodes pictures off the page's thread for qr.js, which drops a worker that takes too
// long. It loads the `twofa/qr` entry alone, and listens before the WebAssembly is ready
// so that no picture sent meanwhile is lost.
import init, { decodeQr } from "../pkg/qr.js";

const ready = init();

self.addEventListener("message", async ({ data: { id, image } }) => {
  await ready;
  try {
    self.postMessage({ id, texts: decodeQr(image) });
  } catch (err) {
    self.postMessage({ id, error: { code: err.code, message: err.message } });
  }
});
