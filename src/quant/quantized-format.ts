import { NeuriteError, describe } from '../core/errors.js';
import { base64ToFloats, decodeBase64, encodeBase64, floatsToBase64 } from '../core/base64.js';
import { ACTIVATION_NAMES, activationHasParam, type ActivationName } from '../nn/activations.js';
import type { QuantizedLayerData } from './quantized-network.js';

/** The `format` field of a quantized model file (a float model file says `neurite-model`). */
export const QUANTIZED_MODEL_FORMAT = 'neurite-quantized-model';
/** The quantized model file version; other versions are refused with `INVALID_MODEL`. */
export const QUANTIZED_MODEL_VERSION = 1;

/**
 * The JSON form of a quantized network. Weights are int8 (one byte each, base64), so the file is
 * about a quarter of the float model's; scales and biases are little-endian float32, base64.
 */
export interface QuantizedModelJSON {
  format: typeof QUANTIZED_MODEL_FORMAT;
  version: number;
  inputs: number;
  layers: { units: number; activation: ActivationName; alpha?: number }[];
  /** Every layer's int8 weights, layer by layer, row-major [units][inputs], as bytes in base64. */
  weights: string;
  /** Every layer's per-neuron scales, layer by layer (float32, base64). */
  scales: string;
  /** Every layer's biases, layer by layer (float32, base64). */
  biases: string;
}

const bad = (msg: string): NeuriteError => new NeuriteError('INVALID_MODEL', `invalid quantized model: ${msg}`);

function concat<T extends Int8Array | Float32Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The file form of quantized layers. */
export function quantizedToJSON(layers: readonly QuantizedLayerData[]): QuantizedModelJSON {
  const w = concat(
    layers.map((l) => l.weights),
    (n) => new Int8Array(n),
  );
  return {
    format: QUANTIZED_MODEL_FORMAT,
    version: QUANTIZED_MODEL_VERSION,
    inputs: layers[0]?.inputs ?? 0,
    layers: layers.map((l) => ({
      units: l.units,
      activation: l.activation,
      ...(l.alpha !== undefined ? { alpha: l.alpha } : {}),
    })),
    weights: encodeBase64(new Uint8Array(w.buffer, w.byteOffset, w.length)),
    scales: floatsToBase64(
      concat(
        layers.map((l) => l.scales),
        (n) => new Float32Array(n),
      ),
    ),
    biases: floatsToBase64(
      concat(
        layers.map((l) => l.biases),
        (n) => new Float32Array(n),
      ),
    ),
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Sizes stay far below 2³¹ (byte offsets in wasm memory); the weights string bounds the real size. */
const MAX_SIZE = 2 ** 30;

function count(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > MAX_SIZE)
    throw bad(`${what} must be a positive integer, got ${describe(x)}`);
  return x;
}

function floats(x: unknown, what: string, n: number): Float32Array {
  const v = typeof x === 'string' ? base64ToFloats(x) : undefined;
  if (v === undefined) throw bad(`${what} must be base64 float32 values, got ${describe(x)}`);
  if (v.length !== n) throw bad(`${what} holds ${String(v.length)} values but the layers need ${String(n)}`);
  const i = v.findIndex((e) => !Number.isFinite(e));
  if (i >= 0) throw bad(`${what}[${String(i)}] is ${String(v[i])}`);
  return v;
}

/**
 * Validates a parsed quantized model file and returns its layers; every size is checked against
 * the architecture before anything is decoded.
 */
export function parseQuantized(obj: unknown): QuantizedLayerData[] {
  if (!isRecord(obj)) throw bad(`expected an object, got ${describe(obj)}`);
  if (obj['format'] !== QUANTIZED_MODEL_FORMAT) {
    const hint = obj['format'] === 'neurite-model' ? ' (a float model: load it with NeuralNetwork.fromJSON)' : '';
    throw bad(`format must be ${JSON.stringify(QUANTIZED_MODEL_FORMAT)}, got ${describe(obj['format'])}${hint}`);
  }
  if (obj['version'] !== QUANTIZED_MODEL_VERSION)
    throw bad(
      `version ${describe(obj['version'])} is not supported; this neurite reads version ${String(QUANTIZED_MODEL_VERSION)}`,
    );
  const raw = obj['layers'];
  if (!Array.isArray(raw) || raw.length === 0) throw bad(`layers must be a non-empty array, got ${describe(raw)}`);
  let fanIn = count(obj['inputs'], 'inputs');
  let weights = 0;
  const shapes = raw.map((l: unknown, i) => {
    const where = `layers[${String(i)}]`;
    if (!isRecord(l)) throw bad(`${where} must be an object, got ${describe(l)}`);
    const units = count(l['units'], `${where}.units`);
    const act = l['activation'];
    if (typeof act !== 'string' || !(ACTIVATION_NAMES as string[]).includes(act))
      throw bad(`${where}.activation must be one of ${ACTIVATION_NAMES.join(', ')}, got ${describe(act)}`);
    const alpha = l['alpha'];
    if (alpha !== undefined && (typeof alpha !== 'number' || !Number.isFinite(alpha)))
      throw bad(`${where}.alpha must be a finite number, got ${describe(alpha)}`);
    const shape = { inputs: fanIn, units, activation: act as ActivationName, alpha, at: weights };
    weights += units * fanIn;
    if (weights > MAX_SIZE) throw bad(`the architecture has more than ${String(MAX_SIZE)} weights`);
    fanIn = units;
    return shape;
  });
  const units = shapes.reduce((s, l) => s + l.units, 0);
  const wb = typeof obj['weights'] === 'string' ? decodeBase64(obj['weights']) : undefined;
  if (wb === undefined) throw bad(`weights must be base64 int8 values, got ${describe(obj['weights'])}`);
  if (wb.length !== weights)
    throw bad(`weights holds ${String(wb.length)} bytes but the layers need ${String(weights)}`);
  const w = new Int8Array(wb.buffer, wb.byteOffset, wb.length);
  const scales = floats(obj['scales'], 'scales', units);
  const biases = floats(obj['biases'], 'biases', units);
  let u = 0;
  return shapes.map((s) => {
    const layer: QuantizedLayerData = {
      inputs: s.inputs,
      units: s.units,
      activation: s.activation,
      ...(s.alpha !== undefined && activationHasParam(s.activation) ? { alpha: s.alpha as number } : {}),
      weights: w.slice(s.at, s.at + s.units * s.inputs),
      scales: scales.slice(u, u + s.units),
      biases: biases.slice(u, u + s.units),
    };
    u += s.units;
    return layer;
  });
}
