/**
 * The URL of `twofa_bg.wasm`, as a bundler's file loader gives it
 * (esbuild: `--loader:.wasm=file`). Pass it to `init({ module_or_path })`.
 */
declare const url: string;
export default url;
