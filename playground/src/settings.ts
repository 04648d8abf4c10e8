// Every setting of the page, and its round trip through the URL's query string. The URL is the
// single source of truth for a run: the same URL gives the same data, initial weights and run.
import type { ActivationName, OptimizerName } from '../../src/index.ts';

export const DATASETS = ['circles', 'spiral', 'moons', 'xor', 'gaussian', 'csv'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const HIDDEN_ACTIVATIONS: readonly ActivationName[] = [
  'tanh',
  'relu',
  'leakyRelu',
  'sigmoid',
  'elu',
  'softplus',
  'gelu',
  'linear',
];
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adamw'];
export const MODES = ['train', 'evolve'] as const;
export type Mode = (typeof MODES)[number];
export const BACKENDS = ['auto', 'wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Training speeds offered, in epochs (generations) per second; `Infinity` is "as fast as the
 * machine goes". Slow speeds let a person watch the boundary form.
 */
export const SPEEDS: readonly number[] = [1, 3, 10, 30, 100, 300, Infinity];

/**
 * Noise each dataset starts with: enough to look like real data, little enough that the shape is
 * recognisable (the spiral's arms are 0.29 apart at 1.75 turns, so 0.1 blurs them into a blob).
 */
export const DEFAULT_NOISE: Readonly<Record<DatasetName, number>> = {
  circles: 0.1,
  spiral: 0.03,
  moons: 0.1,
  xor: 0.1,
  gaussian: 0.1,
  csv: 0,
};

export const MAX_LAYERS = 6;
export const MAX_UNITS = 16;

export interface Settings {
  dataset: DatasetName;
  seed: number;
  /** Points generated (train + test). */
  n: number;
  noise: number;
  /** Fraction of points used for training; the rest is the test set. */
  ratio: number;
  /** Classes of spiral and Gaussian clusters. */
  classes: number;
  /** Units of each hidden layer. */
  layers: number[];
  /** Activation of each hidden layer (same length as layers). */
  activation: ActivationName[];
  /** Dropout rate of every hidden layer. */
  dropout: number;
  optimizer: OptimizerName;
  lr: number;
  batch: number;
  /** L2 penalty (the optimizer's weightDecay). */
  l2: number;
  mode: Mode;
  backend: BackendName;
  /** Neuroevolution: population size and mutation rate. */
  pop: number;
  mutation: number;
  /** Epochs (or generations) per second while playing; Infinity for as fast as possible. */
  speed: number;
}

export const DEFAULTS: Readonly<Settings> = {
  dataset: 'circles',
  seed: 1,
  n: 400,
  noise: 0.1,
  ratio: 0.5,
  classes: 2,
  layers: [8, 8],
  activation: ['tanh', 'tanh'],
  dropout: 0,
  optimizer: 'adam',
  lr: 0.03,
  batch: 10,
  l2: 0,
  mode: 'train',
  backend: 'auto',
  pop: 50,
  mutation: 0.1,
  speed: 30,
};

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function num(p: URLSearchParams, key: string, fallback: number, lo: number, hi: number, int = false): number {
  const raw = p.get(key);
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) return fallback;
  return clamp(int ? Math.round(v) : v, lo, hi);
}

function pick<T extends string>(p: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const raw = p.get(key);
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

/** Reads settings from a query string; anything missing or invalid takes its default. */
export function parseSettings(search: string): Settings {
  const p = new URLSearchParams(search);
  const layersRaw = p.get('layers');
  let layers = [...DEFAULTS.layers];
  if (layersRaw !== null) {
    layers =
      layersRaw.trim() === ''
        ? []
        : layersRaw
            .split(',')
            .map((s) => Math.round(Number(s)))
            .filter((v) => Number.isFinite(v) && v >= 1)
            .map((v) => Math.min(MAX_UNITS, v))
            .slice(0, MAX_LAYERS);
  }
  const acts = (p.get('activation') ?? '')
    .split(',')
    .filter((a): a is ActivationName => (HIDDEN_ACTIVATIONS as readonly string[]).includes(a));
  const activation = layers.map((_, i) => acts[i] ?? acts[acts.length - 1] ?? 'tanh');
  const dataset = pick(p, 'dataset', DATASETS, DEFAULTS.dataset);
  const speedRaw = p.get('speed');
  const speed = speedRaw === 'max' ? Infinity : SPEEDS.includes(Number(speedRaw)) ? Number(speedRaw) : DEFAULTS.speed;
  return {
    dataset,
    seed: num(p, 'seed', DEFAULTS.seed, 0, 2 ** 31 - 1, true),
    n: num(p, 'n', DEFAULTS.n, 20, 2000, true),
    noise: num(p, 'noise', DEFAULT_NOISE[dataset], 0, 0.5),
    ratio: num(p, 'ratio', DEFAULTS.ratio, 0.1, 0.9),
    classes: num(p, 'classes', DEFAULTS.classes, 2, 5, true),
    layers,
    activation,
    dropout: num(p, 'dropout', DEFAULTS.dropout, 0, 0.9),
    optimizer: pick(p, 'optimizer', OPTIMIZERS, DEFAULTS.optimizer),
    lr: num(p, 'lr', DEFAULTS.lr, 1e-6, 10),
    batch: num(p, 'batch', DEFAULTS.batch, 1, 2000, true),
    l2: num(p, 'l2', DEFAULTS.l2, 0, 1),
    mode: pick(p, 'mode', MODES, DEFAULTS.mode),
    backend: pick(p, 'backend', BACKENDS, DEFAULTS.backend),
    pop: num(p, 'pop', DEFAULTS.pop, 4, 500, true),
    mutation: num(p, 'mutation', DEFAULTS.mutation, 0, 1),
    speed,
  };
}

/** Writes every setting (defaults included, so a shared URL does not depend on future defaults). */
export function serializeSettings(s: Settings): string {
  const p = new URLSearchParams();
  p.set('dataset', s.dataset);
  p.set('seed', String(s.seed));
  p.set('n', String(s.n));
  p.set('noise', String(s.noise));
  p.set('ratio', String(s.ratio));
  if (s.dataset === 'spiral' || s.dataset === 'gaussian') p.set('classes', String(s.classes));
  p.set('layers', s.layers.join(','));
  const same = s.activation.every((a) => a === s.activation[0]);
  p.set('activation', same ? (s.activation[0] ?? 'tanh') : s.activation.join(','));
  p.set('dropout', String(s.dropout));
  p.set('optimizer', s.optimizer);
  p.set('lr', String(s.lr));
  p.set('batch', String(s.batch));
  p.set('l2', String(s.l2));
  p.set('mode', s.mode);
  if (s.backend !== 'auto') p.set('backend', s.backend);
  p.set('speed', Number.isFinite(s.speed) ? String(s.speed) : 'max');
  if (s.mode === 'evolve') {
    p.set('pop', String(s.pop));
    p.set('mutation', String(s.mutation));
  }
  return p.toString();
}

/** The settings that decide the data and initial weights; changing one of them starts over. */
export function structuralKey(s: Settings): string {
  return JSON.stringify([
    s.dataset,
    s.seed,
    s.n,
    s.noise,
    s.ratio,
    s.classes,
    s.layers,
    s.activation,
    s.dropout,
    s.mode,
    s.backend,
    s.pop,
    s.mutation,
  ]);
}
