import type { FloatArray } from '../core/matrix.js';
import type { RngState } from '../core/rng.js';
import type { Loss } from '../nn/losses.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { OptimizerState } from '../optim/state.js';
import type { NeuralNetwork } from './network.js';

/** A network's training state as a `fit` call found it, to put back when the call turns out invalid. */
export interface TrainingSnapshot {
  /** Puts back the weights, the optimizer (object and state), the loss and the generator's position. */
  restore(): void;
  /** Releases the weights' copy (backend memory). */
  free(): void;
}

/**
 * Saves what a `fit` changes while it trains: the weights (a copy in backend memory, where a
 * thread pool has mapped pages ahead), the optimizer object with its state (empty for one that has
 * not stepped yet, so a first fit copies nothing more), the loss and the generator's position.
 */
export function saveTraining(net: NeuralNetwork): TrainingSnapshot {
  const e = net.engine;
  const b = e.backend;
  const n = e.params.length;
  const params: FloatArray = b.alloc(n);
  params.set(e.params);
  const optimizer: Optimizer = net.optimizer;
  const state: OptimizerState = optimizer.getState();
  const loss: Loss = net.loss;
  const rng: RngState = e.rng.getState();
  return {
    restore() {
      e.params.set(params);
      net.optimizer = optimizer;
      optimizer.setState(b, n, state);
      net.loss = loss;
      e.rng.setState(rng);
    },
    free() {
      b.free?.(params);
    },
  };
}
