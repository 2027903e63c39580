// Decodes pictures off the page's thread: `decodeQr` is synchronous, and a crafted
// picture can take seconds. The page gives up on a picture that takes too long and
// starts a new worker.
import init, { decodeQr } from "/pkg/twofa.js";

const ready = init();

self.addEventListener("message", async ({ data: { id, image } }) => {
  await ready;
  try {
    self.postMessage({ id, texts: decodeQr(image) });
  } catch (err) {
    self.postMessage({ id, error: { code: err.code, message: err.message } });
  }
});
