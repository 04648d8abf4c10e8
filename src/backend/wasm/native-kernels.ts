// The kernels the wasm build accelerates, by registry name (see `Kernel`
// in ../types.ts). Each entry names the compiled export, which takes the one elementwise
// signature `(lo, hi, arrays, attrs)` (assembly/optimizers.ts), and lays out its attrs. Adding a
// native kernel is one export plus one row here; the backend forwards it, and a thread pool
// splits it, without further code.
import type { KernelAttrs } from '../types.js';

/** How the wasm build runs one named elementwise kernel. */
export interface NativeElementwise {
  /** The compiled module's export. */
  readonly export: string;
  /**
   * Writes the call's attrs as f64s from `f[at]` on, in the order the export reads them. A
   * function of named reads, not a list of names: a keyed read of a double boxes it (16 bytes a
   * value per step), a named one does not.
   */
  readonly attrs: (a: KernelAttrs, f: Float64Array, at: number) => void;
  /** Whether positions are independent, so a thread pool may split them (no shared scratch). */
  readonly split: boolean;
  /**
   * Work per position, in units of one optimizer element (default 1): the backend splits a call
   * over a pool from `RUNNER_MIN_ELEMENTS` units, and runs calls of any size natively (without
   * it, calls of up to 16 positions stay in the reference).
   */
  readonly work?: (a: KernelAttrs) => number;
  /**
   * At most this many positions per range when a pool splits a call (which otherwise cuts about
   * three ranges a thread): for costly positions, as the threads finish a call within about one
   * range of each other.
   */
  readonly chunk?: (a: KernelAttrs) => number;
  /** Whether the export can run a call with these attrs; absent means always (else the reference runs). */
  readonly accepts?: (a: KernelAttrs) => boolean;
}

/**
 * Rows per pool range of the quantized kernels: about 2^21 multiply-adds (~30 µs on one thread),
 * in whole 4-row tiles. W3's rows (109k multiply-adds) go 20 to a range: the three ranges a thread
 * of other kernels (172 rows of a 1,024-row pass) left one thread idle for up to a range (~250 µs)
 * at the end of each pass.
 */
function quantizedChunk(macs: number): number {
  return Math.max(4, Math.ceil((1 << 21) / Math.max(1, macs) / 4) * 4);
}

/**
 * Writes a call's attrs as f64s from `f[at]` on, each missing one (and the unused slots up to six)
 * as NaN. Parameters, not a list, for the reason given at `NativeElementwise.attrs`.
 */
function put(
  f: Float64Array,
  at: number,
  a0?: number,
  a1?: number,
  a2?: number,
  a3?: number,
  a4?: number,
  a5?: number,
): void {
  f[at] = a0 ?? NaN;
  f[at + 1] = a1 ?? NaN;
  f[at + 2] = a2 ?? NaN;
  f[at + 3] = a3 ?? NaN;
  f[at + 4] = a4 ?? NaN;
  f[at + 5] = a5 ?? NaN;
}

/** Bits of the activation ids `populationForward` runs natively: linear 0, relu 3, fastTanh 9, fastSigmoid 10. */
const POPULATION_ACTS = (1 << 0) | (1 << 3) | (1 << 9) | (1 << 10);

/** Native versions by kernel name (the kernels themselves, with their references, live in src/optim). */
export const NATIVE_ELEMENTWISE: Readonly<Record<string, NativeElementwise>> = {
  sgd: {
    split: true,
    export: 'sgdStep',
    attrs: (a, f, at) => put(f, at, a.lr),
  },
  momentum: {
    split: true,
    export: 'momentumStep',
    attrs: (a, f, at) => put(f, at, a.lr, a.momentum, a.nesterov),
  },
  adam: {
    split: true,
    export: 'adamStep',
    attrs: (a, f, at) => put(f, at, a.lr, a.beta1, a.beta2, a.epsilon, a.t, a.decay),
  },
  rmsprop: {
    split: true,
    export: 'rmspropStep',
    attrs: (a, f, at) => put(f, at, a.lr, a.rho, a.momentum, a.epsilon),
  },
  adagrad: {
    split: true,
    export: 'adagradStep',
    attrs: (a, f, at) => put(f, at, a.lr, a.epsilon),
  },
  copy: {
    split: true,
    export: 'copyRange',
    attrs: () => undefined,
  },
  populationForward: {
    split: false,
    export: 'populationForward',
    attrs: (a, f, at) => put(f, at, a.rows, a.layers, a.genomeLength, a.widest),
    accepts: (a) => ((a.acts ?? -1) & ~POPULATION_ACTS) === 0,
  },
  populationAffine: {
    split: false,
    export: 'populationAffine',
    attrs: (a, f, at) => {
      put(f, at, a.rows, a.genomeLength, a.k, a.units, a.weightOffset, a.biasOffset);
      f[at + 6] = a.srcStride ?? NaN;
    },
  },
  quantizedAffine: {
    split: true,
    export: 'quantizedAffine',
    attrs: (a, f, at) => put(f, at, a.k, a.kp, a.n, a.wmax ?? 128),
    // Positions are rows; a row is k·n multiply-adds at 8–11 per instruction (~2 optimizer elements a vector).
    work: (a) => ((a.k ?? 0) * (a.n ?? 0)) / 16,
    chunk: (a) => quantizedChunk((a.k ?? 0) * (a.n ?? 0)),
  },
  quantizedForward: {
    split: true,
    export: 'quantizedForward',
    attrs: (a, f, at) => put(f, at, a.layers),
    // Positions are rows through every layer: `macs` multiply-adds each, as for quantizedAffine.
    work: (a) => (a.macs ?? 0) / 16,
    chunk: (a) => quantizedChunk(a.macs ?? 0),
  },
};

/** The export names in a fixed order: a thread pool's job names its kernel by index in this list. */
export const ELEMENTWISE_EXPORTS: readonly string[] = Object.values(NATIVE_ELEMENTWISE).map((k) => k.export);

/** Signature of every elementwise export: positions [lo, hi) of the arrays whose byte offsets are in its table. */
export type ElementwiseExport = (lo: number, hi: number, arrays: number, attrs: number) => void;

/** The compiled functions of {@link ELEMENTWISE_EXPORTS}, in that order, from an instance's exports. */
export function elementwiseExports(exports: object): ElementwiseExport[] {
  return ELEMENTWISE_EXPORTS.map((name) => {
    const f = (exports as Record<string, unknown>)[name];
    if (typeof f !== 'function')
      throw new Error(`wasm kernels: the build has no export ${name} (run npm run build:wasm)`);
    return f as ElementwiseExport;
  });
}
