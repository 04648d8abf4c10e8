import type { LayerSpec } from '../../src/index.js';

/** 784 → 128 ReLU → 64 ReLU → 10 softmax (see w2-layers.mjs). */
export declare const W2_LAYERS: readonly (number | LayerSpec)[];
