// Messages between the page and the training worker. The worker owns the network; the page only
// ever sees copies of its weights, maps and metrics.
import type { Settings } from './settings.ts';

/** A CSV upload: the file's text and the columns chosen as the two features and the label. */
export interface CsvSource {
  text: string;
  name: string;
  features: [string, string];
  label: string;
}

export type ToWorker =
  | { type: 'init'; settings: Settings; csv?: CsvSource }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'hyper'; settings: Settings }
  | { type: 'setNeuron'; layer: number; neuron: number; weights: number[]; bias: number }
  | { type: 'freeze'; layer: number; neuron: number; frozen: boolean }
  | { type: 'export'; purpose: ExportPurpose }
  | { type: 'import'; json: unknown };

/** Points of one part of the data, already in model input space. */
export interface Points {
  /** x1, x2 interleaved. */
  xy: Float32Array;
  /** Class index of each point. */
  label: Int32Array;
}

export interface DataMessage {
  type: 'data';
  train: Points;
  test: Points;
  classes: string[];
  /** Plane shown: [xMin, xMax, yMin, yMax]. */
  bounds: [number, number, number, number];
  /** Names of the two inputs. */
  features: [string, string];
}

/** One layer's parameters, copied out of the network. */
export interface LayerView {
  inputs: number;
  units: number;
  activation: string;
  /** Row-major [units][inputs]. */
  weights: Float32Array;
  biases: Float32Array;
}

export interface Metrics {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
}

export interface StateMessage {
  type: 'state';
  running: boolean;
  metrics: Metrics;
  /** Per-epoch points since the last state message (for the loss curves). */
  history: Metrics[];
  /** Network output at the probe point. */
  probe: number[];
  /** Output over a size × size grid, row 0 at the top, `outputs` values per cell. */
  boundary: { size: number; outputs: number; values: Float32Array };
  /** Activation maps of every neuron of every layer: maps[l][j] has mapSize² values (row 0 at the top). */
  maps: Float32Array[][];
  mapSize: number;
  layers: LayerView[];
  /** "l:j" of frozen neurons. */
  frozen: string[];
  /** Neuroevolution: generation and fitness points since the last message. */
  evolution?: { generation: number; points: { generation: number; best: number; mean: number }[] };
}

export interface ReadyMessage {
  type: 'ready';
  backend: string;
  /** FNV-1a hash of the initial parameter vector, hex. */
  weightsHash: string;
  isolated: boolean;
  /** Threads the backend splits large products over (1 without a pool). */
  threads: number;
  /** Set when the network came from an imported file: its hidden layers. */
  imported?: { layers: number[]; activation: string[]; dropout: number };
  /** Whether evolution mode is available (the library's src/evolve is present). */
  evolveAvailable: boolean;
}

/** What an exported model is for: a file download, or the browser's own store (IndexedDB). */
export type ExportPurpose = 'download' | 'store';

export type FromWorker =
  | DataMessage
  | StateMessage
  | ReadyMessage
  | { type: 'export'; json: unknown; purpose: ExportPurpose; epoch: number }
  | { type: 'error'; message: string };

export const PROBE: readonly [number, number] = [0.5, 0.5];
