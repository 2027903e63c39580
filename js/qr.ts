// The `twofa/qr` entry: QR codes drawn as SVG or as a matrix, and read from pixels. Every
// rule is in Rust (src/wasm/qr.rs, src/qr.rs).

import initWasm, * as glue from "./glue/qr.js";
import type { Ecc } from "./glue/qr.js";
import { bad, isBytes, Module, num, optString, read, record, str, view } from "./runtime.js";
import type { InitInput, Instance, ModuleSource } from "./runtime.js";

export type { Ecc, ErrorCode } from "./glue/qr.js";

const wasm = new Module(glue, "twofa/qr");


/** What `init` and `initSync` resolve to: the module's memory, for inspection. */
export type { InitInput, Instance, ModuleSource };

/**
 * Loads the WebAssembly module; call it once before anything else in a browser (Node needs
 * no init). Without an argument it fetches `qr_bg.wasm` from beside this file.
 */
export default async function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<Instance> {
  return wasm.loaded(await initWasm(options));
}

/** Loads the module from its bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(options: { module: ModuleSource }): Instance {
  return wasm.loaded(glue.initSync(options));
}

/**
 * The longest otpauth:// URI of one account that a QR code holds at error correction M
 * (version 40): 2,331 bytes. `buildMigrationUris` leaves out an account past it.
 */
export const MAX_QR_URI_LEN = 2331;

/** The longest text read for drawing; a QR code holds at most 7,089 characters. */
const MAX_TEXT = 32_768;

/** Options of `qrSvg`. */
export interface QrSvgOptions {
  /** Default `"M"`. */
  ecc?: Ecc | undefined;
  /** The quiet zone in modules, 0 to 64; default 4. */
  margin?: number | undefined;
  /** A CSS colour (`#rgb`, `#rrggbb`, a name, `rgb(...)`); default `"#000000"`. */
  dark?: string | undefined;
  /** A CSS colour, or `null` for no background; default `"#ffffff"`. */
  light?: string | null | undefined;
}

/** The modules of a QR code, without margin: `modules[y * size + x]` is 1 for dark. */
export interface QrMatrix {
  size: number;
  modules: Uint8Array;
}

/** Pixels as a canvas `ImageData` holds them: RGBA, 4 bytes a pixel, row by row. */
export interface QrImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

const SVG_KEYS = ["ecc", "margin", "dark", "light"] as const;

/**
 * Draws `text` as a QR code in an SVG document (`viewBox` in modules, 8 px a module by
 * default). Throws `QR_TOO_LONG` or `INVALID_OPTIONS`.
 *
 * ```js
 * element.innerHTML = qrSvg(totp.toUri(), { ecc: "M" });
 * ```
 */
export function qrSvg(text: string, options?: QrSvgOptions): string {
  return wasm.guard(() => {
    const t = str(text, "text", MAX_TEXT);
    const o = read(options, SVG_KEYS, "qr");
    const ecc = optString(o.ecc, "ecc");
    const margin = num(o.margin, "margin:number");
    const dark = optString(o.dark, "dark:color", 64);
    const lightNone = o.light === null;
    const light = lightNone ? undefined : optString(o.light, "light:colorOrNull", 64);
    const [a, b, c, d] = wasm.input([t, ecc, dark, light]);
    return wasm.read(wasm.check(glue.qr_svg(a!, b!, margin, c!, d!, lightNone)));
  });
}

/**
 * The modules of the QR code for `text`, without a margin: draw it on a canvas as you
 * like. Throws `QR_TOO_LONG` or `INVALID_OPTIONS`.
 */
export function qrMatrix(text: string, options?: { ecc?: Ecc | undefined }): QrMatrix {
  return wasm.guard(() => {
    const t = str(text, "text", MAX_TEXT);
    const o = read(options, ["ecc"] as const, "qr");
    const [a, b] = wasm.input([t, optString(o.ecc, "ecc")]);
    const size = wasm.check(glue.qr_matrix(a!, b!));
    return { size, modules: wasm.bytes(size * size) };
  });
}

const IMAGE_KEYS = ["width", "height", "data"] as const;

/**
 * The texts of every QR code in a picture (`{ width, height, data }` as a canvas
 * `ImageData` holds it; transparent reads as white), in reading order; `[]` when there is
 * none. Throws `INVALID_IMAGE` for data that does not match the size, or a picture over
 * 16,384 pixels a side or 16 megapixels. It is synchronous and a crafted picture can take
 * seconds: decode untrusted pictures in a Web Worker.
 *
 * ```js
 * const texts = decodeQr(canvas.getContext("2d").getImageData(0, 0, w, h));
 * ```
 */
export function decodeQr(image: QrImage): string[] {
  return wasm.guard(() => {
    const o = read(image, IMAGE_KEYS, "qrImage", true);
    if (!isBytes(o.data)) bad("qrImage");
    const width = num(o.width, "width");
    const height = num(o.height, "height");
    if (width !== width || height !== height) bad("qrImage");
    const pixels = view(o.data, "qrImage");
    // Past 16 megapixels the size alone is refused: the pixels are not copied in.
    const [p] = wasm.input([pixels.length <= 64 << 20 ? pixels : undefined]);
    return record<string[]>(wasm.read(wasm.check(glue.decode_qr(width, height, p!, pixels.length))));
  });
}
