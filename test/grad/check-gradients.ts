import { NeuralNetwork, Rng, type ActivationName, type LayerSpec, type LossName } from '../../src/index.js';
import { f64 } from '../helpers/backends.js';
import { probabilityRows, randomRows } from '../helpers/random.js';

/** One layer of a gradient-check network. */
export interface GradLayer {
  units: number;
  activation: ActivationName;
  alpha?: number;
}

/** A random network plus a loss: what {@link checkGradients} differentiates. */
export interface GradSpec {
  inputs: number;
  layers: GradLayer[];
  loss: LossName;
  rows: number;
  seed: number;
  /**
   * Dropout rate for the hidden layers (default 0). With dropout the forward pass runs in training
   * mode and the generator is rewound before every pass, so each sees the same mask.
   */
  dropout?: number;
  /** Test hook: changes the built network before checking (used to prove the check can fail). */
  mutate?: (net: NeuralNetwork) => void;
}

/** What one check found. */
export interface GradReport {
  /** Parameters compared (all of them). */
  checked: number;
  /**
   * Worst |analytic − numeric| / (ATOL + RTOL·max(|analytic|, |numeric|)): at most 1 when every
   * parameter agrees. ATOL absorbs the ~1e-10 rounding noise of the differences themselves.
   */
  worstRatio: number;
  /** Index and values of the worst parameter, for failure messages. */
  worst: { index: number; analytic: number; numeric: number };
  /** Largest |analytic gradient| (to prove the check did not compare zeros with zeros). */
  maxAbsGradient: number;
  /** Seed actually used after resampling away from kinks. */
  seedUsed: number;
  loss: number;
}

/** Activations with a kink at 0 (their derivative jumps there). */
const KINKED: ReadonlySet<ActivationName> = new Set(['relu', 'leakyRelu', 'elu']);
/** Distance kept from every kink: far above what a step of H can move a pre-activation. */
const MARGIN = 0.02;
/** Central-difference step: in float64 the truncation error (~H²) and rounding (~1e-16/H) are both ≪ 1e-7. */
const H = 1e-6;
/** Agreement required: rounding noise of (L(p+H) − L(p−H))/2H is ~1e-16·|L|/H ≈ 1e-10. */
export const ATOL = 1e-8;
export const RTOL = 1e-5;

/** Targets valid for each loss: probabilities for the cross-entropies, spread values for regression. */
export const TARGETS: Record<LossName, (rng: Rng, rows: number, cols: number) => number[][]> = {
  mse: (r, m, n) => randomRows(r, m, n, -1.5, 1.5),
  ssr: (r, m, n) => randomRows(r, m, n, -1.5, 1.5),
  mae: (r, m, n) => randomRows(r, m, n, -1.5, 1.5),
  // Wide enough that both branches (|d| < 1 and |d| > 1) occur.
  huber: (r, m, n) => randomRows(r, m, n, -3, 3),
  // Soft labels in [0, 1] exercise the full formula, not only t ∈ {0, 1}.
  binaryCrossEntropy: (r, m, n) => randomRows(r, m, n, 0, 1),
  categoricalCrossEntropy: (r, m, n) => probabilityRows(r, m, n),
};

/** True when the loss's term has a kink at p − t = d for some d the check must avoid. */
function nearLossKink(loss: LossName, p: number, t: number): boolean {
  const d = Math.abs(p - t);
  if (loss === 'mae') return d < MARGIN;
  if (loss === 'huber') return Math.abs(d - 1) < MARGIN;
  // Keep predictions away from the 1e-7 clamp inside the logs.
  if (loss === 'binaryCrossEntropy' || loss === 'categoricalCrossEntropy') return p < 1e-5 || p > 1 - 1e-5;
  return false;
}

function build(spec: GradSpec, seed: number): { net: NeuralNetwork; x: number[][]; t: number[][] } {
  const layers: LayerSpec[] = spec.layers.map((l) => {
    const s: LayerSpec = { units: l.units, activation: l.activation };
    if (l.alpha !== undefined) s.alpha = l.alpha;
    // Normal(0, 1/√units) keeps pre-activations O(1), so every branch of every activation is hit.
    s.init = 'normal';
    if (spec.dropout !== undefined && l !== spec.layers[spec.layers.length - 1]) s.dropout = spec.dropout;
    return s;
  });
  const net = new NeuralNetwork({ layers: [spec.inputs, ...layers], loss: spec.loss, seed, backend: f64 });
  spec.mutate?.(net);
  const rng = new Rng(seed ^ 0x5eed);
  // Random biases too, so a zero bias cannot hide a missing bias gradient.
  for (const l of net.layers) for (let j = 0; j < l.units; j++) l.biases[j] = rng.uniform(-0.5, 0.5);
  const out = spec.layers[spec.layers.length - 1] as GradLayer;
  const x = randomRows(rng, spec.rows, spec.inputs, -2, 2);
  const t = TARGETS[spec.loss](rng, spec.rows, out.units);
  return { net, x, t };
}

function load(net: NeuralNetwork, x: number[][], t: number[][]): void {
  net.engine.reserve(x.length);
  net.engine.input.set(x.flat());
  net.engine.target.set(t.flat());
}

/** A copy of the generator's state, to replay the same dropout masks. */
type RngState = Record<string, number>;
const saveRng = (net: NeuralNetwork): RngState => ({ ...(net.engine.rng as unknown as RngState) });
const restoreRng = (net: NeuralNetwork, s: RngState): void => void Object.assign(net.engine.rng, s);

function lossAt(net: NeuralNetwork, m: number, rng: RngState | undefined): number {
  if (rng) restoreRng(net, rng);
  net.engine.forward(m, rng !== undefined);
  return net.engine.loss(m, net.loss);
}

/** True when no pre-activation sits near its activation's kink and no output near the loss's kink. */
function awayFromKinks(net: NeuralNetwork, spec: GradSpec, m: number): boolean {
  net.engine.forward(m, false);
  for (const l of net.layers) {
    if (!KINKED.has(l.activation.name)) continue;
    for (let i = 0; i < m * l.units; i++) if (Math.abs(l.z[i] as number) < MARGIN) return false;
  }
  const last = net.layers[net.layers.length - 1]!;
  for (let i = 0; i < m * last.units; i++) {
    if (nearLossKink(spec.loss, last.out[i] as number, net.engine.target[i] as number)) return false;
  }
  return true;
}

/**
 * Compares the analytic gradient (the engine's `loss` + `backward`, the code that trains) with central
 * differences of the loss, for every parameter of a random float64 network. Resamples the network
 * (new seed) until no value sits near a kink of an activation or of the loss.
 */
export function checkGradients(spec: GradSpec): GradReport {
  const m = spec.rows;
  let seed = spec.seed;
  let built = build(spec, seed);
  load(built.net, built.x, built.t);
  for (let attempt = 0; !awayFromKinks(built.net, spec, m); attempt++) {
    if (attempt > 200) throw new Error(`could not sample away from kinks for ${JSON.stringify(spec)}`);
    seed += 7919;
    built = build(spec, seed);
    load(built.net, built.x, built.t);
  }
  const net = built.net;
  const rng = spec.dropout !== undefined ? saveRng(net) : undefined;
  net.engine.forward(m, true);
  const loss = net.engine.loss(m, net.loss);
  net.engine.backward(m, net.loss);
  const analytic = Float64Array.from(net.engine.grads);
  const p = net.engine.params;
  let worstRatio = 0;
  let worst = { index: -1, analytic: 0, numeric: 0 };
  let maxAbsGradient = 0;
  for (let i = 0; i < p.length; i++) {
    const keep = p[i] as number;
    p[i] = keep + H;
    const up = lossAt(net, m, rng);
    p[i] = keep - H;
    const down = lossAt(net, m, rng);
    p[i] = keep;
    const numeric = (up - down) / (2 * H);
    const a = analytic[i] as number;
    const ratio = Math.abs(a - numeric) / (ATOL + RTOL * Math.max(Math.abs(a), Math.abs(numeric)));
    maxAbsGradient = Math.max(maxAbsGradient, Math.abs(a));
    if (ratio > worstRatio || Number.isNaN(ratio)) {
      worstRatio = Number.isNaN(ratio) ? Infinity : ratio;
      worst = { index: i, analytic: a, numeric };
    }
  }
  return { checked: p.length, worstRatio, worst, maxAbsGradient, seedUsed: seed, loss };
}
