// Reading QR codes: pictures become pixels on a canvas here, and twofa's decoder reads
// them in a Web Worker (qr-worker.js). `decodeQr` is synchronous, and a crafted picture
// can keep it busy for seconds: a picture that takes over 10 s is dropped with its worker,
// and the next one starts a new worker.

/** The largest side handed to the decoder unless a caller says otherwise: photos are scaled down to it. */
const MAX_SIDE = 1600;
const TIMEOUT = 10_000;

/**
 * This file's own messages. English for the demo; the extension replaces them with its
 * messages in the browser's language (Object.assign(texts, …)), which are sentences
 * already: `localized` is then true, and so is each error's.
 */
export const texts = { timeout: "reading this picture took too long", restarted: "the decoder was restarted", localized: false };

let worker;
let nextId = 0;
const pending = new Map();

function startWorker() {
  worker = new Worker(new URL("./qr-worker.js", import.meta.url), { type: "module" });
  worker.addEventListener("message", ({ data }) => {
    const job = pending.get(data.id);
    if (!job) return;
    pending.delete(data.id);
    clearTimeout(job.timer);
    if (data.error) job.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
    else job.resolve(data.texts);
  });
}

/** The texts of every QR code in `image` (an ImageData), decoded in the worker. */
export function decode(image) {
  if (!worker) startWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // A picture that takes this long is hostile or huge: drop the worker with it.
      pending.delete(id);
      worker.terminate();
      worker = undefined;
      for (const job of pending.values()) job.reject(Object.assign(new Error(texts.restarted), { localized: texts.localized }));
      pending.clear();
      reject(Object.assign(new Error(texts.timeout), { code: "TIMEOUT", localized: texts.localized }));
    }, TIMEOUT);
    pending.set(id, { resolve, reject, timer });
    worker.postMessage({ id, image: { width: image.width, height: image.height, data: image.data } }, [image.data.buffer]);
  });
}

/**
 * Pixels of a drawable (an ImageBitmap, an <img> or a <video>), on white, scaled down so
 * that no side is over `maxSide`.
 */
export function pixelsOf(source, width, height, { maxSide = MAX_SIDE } = {}) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** Pixels of an uploaded file; `options` as for pixelsOf. */
export async function pixelsOfFile(file, options) {
  const bitmap = await createImageBitmap(file);
  try {
    return pixelsOf(bitmap, bitmap.width, bitmap.height, options);
  } finally {
    bitmap.close();
  }
}

/**
 * Pixels of the picture at `url`, at its own size or drawn `size` px square (an SVG, as a
 * camera would see it on screen); `maxSide` as for pixelsOf.
 */
export async function pixelsOfUrl(url, { size, maxSide } = {}) {
  const img = size ? new Image(size, size) : new Image();
  img.src = url;
  await img.decode();
  return pixelsOf(img, size ?? img.naturalWidth, size ?? img.naturalHeight, { maxSide });
}

/** Pixels of an SVG text, drawn `size` px square. */
export async function pixelsOfSvg(svg, size = 320) {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    return await pixelsOfUrl(url, { size });
  } finally {
    URL.revokeObjectURL(url);
  }
}
