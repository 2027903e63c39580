// Reading QR codes: pictures become pixels on a canvas here, and twofa's decoder reads
// them in a Web Worker (qr-worker.js).

/** The largest side handed to the decoder: phone photos are scaled down to it. */
const MAX_SIDE = 1600;
const TIMEOUT = 10_000;

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
export function decodeInWorker(image) {
  if (!worker) startWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // A picture that takes this long is hostile or huge: drop the worker with it.
      pending.delete(id);
      worker.terminate();
      worker = undefined;
      for (const job of pending.values()) job.reject(new Error("the decoder was restarted"));
      pending.clear();
      reject(Object.assign(new Error("reading this picture took too long"), { code: "TIMEOUT" }));
    }, TIMEOUT);
    pending.set(id, { resolve, reject, timer });
    worker.postMessage({ id, image: { width: image.width, height: image.height, data: image.data } }, [image.data.buffer]);
  });
}

/** Pixels of a drawable (an ImageBitmap, an <img> or a <video>), scaled to MAX_SIDE at most. */
export function pixelsOf(source, width, height, { background = "#ffffff" } = {}) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** Pixels of an uploaded file. */
export async function pixelsOfFile(file) {
  const bitmap = await createImageBitmap(file);
  try {
    return pixelsOf(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** Pixels of an SVG text, drawn `size` px wide, as a camera would see the screen. */
export async function pixelsOfSvg(svg, size = 320) {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image(size, size);
    img.src = url;
    await img.decode();
    return pixelsOf(img, size, size);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A camera scanner: frames go to the decoder until one holds a code. */
export function cameraScanner(video, { onFound, onError }) {
  let stream;
  let stopped = false;
  let busy = false;
  let timer;
  async function frame() {
    if (stopped || busy || video.readyState < 2 || !video.videoWidth) return;
    busy = true;
    try {
      const texts = await decodeInWorker(pixelsOf(video, video.videoWidth, video.videoHeight));
      if (texts.length && !stopped) onFound(texts);
    } catch (err) {
      if (!stopped) onError(err);
    } finally {
      busy = false;
    }
  }
  return {
    /** Resolves false when `stop()` came first: the stream is then closed at once. */
    async start() {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      if (stopped) {
        stream.getTracks().forEach((t) => t.stop());
        return false;
      }
      video.srcObject = stream;
      await video.play();
      if (stopped) return false;
      timer = setInterval(frame, 300);
      return true;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
      video.srcObject = null;
    },
  };
}
