// The elementwise kernels the wasm build accelerates, by registry name (see `ElementwiseKernel`
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
}

/** Native versions by kernel name (the kernels themselves, with their references, live in src/optim). */
export const NATIVE_ELEMENTWISE: Readonly<Record<string, NativeElementwise>> = {
  sgd: {
    export: 'sgdStep',
    attrs: (a, f, at) => {
      f[at] = a.lr ?? NaN;
    },
  },
  momentum: {
    export: 'momentumStep',
    attrs: (a, f, at) => {
      f[at] = a.lr ?? NaN;
      f[at + 1] = a.momentum ?? NaN;
      f[at + 2] = a.nesterov ?? NaN;
    },
  },
  adam: {
    export: 'adamStep',
    attrs: (a, f, at) => {
      f[at] = a.lr ?? NaN;
      f[at + 1] = a.beta1 ?? NaN;
      f[at + 2] = a.beta2 ?? NaN;
      f[at + 3] = a.epsilon ?? NaN;
      f[at + 4] = a.t ?? NaN;
      f[at + 5] = a.decay ?? NaN;
    },
  },
  rmsprop: {
    export: 'rmspropStep',
    attrs: (a, f, at) => {
      f[at] = a.lr ?? NaN;
      f[at + 1] = a.rho ?? NaN;
      f[at + 2] = a.momentum ?? NaN;
      f[at + 3] = a.epsilon ?? NaN;
    },
  },
  adagrad: {
    export: 'adagradStep',
    attrs: (a, f, at) => {
      f[at] = a.lr ?? NaN;
      f[at + 1] = a.epsilon ?? NaN;
    },
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
