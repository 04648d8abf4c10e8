// A run of elementary operators applied to one tensor with scalar constants, as exporters write an
// activation ONNX has no operator for (PyTorch's tanh GELU before opset 20 is Mul, Add, Tanh…).
// Instead of matching each exporter's spelling, the chain is evaluated at probe points and compared
// with neurite's activations: any chain computing the same function is read as that activation.
import { PROBED_ACTIVATIONS, activationAt } from './activations.js';
import type { ActivationName } from '../../nn/activations.js';

/** erf to ~1e-7 (Abramowitz & Stegun 7.1.26), enough to tell the erf GELU from the tanh one. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

type Unary = (a: number) => number;
type Binary = (a: number, b: number) => number;

const UNARY: Readonly<Record<string, Unary>> = {
  Identity: (a) => a,
  Neg: (a) => -a,
  Abs: Math.abs,
  Exp: Math.exp,
  Log: Math.log,
  Sqrt: Math.sqrt,
  Reciprocal: (a) => 1 / a,
  Tanh: Math.tanh,
  Sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  Relu: (a) => (a < 0 ? 0 : a),
  Softplus: (a) => Math.log1p(Math.exp(a)),
  Erf: erf,
};

const BINARY: Readonly<Record<string, Binary>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: (a, b) => a ** b,
  Max: Math.max,
  Min: Math.min,
};

/** True when `op` can be part of an elementwise chain. */
export const isElementwise = (op: string): boolean => op in UNARY || op in BINARY;

/** One step of a chain: an operator over chain tensors (by name) and scalar constants. */
export interface ChainStep {
  readonly op: string;
  readonly inputs: readonly (string | number)[];
  readonly output: string;
}

/** Evaluates the chain from `input` = x; returns the value of `output`. */
export function evaluateChain(steps: readonly ChainStep[], input: string, output: string, x: number): number {
  const values = new Map<string, number>([[input, x]]);
  const arg = (i: string | number): number => (typeof i === 'number' ? i : (values.get(i) ?? NaN));
  for (const s of steps) {
    const u = UNARY[s.op];
    const b = BINARY[s.op];
    const [p, q] = s.inputs;
    const v = u !== undefined ? u(arg(p ?? NaN)) : b !== undefined ? b(arg(p ?? NaN), arg(q ?? NaN)) : NaN;
    values.set(s.output, v);
  }
  return values.get(output) ?? NaN;
}

const PROBES = Array.from({ length: 97 }, (_, i) => -6 + i * 0.125);

/**
 * The neurite activation the chain computes (to 1e-5 relative at 97 points over [−6, 6]), or
 * undefined with the closest one and its largest difference.
 */
export function matchChain(
  steps: readonly ChainStep[],
  input: string,
  output: string,
): { activation?: ActivationName; closest: ActivationName; difference: number } {
  let closest: ActivationName = 'linear';
  let best = Infinity;
  for (const name of PROBED_ACTIVATIONS) {
    let worst = 0;
    for (const x of PROBES) {
      const want = activationAt(name, x);
      const got = evaluateChain(steps, input, output, x);
      const d = Math.abs(got - want) / Math.max(1, Math.abs(want));
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    }
    if (worst < best) {
      best = worst;
      closest = name;
    }
  }
  return best <= 1e-5 ? { activation: closest, closest, difference: best } : { closest, difference: best };
}
