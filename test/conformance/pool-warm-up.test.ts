import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { enableRelaxedSimd } from '../../src/backend/wasm/node.js';
import { ELEMENTWISE_EXPORTS, elementwiseExports } from '../../src/backend/wasm/native-kernels.js';
import { POOL_CONTROL_SLOTS, POOL_SLOTS, POOL_WARM_BYTES, warmUp } from '../../src/backend/wasm/pool-worker.js';
import { fillRandom } from './backends.js';

const wasmWanted = (process.env['NEURITE_BACKEND'] ?? 'wasm') !== 'js';
const MAT = 64 * 64;

describe.runIf(wasmWanted)('wasm pool: a worker’s warm-up', () => {
  // However many rounds fit in its time (50 ms: all 64, the last of which copies a matrix that
  // the step's kernels read).
  it.each([1, 5, 50])('runs its jobs on its own block and scratch only (%i ms)', (ms) => {
    enableRelaxedSimd();
    const b = createWasmBackend({ shared: true });
    // The block and the scratch between two guard blocks of random values.
    const before = b.alloc(1 << 14);
    const at = b.reserve(POOL_WARM_BYTES);
    const scratch = b.reserve(b.kernels.gemmScratchBytes());
    const after = b.alloc(1 << 14);
    fillRandom(before, 1);
    fillRandom(after, 2);
    const guards = [Float32Array.from(before), Float32Array.from(after)];
    const block = new Float32Array(b.memory.buffer, at, 6 * MAT);
    // Whatever a reserved block held before: the warm-up sets its own values.
    fillRandom(block, 3);
    block[5] = NaN;
    const live = new Int32Array(new SharedArrayBuffer(POOL_CONTROL_SLOTS * 4));
    warmUp(b.kernels, elementwiseExports(b.kernels), POOL_SLOTS, ELEMENTWISE_EXPORTS, b.memory, at, scratch, live, ms);
    expect(Float32Array.from(before)).toEqual(guards[0]);
    expect(Float32Array.from(after)).toEqual(guards[1]);
    expect(block.every((v) => Number.isFinite(v))).toBe(true);
    // The step's own kernels ran on the fifth and sixth matrices: last, the bias rows (the first
    // matrix's first row) and over their first row the column sums of the first matrix, whose
    // every fourth column is zero and whose row r holds (r + 1) / 64 elsewhere.
    const dy = block.subarray(5 * MAT, 6 * MAT);
    for (let c = 0; c < 64; c++) {
      expect(dy[c]).toBe(c % 4 === 0 ? 0 : 32.5);
      for (let r = 1; r < 64; r++) expect(dy[r * 64 + c]).toBe(block[c]);
    }
    // The last job gathers the first matrix's rows (all different) in reverse into the fourth: the jobs did run.
    expect(new Set(block.subarray(3 * MAT, 4 * MAT)).size).toBeGreaterThan(32);
    for (let r = 0; r < 64; r++)
      expect(block.subarray(3 * MAT + r * 64, 3 * MAT + (r + 1) * 64)).toEqual(
        block.subarray((63 - r) * 64, (64 - r) * 64),
      );
  });
});
