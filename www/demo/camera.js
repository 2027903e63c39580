// The QR reader's camera: frames become pixels and go to twofa's decoder, in its worker
// (www/shared/qr.js), until one holds a code.
import { decode, pixelsOf } from "/shared/qr.js";

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
      const texts = await decode(pixelsOf(video, video.videoWidth, video.videoHeight));
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
