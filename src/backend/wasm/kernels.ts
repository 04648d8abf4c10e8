import { wasmModules } from './modules.generated.js';

/** C = alpha·op(A)·op(B) + beta·C over byte offsets (transposes as 0/1): a product as a thread pool runs it. */
export type OffsetGemm = (
  ta: number,
  tb: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: number,
  b: number,
  beta: number,
  c: number,
) => void;

/** The exports of the compiled AssemblyScript kernels (src/backend/wasm/assembly): offsets in bytes. */
export interface WasmKernels {
  heapBase(): number;
  gemmScratchBytes(): number;
  gemmIsDirect(transA: number, transB: number, m: number): number;
  gemmTileRows(): number;
  /** An {@link OffsetGemm} restricted to rows [i0, i1) and columns [j0, j1) of C, with its packing scratch. */
  gemmBlock(
    ...args: [...Parameters<OffsetGemm>, i0: number, i1: number, j0: number, j1: number, scratch: number]
  ): void;
  actForward(id: number, param: number, n: number, x: number, y: number): number;
  actBackward(id: number, param: number, n: number, x: number, y: number, dy: number, dx: number): number;
  softmaxRows(m: number, n: number, x: number, y: number): void;
  softmaxBackward(m: number, n: number, y: number, dy: number, dx: number): void;
  fillRows(m: number, n: number, bias: number, z: number): void;
  colSum(m: number, n: number, x: number, beta: number, out: number): void;
  mul(n: number, x: number, m: number, y: number): void;
  axpy(n: number, alpha: number, x: number, y: number): void;
  scale(n: number, alpha: number, x: number): void;
  clip(n: number, lo: number, hi: number, x: number): void;
  sumSquares(n: number, x: number): number;
  firstNonFinite(n: number, x: number): number;
  gatherRows(count: number, cols: number, idx: number, src: number, dst: number): void;
  shuffleIndices(n: number, order: number, state: number): void;
}

/** Which compiled build: `'relaxed'` uses relaxed-SIMD fused multiply-add, `'simd'` plain SIMD. */
export type SimdFlavour = 'simd' | 'relaxed';

/** Pages (64 KiB) the memory may grow to; must match scripts/build-wasm.mjs. */
export const MAX_PAGES = 32768;

const compiled = new Map<string, WebAssembly.Module>();

function key(flavour: SimdFlavour, shared: boolean): keyof typeof wasmModules {
  return flavour === 'relaxed' ? (shared ? 'relaxedShared' : 'relaxed') : shared ? 'simdShared' : 'simd';
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * The compiled module for a build, compiled synchronously on first use. Browsers may refuse
 * synchronous compilation on the main thread; then this throws and {@link compileKernelsAsync}
 * must run first.
 */
export function kernelModule(flavour: SimdFlavour, shared: boolean): WebAssembly.Module {
  const k = key(flavour, shared);
  let mod = compiled.get(k);
  if (!mod) {
    mod = new WebAssembly.Module(decode(wasmModules[k]));
    compiled.set(k, mod);
  }
  return mod;
}

/** Compiles a build off the main thread and caches it, so later {@link kernelModule} calls succeed. */
export async function compileKernelsAsync(flavour: SimdFlavour, shared: boolean): Promise<void> {
  const k = key(flavour, shared);
  if (!compiled.has(k)) compiled.set(k, await WebAssembly.compile(decode(wasmModules[k])));
}

/** Instantiates kernels on a memory (one instance per thread; they share nothing but memory). */
export function instantiateKernels(mod: WebAssembly.Module, memory: WebAssembly.Memory): WasmKernels {
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as WasmKernels;
}
