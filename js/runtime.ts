// The thin JavaScript layer that every entry shares. It holds no rule of twofa's; it
//
// - reads options objects and checks each value's JavaScript type before anything is
//   passed to WebAssembly, so no user code (a getter, a Proxy trap, a toString) runs while
//   Rust frames are on the stack;
// - passes numbers, and writes texts and bytes into the module's input buffer; reads
//   answers (text, bytes, record JSON) from its output buffer and zeroes them there;
// - turns whatever goes wrong into a TwofaError with a code. Every message is made in
//   Rust (src/wasm/convert.rs): this layer only names the place where a value of the wrong
//   type was found, and words the one error that comes before any module is loaded.

import type { ErrorCode } from "./glue/twofa.js";

/** What every entry's module exports besides its own functions (`src/wasm/convert.rs`). */
export interface Glue {
  io_input(len: number): number;
  io_output(): number;
  io_output_len(): number;
  fail_type(place: number): number;
  fail_length(place: number, units: number): number;
  fail_freed(): number;
  fail_internal(name: number): number;
}

/** The length that stands for an absent text. */
export const ABSENT = 0xffff_ffff;

/** The longest string copied into WebAssembly memory: longer ones are refused by their length alone. */
export const MAX_UNITS = 1 << 20;

/** A value of the wrong type at `place` (or of `units` code units, too many), worded by Rust. */
class Bad {
  constructor(
    readonly place: string,
    readonly units = -1,
  ) {}
}

/** Throws for a value of the wrong type at `place`. */
export function bad(place: string): never {
  throw new Bad(place);
}

/** Throws for a value at `place` that is `units` long, refused by its length alone. */
export function tooLong(place: string, units: number): never {
  throw new Bad(place, units);
}

/** Throws for a value at `place` that goes wrong at UTF-16 index `at`, worded by Rust. */
export function badAt(place: string, at: number): never {
  throw new Bad(place, at);
}

/** The UTF-16 index of the first lone surrogate in `text`, or -1 if it is well-formed. */
export function loneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return i;
      i++;
    }
  }
  return -1;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * What `init` loads a module from in a browser: the wasm file's URL, a `Response`, its
 * bytes or a compiled module. (Node, Deno, Bun and Cloudflare Workers load each module on
 * import; there `init` takes anything and ignores it.)
 */
export type InitInput = string | URL | Response | ModuleSource;

/** A module's bytes, or the compiled `WebAssembly.Module`, for `initSync`. */
export type ModuleSource = BufferSource | WebAssembly.Module;

/** A loaded module: its memory, which tests scan for what secrets leave behind. */
export interface Instance {
  readonly memory: { readonly buffer: ArrayBuffer };
}

/** One entry's module: its glue, and its memory once loaded. */
export class Module<G extends Glue> {
  #memory: Instance["memory"] | undefined;
  #bytes = new Uint8Array(0);

  /** `glue` is the entry's wasm-bindgen glue; `entry` its import name, such as `"twofa/qr"`. */
  constructor(
    readonly glue: G,
    readonly entry: string,
  ) {}

  /** Keeps the memory of the instance that init() or initSync() made. */
  loaded(instance: Instance): Instance {
    this.#memory = instance.memory;
    return { memory: instance.memory };
  }

  /** The module's memory as bytes, renewed when it has grown. */
  #view(): Uint8Array {
    const memory = this.#memory;
    if (memory === undefined) throw this.#notInitialized();
    if (this.#bytes.buffer !== memory.buffer) this.#bytes = new Uint8Array(memory.buffer);
    return this.#bytes;
  }

  /**
   * Writes texts (and, for `Uint8Array` items, bytes) one after the other into the input
   * buffer, and returns each one's length in bytes: ABSENT for `undefined`.
   */
  input(values: readonly (string | Uint8Array | undefined)[]): number[] {
    let room = 0;
    for (const v of values) if (v !== undefined) room += typeof v === "string" ? v.length * 3 : (lengthOf.call(v) as number);
    let at = this.#room(room);
    const mem = this.#view();
    const lens: number[] = [];
    for (const v of values) {
      if (v === undefined) {
        lens.push(ABSENT);
        continue;
      }
      let end = at;
      if (typeof v === "string") {
        end = put(mem, at, v);
      } else {
        mem.set(v, at);
        end += lengthOf.call(v) as number;
      }
      lens.push(end - at);
      at = end;
    }
    return lens;
  }

  /** Writes one text into the input buffer and returns its length in bytes. */
  text(value: string): number {
    const at = this.#room(value.length * 3);
    return put(this.#view(), at, value) - at;
  }

  /** Makes the input buffer `room` bytes and returns its address. */
  #room(room: number): number {
    const at = this.glue.io_input(room);
    if (at === 0 && room > 0) throw new Bad("input", room);
    return at;
  }

  /** The answer in the output buffer: `len` bytes, copied out, then zeroed there. */
  bytes(len: number): Uint8Array {
    const mem = this.#view();
    const at = this.glue.io_output();
    const view = mem.subarray(at, at + len);
    const copy = view.slice();
    view.fill(0);
    return copy;
  }

  /** The answer in the output buffer as text, which is then zeroed there. */
  read(len: number): string {
    const mem = this.#view();
    const at = this.glue.io_output();
    const view = mem.subarray(at, at + len);
    let text = "";
    if (len <= 32) {
      for (let i = 0; i < len; i++) {
        const c = view[i] as number;
        if (c > 0x7f) {
          text = decoder.decode(view);
          break;
        }
        text += String.fromCharCode(c);
      }
    } else {
      text = decoder.decode(view);
    }
    view.fill(0);
    return text;
  }

  /** The answer of a call: `r` itself, or the TwofaError of a failure (`NaN`). */
  check(r: number): number {
    if (r !== r) throw this.#error();
    return r;
  }

  /** A failure's TwofaError, from `CODE\tmessage` in the output buffer. */
  #error(): Error {
    const text = this.read(this.glue.io_output_len());
    const tab = text.indexOf("\t");
    const err = new Error(text.slice(tab + 1)) as Error & { code: string };
    err.name = "TwofaError";
    err.code = text.slice(0, tab);
    return err;
  }

  /** The TwofaError of a call before `init()`: without a module, the message is written here. */
  #notInitialized(): Error {
    const err = new Error(`${this.entry} is not initialized: await its init() before the first call`) as Error & { code: ErrorCode };
    err.name = "TwofaError";
    err.code = "NOT_INITIALIZED";
    return err;
  }

  /** The TwofaError for anything thrown while reading options or calling the module. */
  coded(err: unknown): unknown {
    if (this.#memory === undefined) return this.#notInitialized();
    if (err instanceof Bad) {
      const place = this.text(err.place);
      if (err.units >= 0) this.glue.fail_length(place, err.units);
      else this.glue.fail_type(place);
      return this.#error();
    }
    if (err instanceof Error && err.name === "TwofaError" && typeof (err as { code?: unknown }).code === "string") {
      return err;
    }
    let name = "";
    try {
      name = err instanceof Error ? String(err.name) : typeof err;
    } catch {
      // A hostile error object: its name stays unsaid.
    }
    this.glue.fail_internal(this.text(name));
    return this.#error();
  }

  /**
   * Runs `body`, turning whatever it throws into a TwofaError. The hot methods (codes,
   * URIs) write the same `try { … } catch (err) { throw wasm.coded(err); }` inline: one
   * call site shared by every method's closure stops V8 inlining them.
   */
  guard<T>(body: () => T): T {
    try {
      return body();
    } catch (err) {
      throw this.coded(err);
    }
  }

  /** The TwofaError of an object used after `free()`. */
  freed(): never {
    this.glue.fail_freed();
    throw this.#error();
  }
}

/**
 * Reads `keys` of an options object into a plain record, calling each getter once. An
 * absent (`undefined` or `null`) options object reads as all-absent unless `required`.
 * A getter, Proxy trap or accessor that throws makes a Bad at `place:unreadable`.
 */
export function read<K extends string>(
  options: unknown,
  keys: readonly K[],
  place: string,
  required = false,
): Record<K, unknown> {
  const out = {} as Record<K, unknown>;
  if (options === undefined || options === null) {
    if (required) bad(`${place}:required`);
    return out;
  }
  if (typeof options !== "object" && typeof options !== "function") bad(`${place}:object`);
  try {
    for (const key of keys) out[key] = (options as Record<string, unknown>)[key];
  } catch {
    bad(`${place}:unreadable`);
  }
  return out;
}

/** A string, refused by its length past `max` before it is copied anywhere. */
export function str(value: unknown, place: string, max = MAX_UNITS): string {
  if (typeof value !== "string") bad(place);
  if (value.length > max) throw new Bad(place, value.length);
  return value;
}

/** A string option: the string, `undefined` when absent, else a Bad at `place`. */
export function optString(value: unknown, place: string, max = MAX_UNITS): string | undefined {
  return value === undefined || value === null ? undefined : str(value, place, max);
}

/**
 * A number option as the module takes it: `NaN` when absent, `Infinity` for a caller's
 * `NaN` (which every check then refuses as not finite), else the number.
 */
export function num(value: unknown, place: string): number {
  if (value === undefined || value === null) return NaN;
  if (typeof value !== "number") bad(place);
  return value === value ? value : Infinity;
}

/** A counter as the module takes it: a number (`num`), or a bigint's decimal digits. */
export function counter(value: unknown): [number, string | undefined] {
  if (typeof value === "bigint") return [NaN, value < 0n || value > 0xffff_ffff_ffff_ffffn ? "-" : String(value)];
  return [num(value, "counter"), undefined];
}

/** A counter the module answered with: decimal text, with `n` after a bigint. */
export function counterOf(text: string): number | bigint {
  return text.endsWith("n") ? BigInt(text.slice(0, -1)) : Number(text);
}

/** Writes `text` as UTF-8 at `at` (with room for three bytes a unit) and returns the end. */
function put(mem: Uint8Array, at: number, text: string): number {
  // Past a few dozen characters encodeInto's native loop wins over its call's cost.
  if (text.length > 48) return at + encoder.encodeInto(text, mem.subarray(at, at + text.length * 3)).written;
  let end = at;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) break;
    mem[end++] = c;
  }
  if (i < text.length) end += encoder.encodeInto(text.slice(i), mem.subarray(end, at + text.length * 3)).written;
  return end;
}

/**
 * A text of up to 7 ASCII characters as one number (seven bits a character from the
 * lowest, plus the count times 2^49), or `NaN` for any other text, which then goes
 * through the input buffer. Rust reads it with `short_text`; a typed code crosses this way.
 */
export function pack(text: string): number {
  const n = text.length;
  if (n > 7) return NaN;
  let packed = n * 2 ** 49;
  for (let i = 0, unit = 1; i < n; i++, unit *= 128) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return NaN;
    packed += c * unit;
  }
  return packed;
}

/** The getters of %TypedArray%.prototype, which read internal slots, never properties. */
const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (name: string | symbol) =>
  Object.getOwnPropertyDescriptor(typedArray, name)?.get as (this: unknown) => unknown;
const tagOf = getter(Symbol.toStringTag);
const bufferOf = getter("buffer");
const offsetOf = getter("byteOffset");
const lengthOf = getter("byteLength");

/** True for a genuine Uint8Array or Uint8ClampedArray, whatever its prototype or properties say. */
export function isBytes(value: unknown): value is Uint8Array {
  const tag = tagOf.call(value);
  return tag === "Uint8Array" || tag === "Uint8ClampedArray";
}

/**
 * The bytes of a genuine Uint8Array (or Uint8ClampedArray) as a plain Uint8Array over the
 * same memory, made from its internal slots: a Proxy, an object with a typed array's
 * prototype, or a spoofed `length` or `buffer` cannot change what is read.
 */
export function view(value: unknown, place: string): Uint8Array {
  if (!isBytes(value)) bad(place);
  try {
    return new Uint8Array(bufferOf.call(value) as ArrayBuffer, offsetOf.call(value) as number, lengthOf.call(value) as number);
  } catch {
    // A detached buffer, or a resizable one shrunk below the array: no bytes to read.
    return bad(place);
  }
}

/** A fresh copy of such bytes, to zero after use. */
export function bytes(value: unknown, place: string): Uint8Array {
  return view(value, place).slice();
}

/** Text kept exactly as written: a string without lone surrogates (which would become U+FFFD). */
export function exact(value: unknown, place: string, max: number): string {
  const text = str(value, `${place}:exact${max}`);
  if (!text.isWellFormed()) bad(`${place}:exact${max}`);
  return text;
}

/** An optional exact text. */
export function optExact(value: unknown, place: string, max: number): string | undefined {
  return value === undefined || value === null ? undefined : exact(value, place, max);
}

/**
 * The items of an array (or array-like) of at most `max`, read once each; a Proxy trap or
 * getter that throws makes a Bad at `place`.
 */
export function items(value: unknown, place: string, max: number): unknown[] {
  if (typeof value !== "object" || value === null) bad(place);
  try {
    const length = (value as { length?: unknown }).length;
    if (typeof length !== "number" || !(length >= 0 && length <= max) || length % 1 !== 0) bad(place);
    const out: unknown[] = [];
    for (let i = 0; i < length; i++) out.push((value as Record<number, unknown>)[i]);
    return out;
  } catch {
    return bad(place);
  }
}

function revive(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && "$bigint" in value) {
    return BigInt((value as { $bigint: string }).$bigint);
  }
  return value;
}

/** A record from the JSON text the module wrote. */
export function record<T>(text: string): T {
  return (text.includes('"$bigint"') ? JSON.parse(text, revive) : JSON.parse(text)) as T;
}

/** A record as JSON text for the module, or a Bad at `place` when JSON.stringify cannot write it. */
export function json(value: unknown, place: string): string {
  let text: unknown;
  try {
    text = JSON.stringify(value);
  } catch {
    bad(place);
  }
  if (typeof text !== "string" || text.length > MAX_UNITS * 16) bad(place);
  return text;
}

/** Frees the module's object of a handle when its JavaScript object is collected. */
export function finalizer(free: (handle: number) => unknown): FinalizationRegistry<number> {
  return new FinalizationRegistry((handle) => {
    try {
      free(handle);
    } catch {
      // Nothing to tell: the object is gone.
    }
  });
}
