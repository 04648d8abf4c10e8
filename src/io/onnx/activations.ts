// neurite's activations as ONNX operators, both ways: one table row per activation (an export
// meeting an activation without a row fails with UNSUPPORTED; test/io/activation-forms.test.ts).
import { NeuriteError } from '../../core/errors.js';
import { getActivation, type ActivationName } from '../../nn/activations.js';
import { activationForm, type ActivationForms } from '../activation-form.js';
import { float, type GraphBuilder } from './graph-builder.js';
import type { OnnxAttribute } from './proto.js';

/** How one activation is written as ONNX. */
interface OnnxActivation {
  /** The opset from which `write` emits one native operator (below it, a chain of elementary ones). */
  readonly nativeOpset?: number;
  /** Appends the nodes computing the activation of `x`; returns the output's name. */
  write(b: GraphBuilder, x: string, alpha: number, opset: number): string;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

const one = (op: string): OnnxActivation => ({ write: (b, x) => b.op(op, [x]) });

/** The ONNX form of every neurite activation. */
export const ONNX_ACTIVATIONS: ActivationForms<OnnxActivation> = {
  linear: one('Identity'),
  sigmoid: one('Sigmoid'),
  tanh: one('Tanh'),
  relu: one('Relu'),
  leakyRelu: { write: (b, x, alpha) => b.op('LeakyRelu', [x], { alpha: float(alpha) }) },
  elu: { write: (b, x, alpha) => b.op('Elu', [x], { alpha: float(alpha) }) },
  softplus: one('Softplus'),
  // ONNX Gelu (opset 20) with approximate = "tanh" is neurite's GELU; before opset 20 the same
  // formula, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), in elementary operators.
  gelu: {
    nativeOpset: 20,
    write(b, x, _alpha, opset) {
      if (opset >= 20) return b.op('Gelu', [x], { approximate: 'tanh' });
      const cube = b.op('Mul', [b.op('Mul', [x, x]), x]);
      const inner = b.op('Add', [x, b.op('Mul', [cube, b.scalar('gelu.k', 0.044715)])]);
      const t = b.op('Tanh', [b.op('Mul', [inner, b.scalar('gelu.c', SQRT_2_OVER_PI)])]);
      const half = b.op('Mul', [x, b.scalar('gelu.half', 0.5)]);
      return b.op('Mul', [half, b.op('Add', [t, b.scalar('gelu.one', 1)])]);
    },
  },
  // neurite's softmax runs over each row's outputs: the last axis.
  softmax: { write: (b, x) => b.op('Softmax', [x], { axis: -1 }) },
};

/** The opset an export uses by default: 13, or 20 when a layer's activation has a native operator only from 20. */
export function defaultOpset(activations: readonly ActivationName[]): number {
  return Math.max(13, ...activations.map((a) => onnxActivation(a).nativeOpset ?? 13));
}

/** The ONNX form of an activation; `UNSUPPORTED` when it has none. */
export function onnxActivation(name: ActivationName): OnnxActivation {
  return activationForm(ONNX_ACTIVATIONS, name, 'ONNX');
}

/** An activation read from an ONNX node. */
export interface ReadActivation {
  readonly activation: ActivationName;
  readonly alpha?: number;
}

const attr = (attrs: readonly OnnxAttribute[], name: string): OnnxAttribute | undefined =>
  attrs.find((a) => a.name === name);

/** Reads one single-operator activation; `where` names the node for errors. */
type Reader = (attrs: readonly OnnxAttribute[], where: string) => ReadActivation;

const fixed =
  (activation: ActivationName): Reader =>
  () => ({ activation });
const withAlpha =
  (activation: ActivationName, fallback: number): Reader =>
  (attrs) => ({ activation, alpha: attr(attrs, 'alpha')?.f ?? fallback });

/** ONNX operators that are one neurite activation, keyed by `op_type`. */
export const ACTIVATION_OPS: Readonly<Record<string, Reader>> = {
  Identity: fixed('linear'),
  Sigmoid: fixed('sigmoid'),
  Tanh: fixed('tanh'),
  Relu: fixed('relu'),
  Softplus: fixed('softplus'),
  // ONNX's defaults: LeakyRelu alpha 0.01, Elu alpha 1.
  LeakyRelu: withAlpha('leakyRelu', 0.01),
  Elu: withAlpha('elu', 1),
  Softmax: (attrs, where) => {
    const axis = attr(attrs, 'axis')?.i ?? -1;
    // On the [batch, features] tensors of an MLP, axis 1 is the last axis too (and opset < 13's default).
    if (axis !== -1 && axis !== 1) {
      throw new NeuriteError(
        'UNSUPPORTED',
        `${where}: Softmax over axis ${String(axis)}; neurite's softmax runs over the last axis`,
      );
    }
    return { activation: 'softmax' };
  },
  Gelu: (attrs, where) => {
    const approximate = attr(attrs, 'approximate')?.s ?? 'none';
    if (approximate !== 'tanh') {
      throw new NeuriteError(
        'UNSUPPORTED',
        `${where}: Gelu with approximate="${approximate}" (the exact, erf form); neurite's gelu is the tanh approximation (approximate="tanh")`,
      );
    }
    return { activation: 'gelu' };
  },
};

/** Activations an elementary-operator chain is compared against (those with no parameter). */
export const PROBED_ACTIVATIONS: readonly ActivationName[] = ['linear', 'sigmoid', 'tanh', 'relu', 'softplus', 'gelu'];

/** neurite's value of `name` at `x`, for matching a chain of elementary operators. */
export function activationAt(name: ActivationName, x: number): number {
  return getActivation(name).f(x);
}
