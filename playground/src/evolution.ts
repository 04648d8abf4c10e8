// Neuroevolution mode, wired to the library's src/evolve once it exists.
import type { NeuralNetwork } from '../../src/index.ts';
import type { PlaygroundData } from './data.ts';
import type { Settings } from './settings.ts';

export interface Evolution {
  readonly generation: number;
  /** Runs one generation; returns its fitness summary. */
  step(): { generation: number; best: number; mean: number };
  /** Takes the (hand-edited) weights of `net` into the population. */
  adopt(net: NeuralNetwork): void;
}

export const evolveAvailable = false;

export function createEvolution(_net: NeuralNetwork, _data: PlaygroundData, _s: Settings): Evolution {
  throw new Error('neuroevolution is not available yet in this build of neurite');
}
