// The network of workloads W2 and W3 (../shared/bench/WORKLOADS.md), as the tests build it.
import type { LayerSpec } from '../../src/index.js';

/** 784 → 128 ReLU → 64 ReLU → 10 softmax. */
export const W2_LAYERS: readonly (number | LayerSpec)[] = [
  784,
  { units: 128, activation: 'relu' },
  { units: 64, activation: 'relu' },
  { units: 10, activation: 'softmax' },
];
