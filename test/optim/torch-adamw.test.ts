// AdamW against numbers PyTorch itself produced (torch.optim.AdamW, fixtures/torch-adamw.json,
// written once by fixtures/torch-adamw.py): an implementation neurite's code and tests did not
// write, in float64 and in float32.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createJsBackend, jsBackend } from '../../src/backend/js/index.js';
import type { Backend } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/backend.js';
import { Optimizer, type OptimizerSpec } from '../../src/index.js';

interface TorchRun {
  settings: { lr: number; betas: [number, number]; eps: number; weight_decay: number };
  p0: number[];
  grads: number[][];
  float64: number[][];
  float32: number[][];
}

const torch = JSON.parse(readFileSync(new URL('fixtures/torch-adamw.json', import.meta.url), 'utf8')) as TorchRun;
const { lr, betas, eps, weight_decay } = torch.settings;
const spec: OptimizerSpec = {
  type: 'adamw',
  learningRate: lr,
  beta1: betas[0],
  beta2: betas[1],
  epsilon: eps,
  weightDecay: weight_decay,
};

/** Parameters after every step of `spec` from torch's start and gradients, `copies` times side by side. */
function steps(b: Backend, s: OptimizerSpec, copies = 1): number[][] {
  const n = torch.p0.length;
  const p = b.alloc(n * copies);
  const g = b.alloc(n * copies);
  for (let c = 0; c < copies; c++) p.set(torch.p0, c * n);
  const opt = new Optimizer(s);
  return torch.grads.map((gk) => {
    for (let c = 0; c < copies; c++) g.set(gk, c * n);
    opt.step(b, p.length, p, g);
    return Array.from(p);
  });
}

/** The largest difference from `want` (tiled over `got`), relative to 1 + |want|. */
function worst(got: number[], want: number[]): number {
  return Math.max(...got.map((x, i) => Math.abs(x - want[i % want.length]!) / (1 + Math.abs(want[i % want.length]!))));
}

describe("AdamW against PyTorch's torch.optim.AdamW", () => {
  it('float64: every step agrees to 1e-12', () => {
    const got = steps(createJsBackend({ precision: 'float64' }), spec);
    got.forEach((p, k) => expect(worst(p, torch.float64[k]!), `step ${k + 1}`).toBeLessThan(1e-12));
  });

  // 100 copies of the 12 values: 1,200, above the wasm backend's 16-value bound, so its native kernel runs.
  it.each([
    ['js', jsBackend],
    ['wasm', createWasmBackend({ shared: false, reserveBytes: 4 << 20 })],
  ] as const)('float32 on %s: within a few float32 roundings of PyTorch float32 at every step', (_, b) => {
    const got = steps(b, spec, 100);
    got.forEach((p, k) => expect(worst(p, torch.float32[k]!), `step ${k + 1}`).toBeLessThan(1e-6));
  });

  it('is sensitive: Adam without the decoupled decay, or with decay 0.09, is told apart', () => {
    const b = createJsBackend({ precision: 'float64' });
    const last = torch.float64.length - 1;
    expect(
      worst(
        steps(b, { type: 'adam', learningRate: lr, beta1: betas[0], beta2: betas[1], epsilon: eps })[last]!,
        torch.float64[last]!,
      ),
    ).toBeGreaterThan(1e-5);
    expect(worst(steps(b, { ...spec, weightDecay: 0.09 })[last]!, torch.float64[last]!)).toBeGreaterThan(1e-6);
  });
});
