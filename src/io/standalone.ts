// A network as one self-contained ES module: the weights inlined as base64 float32, one loop per
// layer over them, no import or require. Its size grows with the weights (5⅓ characters each),
// not with code per weight: brain.js's toFunction() writes an expression per weight, which is
// what makes its output explode.
import { floatsToBase64 } from '../core/base64.js';
import { NeuriteError } from '../core/errors.js';
import { readPipeline, type NumericStep, type Pipeline } from '../data/pipeline/index.js';
import type { NeuralNetwork } from '../model/network.js';
import { activationForm, type ActivationForms } from './activation-form.js';
import { denseStack } from './dense-stack.js';

/** Each elementwise activation as JavaScript source over `s` (and `a`, its alpha); softmax is row-wise. */
export const STANDALONE_SOURCES: ActivationForms<string> = {
  linear: 's',
  sigmoid: '1 / (1 + Math.exp(-s))',
  tanh: 'Math.tanh(s)',
  relu: 's < 0 ? 0 : s',
  leakyRelu: 's < 0 ? a * s : s',
  elu: 's < 0 ? a * Math.expm1(s) : s',
  softplus: '(s < 0 ? 0 : s) + Math.log1p(Math.exp(-Math.abs(s)))',
  gelu: '0.5 * s * (1 + Math.tanh(0.7978845608028654 * (s + 0.044715 * s * s * s)))',
};

/** Options of {@link toStandaloneJs}. */
export interface StandaloneOptions {
  /** A line of text for the module's header comment (e.g. what the model predicts). */
  description?: string;
  /**
   * `'auto'` (default): a table model's pipeline of numeric columns goes into the module (a gap,
   * `NaN` or `null`, gets the training fill, then `(x − center) / scale` and any "was missing"
   * indicator; regression outputs go back to the target's units), so `predict` takes the raw
   * column values in the order of the exported `columns`. A pipeline with text columns is
   * `UNSUPPORTED`. `'none'`: the network alone, taking the encoded features.
   */
  preprocessing?: 'auto' | 'none';
}

/** The table pipeline the module applies, or undefined for the network alone. */
function pipelineFor(net: NeuralNetwork, mode: unknown): Pipeline | undefined {
  if (mode !== 'auto' && mode !== 'none' && mode !== undefined) {
    throw new NeuriteError('INVALID_OPTION', `preprocessing must be 'auto' or 'none', got ${JSON.stringify(mode)}`);
  }
  const raw = net.metadata['pipeline'];
  if (mode === 'none' || raw === undefined) return undefined;
  const p = readPipeline(raw, 'metadata.pipeline');
  const text = p.steps.filter((st) => st.kind !== 'numeric').map((st) => `${st.column} (${st.kind})`);
  if (text.length > 0) {
    throw new NeuriteError(
      'UNSUPPORTED',
      `the standalone module carries numeric preprocessing only; this model's pipeline also encodes ${text.join(', ')}. ` +
        `Export the network alone with { preprocessing: 'none' } (it then takes the pipeline's encoded features)`,
    );
  }
  return p;
}

/** The module source of the pipeline's steps: `prepare(raw)` → network input, `finish(y)` → outputs. */
function pipelineSource(p: Pipeline | undefined): string {
  if (p === undefined) return 'const prepare = (x) => x;\nconst finish = (y) => y;\nexport const columns = null;\n';
  const steps = (p.steps as readonly NumericStep[]).map((st) => [
    st.fill,
    st.scale.center,
    st.scale.scale,
    st.indicator ? 1 : 0,
  ]);
  const t = p.target;
  const post = t.kind === 'values' ? t.scales.map((sc) => [sc.center, sc.scale]) : null;
  return `// The fitted preprocessing of the raw columns: a gap (NaN, null) takes the training fill, then
// (x − center) / scale, then a 1/0 "was missing" input where the pipeline has one; per column
// [fill, center, scale, indicator]. Regression outputs go back to the target's units ([center, scale]).
export const columns = ${JSON.stringify(p.steps.map((st) => st.column))};
const PRE = ${JSON.stringify(steps)};
const POST = ${JSON.stringify(post)};
function prepare(raw) {
  const x = [];
  PRE.forEach(([fill, center, scale, indicator], i) => {
    const v = raw[i];
    const gap = v == null || Number.isNaN(v);
    x.push(((gap ? fill : v) - center) / scale);
    if (indicator) x.push(gap ? 1 : 0);
  });
  return x;
}
const finish = POST === null ? (y) => y : (y) => y.map((v, j) => v * POST[j][1] + POST[j][0]);
`;
}

/**
 * The network as the source of one ES module with no imports, exporting
 * `predict(input: number[]): number[]`, `predictBatch(rows: number[][]): number[][]`,
 * `inputSize` and `outputSize` (and `predict` as the default export). It runs wherever ES
 * modules do: a browser page, a worker, an edge function, Node, Deno. A table model's numeric
 * preprocessing is included (see {@link StandaloneOptions.preprocessing}), so `predict` takes the
 * raw column values, in the order of the exported `columns`. Predictions match neurite's to float32
 * rounding (the module computes in float64).
 *
 * @example
 * ```ts
 * const source = toStandaloneJs(net); // write to model.js, then: import { predict } from './model.js'
 * ```
 */
export function toStandaloneJs(net: NeuralNetwork, options: StandaloneOptions = {}): string {
  const pipeline = pipelineFor(net, options.preprocessing);
  const { inputs, layers } = denseStack(net);
  const used = [...new Set(layers.map((l) => l.activation))].filter((a) => a !== 'softmax');
  const code = new Map(used.map((a, i) => [a, i]));
  let offset = 0;
  const table = layers.map((l) => {
    const row = [
      l.inputs,
      l.units,
      offset,
      l.activation === 'softmax' ? -1 : (code.get(l.activation) ?? 0),
      l.alpha ?? 0,
    ];
    offset += l.inputs * l.units + l.units;
    return `[${row.join(', ')}]`;
  });
  const shape = [String(inputs), ...layers.map((l) => `${String(l.units)} ${l.activation}`)].join(' → ');
  const branches = used.map(
    (a, i) =>
      `    else if (f === ${String(i)}) y[j] = ${activationForm(STANDALONE_SOURCES, a, 'standalone JavaScript')};`,
  );
  return `// Generated by neurite: a fully-connected network ${shape}.
${options.description !== undefined ? `// ${options.description.replace(/\s+/g, ' ')}\n` : ''}// One ES module with no imports: predict(input) → number[]; predictBatch(rows) → number[][].
// Weights: ${String(offset)} float32 values, little-endian, base64; per layer [inputs, units, offset, activation, alpha],
// weights row-major [units][inputs] followed by the biases.
const W = ((b64) => {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const w = new Float32Array(bytes.length / 4);
  for (let i = 0; i < w.length; i++) w[i] = view.getFloat32(4 * i, true);
  return w;
})(${JSON.stringify(floatsToBase64(net.getWeights()))});
const LAYERS = [${table.join(', ')}];
${pipelineSource(pipeline)}export const inputSize = ${String(pipeline === undefined ? inputs : pipeline.steps.length)};
export const outputSize = ${String(net.outputSize)};

function layer(x, [n, m, o, f, a]) {
  const y = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = W[o + n * m + j];
    for (let i = 0, r = o + j * n; i < n; i++) s += W[r + i] * x[i];
    if (f < 0) y[j] = s;
${branches.join('\n')}
  }
  if (f < 0) {
    // softmax, shifted by the row's maximum so exp cannot overflow
    let max = -Infinity, sum = 0;
    for (let j = 0; j < m; j++) if (y[j] > max) max = y[j];
    for (let j = 0; j < m; j++) sum += y[j] = Math.exp(y[j] - max);
    for (let j = 0; j < m; j++) y[j] /= sum;
  }
  return y;
}

/** The network's outputs for one input of inputSize numbers. */
export function predict(input) {
  if (input == null || input.length !== inputSize) {
    throw new RangeError(\`predict: expected \${inputSize} input values, got \${input == null ? input : input.length}\`);
  }
  let x = prepare(input);
  for (const l of LAYERS) x = layer(x, l);
  return finish(Array.from(x));
}

/** predict for each row. */
export function predictBatch(rows) {
  return Array.from(rows, predict);
}

export default predict;
`;
}
