/** What `init()` resolves to: the instantiated module's memory, for inspection. */
export interface InitOutput {
  readonly memory: { readonly buffer: ArrayBuffer };
}

/**
 * In Node the module is instantiated when it is imported, so there is nothing to wait
 * for: `init()` resolves at once. It is here so that code shared with browsers, which
 * call `await init()`, runs unchanged.
 */
export default function init(options?: unknown): Promise<InitOutput>;

/** Like `init()`: already done in Node, and returns at once. */
export function initSync(options?: unknown): InitOutput;
