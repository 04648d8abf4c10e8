// The W2 network, which W3 runs too: one definition per library so the two workloads cannot drift.
import { NeuralNetwork } from '../../src/index.js';
import type { Backend } from '../../src/backend/types.js';
import type { Tf } from './subjects.js';
import { W2_LAYERS } from './w2-layers.mjs';

/** Layer widths 784 → 128 → 64 → 10 (brain.js takes the widths only; it has one activation). */
export const MNIST_SIZES: readonly number[] = [784, 128, 64, 10];

/** The neurite network: ReLU hidden layers, softmax output, seed 1. */
export function mnistNetwork(backend: Backend): NeuralNetwork {
  return new NeuralNetwork({
    layers: W2_LAYERS,
    seed: 1,
    backend,
  });
}

/** The same network in TensorFlow.js (not compiled: W2 compiles it with its optimizer). */
export function mnistTfModel(tf: Tf): ReturnType<Tf['sequential']> {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}
