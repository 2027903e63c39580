// QR codes in pictures: a screenshot of the tab or an imported image, decoded by twofa in
// a Web Worker that is dropped after 10 s.

const MAX_SIDE = 2400;
const TIMEOUT = 10_000;

/** The texts of every QR code in `image` (an ImageData). */
export function decode(image) {
  const worker = new Worker(new URL("../qr-worker.js", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error("reading this picture took too long"));
    }, TIMEOUT);
    worker.addEventListener("message", ({ data }) => {
      clearTimeout(timer);
      worker.terminate();
      if (data.error) reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
      else resolve(data.texts);
    });
    worker.postMessage({ id: 0, image: { width: image.width, height: image.height, data: image.data } }, [image.data.buffer]);
  });
}

/** Pixels of an image source (an <img> or ImageBitmap), scaled down to MAX_SIDE. */
export function pixels(source, width, height) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

export async function pixelsOfUrl(url) {
  const img = new Image();
  img.src = url;
  await img.decode();
  return pixels(img, img.naturalWidth, img.naturalHeight);
}

export async function pixelsOfFile(file) {
  const bitmap = await createImageBitmap(file);
  try {
    return pixels(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/**
 * Captures the visible part of the active tab of the last focused browser window: the
 * click on the toolbar button grants activeTab for it.
 */
export async function captureTab() {
  const win = await chrome.windows.getLastFocused({ windowTypes: ["normal"] });
  const url = await chrome.tabs.captureVisibleTab(win.id, { format: "png" });
  return pixelsOfUrl(url);
}
