// A network as PyTorch's nn.Sequential(Linear, activation, Linear, activation, …) sees it: the
// state_dict names (`0.weight` [out, in], `0.bias`, `2.weight`, …; activation modules hold no
// parameters but take an index) and the Python expression that builds the same module.
import { NeuriteError, describe } from '../../core/errors.js';
import { ACTIVATION_NAMES, activationHasParam, type ActivationName } from '../../nn/activations.js';
import type { NeuralNetwork } from '../../model/network.js';
import { activationForm, type ActivationForms } from '../activation-form.js';
import { denseStack, type StackLayer } from '../dense-stack.js';
import { networkWithSettings, savedSettings, type StackSettings } from '../saved-settings.js';
import { decodeSafetensors, encodeSafetensors, type NamedTensor, type ReadTensor } from './container.js';

/** The torch.nn module of each activation (none for linear), as Python source. */
export const TORCH_MODULES: ActivationForms<(alpha: number) => string | undefined> = {
  linear: () => undefined,
  sigmoid: () => 'Sigmoid()',
  tanh: () => 'Tanh()',
  relu: () => 'ReLU()',
  leakyRelu: (a) => `LeakyReLU(negative_slope=${String(a)})`,
  elu: (a) => `ELU(alpha=${String(a)})`,
  softplus: () => 'Softplus()',
  gelu: () => "GELU(approximate='tanh')",
  softmax: () => 'Softmax(dim=-1)',
};

/** A layer's activation module as Python source; undefined for linear (no module); `UNSUPPORTED` if it has none. */
function torchModule(l: StackLayer): string | undefined {
  return activationForm(TORCH_MODULES, l.activation, 'PyTorch (safetensors)')(l.alpha ?? 0);
}

/** One layer's activation as the file's metadata or the caller names it. */
export type TorchActivation = ActivationName | { activation: ActivationName; alpha?: number };

/** Options of {@link fromSafetensors}. */
export interface SafetensorsImportOptions {
  /**
   * The activation after each Linear, in order, when the file does not record them (a state_dict
   * saved by PyTorch holds only parameters). Files neurite writes carry them in `__metadata__`.
   */
  activations?: readonly TorchActivation[];
  /** Settings of the network built (loss, optimizer, seed (default 0), backend). */
  network?: StackSettings;
}

/** `nn.Sequential(...)` of the stack, as Python source (after `from torch.nn import *`). */
export function torchSequential(net: NeuralNetwork): string {
  const modules = denseStack(net).layers.flatMap((l) => {
    const act = torchModule(l);
    return [`Linear(${String(l.inputs)}, ${String(l.units)})`, ...(act !== undefined ? [act] : [])];
  });
  return `Sequential(${modules.join(', ')})`;
}

/**
 * The network as a safetensors file whose names are those of PyTorch's `nn.Sequential(Linear,
 * activation, …)` state_dict, so `model.load_state_dict(load_file(path), strict=True)` works.
 * `__metadata__` holds `format: "pt"`, the module as Python source (`torch.nn`) and neurite's
 * architecture and settings (`neurite`), which {@link fromSafetensors} reads back.
 *
 * @example
 * ```ts
 * const bytes = toSafetensors(net); // write to model.safetensors
 * ```
 */
export function toSafetensors(net: NeuralNetwork): Uint8Array {
  const tensors: NamedTensor[] = [];
  let index = 0;
  for (const l of denseStack(net).layers) {
    tensors.push(
      { name: `${String(index)}.weight`, shape: [l.units, l.inputs], data: l.weights },
      { name: `${String(index)}.bias`, shape: [l.units], data: l.biases },
    );
    index += torchModule(l) === undefined ? 1 : 2;
  }
  const neurite = { inputs: net.inputSize, layers: net.layers.map((l) => ({ ...l.config })), ...savedSettings(net) };
  return encodeSafetensors(tensors, {
    format: 'pt',
    'torch.nn': torchSequential(net),
    neurite: JSON.stringify(neurite),
  });
}

/** What a neurite-written file records in its metadata: the activations and settings, or undefined. */
function recorded(metadata: Record<string, string>): { activations: TorchActivation[]; settings: unknown } | undefined {
  const raw = metadata['neurite'];
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new NeuriteError('INVALID_MODEL', 'safetensors: __metadata__.neurite is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new NeuriteError('INVALID_MODEL', 'safetensors: __metadata__.neurite is not an object');
  const { layers } = parsed as Record<string, unknown>;
  if (!Array.isArray(layers))
    throw new NeuriteError('INVALID_MODEL', 'safetensors: __metadata__.neurite has no layers array');
  const activations = Array.from(layers as unknown[], (l, i) => {
    const r = l as { activation?: unknown; alpha?: unknown } | null;
    if (typeof r?.activation !== 'string')
      throw new NeuriteError('INVALID_MODEL', `safetensors: __metadata__.neurite layer ${String(i)} has no activation`);
    return { activation: r.activation as ActivationName, ...(typeof r.alpha === 'number' ? { alpha: r.alpha } : {}) };
  });
  return { activations, settings: parsed };
}

function activationOf(a: TorchActivation | undefined, i: number): { activation: ActivationName; alpha?: number } {
  const rec = typeof a === 'string' ? { activation: a } : a;
  if (rec === undefined || !(ACTIVATION_NAMES as string[]).includes(rec.activation)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `safetensors: activation ${String(i)} must be one of ${ACTIVATION_NAMES.join(', ')}, got ${describe(rec?.activation)}`,
    );
  }
  return activationHasParam(rec.activation) && rec.alpha !== undefined
    ? { activation: rec.activation, alpha: rec.alpha }
    : { activation: rec.activation };
}

/**
 * Reads a safetensors file of an `nn.Sequential` of Linear layers (any common prefix such as
 * `model.` is allowed) into a network. The activations come from the metadata of files neurite
 * wrote, or from `options.activations` (one per Linear). Tensors that are not a Linear's weight or
 * bias are `UNSUPPORTED`, naming them; a truncated or malformed file is `INVALID_MODEL`.
 *
 * @example
 * ```ts
 * const back = fromSafetensors(bytes); // neurite's own file
 * const fromTorch = fromSafetensors(torchBytes, { activations: ['relu', 'relu', 'linear'] });
 * ```
 */
export function fromSafetensors(bytes: Uint8Array, options: SafetensorsImportOptions = {}): NeuralNetwork {
  const { tensors, metadata } = decodeSafetensors(bytes);
  let prefix: string | undefined;
  const linears = new Map<number, { weight?: ReadTensor; bias?: Float32Array; name: string }>();
  for (const [name, t] of tensors) {
    const m = /^(.*?)(\d+)\.(weight|bias)$/.exec(name);
    if (m === null || (prefix !== undefined && m[1] !== prefix)) {
      throw new NeuriteError(
        'UNSUPPORTED',
        `safetensors: tensor ${JSON.stringify(name)} is not the weight or bias of a Linear in an nn.Sequential (expected names like 0.weight, 2.bias)`,
      );
    }
    prefix = m[1] ?? '';
    if (t.values === undefined)
      throw new NeuriteError(
        'UNSUPPORTED',
        `safetensors: tensor ${JSON.stringify(name)} holds ${t.dtype}; neurite reads F32, F64, F16 and BF16`,
      );
    const index = Number(m[2]);
    const entry = linears.get(index) ?? { name: `${prefix}${String(index)}` };
    if (m[3] === 'weight') entry.weight = t;
    else if (t.shape.length === 1) entry.bias = t.values;
    else
      throw new NeuriteError(
        'INVALID_MODEL',
        `safetensors: ${name} has shape ${JSON.stringify(t.shape)}, expected one dimension`,
      );
    linears.set(index, entry);
  }
  const order = [...linears.keys()].sort((a, b) => a - b);
  const own = recorded(metadata);
  const acts = options.activations ?? own?.activations;
  if (acts === undefined) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `safetensors: the file does not record its activations (a PyTorch state_dict holds parameters only): pass { activations: [...] }, one for each of its ${String(order.length)} Linear layers`,
    );
  }
  if (acts.length !== order.length) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `safetensors: ${String(acts.length)} activations given for ${String(order.length)} Linear layers`,
    );
  }
  const layers: StackLayer[] = order.map((index, i) => {
    const e = linears.get(index)!;
    const w = e.weight;
    const [units, inputs] = w?.shape ?? [];
    if (w?.values === undefined || w.shape.length !== 2 || units === undefined || inputs === undefined) {
      throw new NeuriteError('INVALID_MODEL', `safetensors: ${e.name}.weight is missing or not 2-D [out, in]`);
    }
    return { inputs, units, ...activationOf(acts[i], i), weights: w.values, biases: e.bias ?? new Float32Array(units) };
  });
  const first = layers[0];
  if (first === undefined) throw new NeuriteError('INVALID_MODEL', 'safetensors: the file holds no Linear layer');
  // The caller's settings go over the file's (a backend given for a file that records its loss keeps the loss).
  return networkWithSettings(
    { inputs: first.inputs, layers },
    own?.settings,
    options.network ?? {},
    'safetensors: __metadata__.neurite',
  );
}
