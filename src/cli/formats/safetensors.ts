import { NeuriteError, type NeuralNetwork } from '../../index.js';
import { fromSafetensors, toSafetensors, torchSequential } from '../../io/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import type { ExportRequest, ModelFormat } from '../model-formats.js';
import type { ModelSource } from '../model-source.js';
import type { Io } from '../output.js';
import { noteNetworkAlone } from './network-alone.js';

function write(r: ExportRequest, io: Io): void {
  const bytes = toSafetensors(r.net);
  writeFileAtomic(r.out, bytes);
  noteNetworkAlone(r, io, 'a PyTorch state_dict holds parameters, not preprocessing', r.out);
  io.out(
    `wrote ${r.out} (safetensors, ${String(bytes.length)} bytes)\n` +
      `  PyTorch: from torch.nn import *; from safetensors.torch import load_file\n` +
      `           model = ${torchSequential(r.net)}\n` +
      `           model.load_state_dict(load_file(${JSON.stringify(r.out)}), strict=True)\n`,
  );
}

function read(file: ModelSource, backend?: string): NeuralNetwork {
  try {
    return fromSafetensors(file.bytes(), backend === undefined ? {} : { network: { backend } });
  } catch (e) {
    // A state_dict PyTorch saved holds parameters only: the command line cannot guess the activations.
    if (!(e instanceof NeuriteError && /does not record its activations/.test(e.message))) throw e;
    throw new NeuriteError(
      'UNSUPPORTED',
      `${file.path} holds parameters only (a PyTorch state_dict records no activations), so the command line reads the safetensors files neurite writes; ` +
        `load it with neurite/io's fromSafetensors(bytes, { activations: [...] }), or export the PyTorch model to ONNX and import that`,
    );
  }
}

/** safetensors with PyTorch `nn.Sequential` names. */
export const safetensorsFormat: ModelFormat = {
  name: 'safetensors',
  description: 'safetensors weights of a PyTorch nn.Sequential (.safetensors): load_state_dict(strict=True)',
  matches: (file) => file.path.toLowerCase().endsWith('.safetensors'),
  read,
  write,
};
