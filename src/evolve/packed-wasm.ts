import { ActId } from '../backend/types.js';
import type { Matrix } from '../core/matrix.js';
import type { GenomeLayout } from './layout.js';
import { packedKernelBase64 } from './packed-kernel.generated.js';

/** The kernel's exports (see packed-kernel.wat). */
interface PackedKernel {
  memory: WebAssembly.Memory;
  forward(
    count: number,
    layers: number,
    table: number,
    x: number,
    rowsPadded: number,
    genomes: number,
    genomeLength: number,
    bufA: number,
    bufB: number,
    out: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or `null` where WebAssembly SIMD is unavailable (compiled once). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bin = atob(packedKernelBase64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Activation code of the kernel for a layer, or -1 when the kernel cannot run it. */
function actCode(id: number, rowwise: boolean): number {
  if (rowwise) return -1;
  if (id === ActId.linear) return 0;
  if (id === ActId.tanh) return 1;
  if (id === ActId.sigmoid) return 2;
  if (id === ActId.relu) return 3;
  return -1;
}

/**
 * Whether {@link SimdPackedForward} can run `layout`: WebAssembly SIMD is available and every layer
 * is linear, tanh, sigmoid or relu.
 */
export function simdPackedSupported(layout: GenomeLayout): boolean {
  return (
    layout.layers.every((l) => actCode(l.activation.id, l.activation.rowwise) >= 0) &&
    typeof WebAssembly === 'object' &&
    kernelModule() !== null
  );
}

const align = (bytes: number): number => (bytes + 15) & ~15;

/**
 * The `'fast'` population forward pass in one WebAssembly SIMD call per chunk of genomes: the
 * chunk's genomes are copied into the kernel's memory, then every neuron runs four input rows
 * per f32x4 (bias + Σ w·x in float32, summed in input order) with the float32 rational
 * tanh/sigmoid applied before the store. Outputs match the js `'fast'` path to float32 rounding
 * (a few ulp), not bit for bit. Check {@link simdPackedSupported} first.
 */
export class SimdPackedForward {
  /** Rows of the input batch. */
  readonly rows: number;
  /** Genomes per {@link run} at most. */
  readonly chunk: number;
  /** Floats between consecutive genomes' outputs in the block {@link run} returns. */
  readonly stride: number;
  private readonly kernel: PackedKernel;
  private readonly heap: Float32Array;
  private readonly layout: GenomeLayout;
  private readonly padded: number;
  private readonly at: { table: number; x: number; a: number; b: number; genomes: number; out: number };

  /** @param x the input batch; `chunk` genomes per call. */
  constructor(layout: GenomeLayout, x: Matrix, chunk: number) {
    const mod = kernelModule();
    if (!mod) throw new Error('WebAssembly SIMD is unavailable: check simdPackedSupported first');
    this.kernel = new WebAssembly.Instance(mod, {}).exports as unknown as PackedKernel;
    this.layout = layout;
    this.rows = x.rows;
    this.chunk = chunk;
    const R = (this.rows + 3) & ~3;
    this.padded = R;
    this.stride = R * layout.outputs;
    const widest = Math.max(...layout.layers.map((l) => l.units));
    const table = 0;
    const xAt = align(table + layout.layers.length * 20);
    const a = align(xAt + layout.inputs * R * 4);
    const b = align(a + widest * R * 4);
    const genomes = align(b + widest * R * 4);
    const out = align(genomes + chunk * layout.length * 4);
    const end = out + chunk * this.stride * 4;
    const mem = this.kernel.memory;
    const need = Math.ceil(end / 65536) - mem.buffer.byteLength / 65536;
    if (need > 0) mem.grow(need);
    this.at = { table, x: xAt, a, b, genomes, out };
    this.heap = new Float32Array(mem.buffer);
    const ints = new Int32Array(mem.buffer);
    layout.layers.forEach((l, i) => {
      ints.set(
        [l.inputs, l.units, l.weightOffset, l.biasOffset, actCode(l.activation.id, l.activation.rowwise)],
        table / 4 + i * 5,
      );
    });
    // Inputs feature-major ([inputs][R]); padding rows stay zero.
    for (let r = 0; r < this.rows; r++) {
      for (let p = 0; p < layout.inputs; p++) {
        this.heap[xAt / 4 + p * R + r] = x.data[r * layout.inputs + p] as number;
      }
    }
  }

  /**
   * Forward pass of `genomes[start … start + count)` (count ≤ {@link chunk}); genome i's outputs
   * (rows × outputs, row-major) start at `i · stride` in the returned block, reused by the next call.
   */
  run(genomes: readonly Float32Array[], start: number, count: number): Float32Array {
    const len = this.layout.length;
    const at = this.at;
    for (let g = 0; g < count; g++) this.heap.set(genomes[start + g] as Float32Array, at.genomes / 4 + g * len);
    this.kernel.forward(
      count,
      this.layout.layers.length,
      at.table,
      at.x,
      this.padded,
      at.genomes,
      len,
      at.a,
      at.b,
      at.out,
    );
    return this.heap.subarray(at.out / 4, at.out / 4 + count * this.stride);
  }
}
