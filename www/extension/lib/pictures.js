// Pictures the extension reads QR codes from: the visible part of the current tab, and
// imported images. They become pixels and are decoded in a worker by www/shared/qr.js;
// the extension hands the decoder up to 2400 px a side, where the shared default is 1600.
import { pixelsOfFile, pixelsOfUrl } from "../shared/qr.js";

const MAX_SIDE = 2400;

/** Pixels of an imported picture. */
export const pixelsOfImage = (file) => pixelsOfFile(file, { maxSide: MAX_SIDE });

/**
 * Captures the visible part of the active tab of the last focused browser window: the
 * click on the toolbar button grants activeTab for it.
 */
export async function captureTab() {
  const win = await chrome.windows.getLastFocused({ windowTypes: ["normal"] });
  const url = await chrome.tabs.captureVisibleTab(win.id, { format: "png" });
  return pixelsOfUrl(url, { maxSide: MAX_SIDE });
}
