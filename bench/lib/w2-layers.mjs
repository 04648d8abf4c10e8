// The network of workloads W2 and W3 (../shared/bench/WORKLOADS.md), written once for the bench's
// TypeScript, its plain-node drivers (bench/w2-cold.mjs, which import no TypeScript) and the tests.

/** 784 → 128 ReLU → 64 ReLU → 10 softmax. */
export const W2_LAYERS = Object.freeze([
  784,
  { units: 128, activation: 'relu' },
  { units: 64, activation: 'relu' },
  { units: 10, activation: 'softmax' },
]);
