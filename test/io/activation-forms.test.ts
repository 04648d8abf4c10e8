// Each export format writes activations from its own table, and a row may be missing (a new
// activation not yet written for every format): then the export fails with UNSUPPORTED naming the
// activation and the format, and every other activation still exports. The format tests walk the
// activations that have a row; this one walks all of them.
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, type ActivationName } from '../../src/index.js';
import { exportOnnx, toSafetensors, toStandaloneJs, toTfjs } from '../../src/io/index.js';
import { activationForm } from '../../src/io/activation-form.js';
import { ONNX_ACTIVATIONS } from '../../src/io/onnx/activations.js';
import { TORCH_MODULES } from '../../src/io/safetensors/torch.js';
import { STANDALONE_SOURCES } from '../../src/io/standalone.js';
import { TFJS_WRITERS } from '../../src/io/tfjs/activations.js';
import { expectCode } from '../helpers/errors.js';

/** Each format: the name its error gives, whether an activation has a row, and its writer. */
const FORMATS = [
  { format: 'ONNX', has: (a: ActivationName) => a in ONNX_ACTIVATIONS, write: exportOnnx },
  { format: 'TensorFlow.js', has: (a: ActivationName) => a in TFJS_WRITERS, write: toTfjs },
  { format: 'PyTorch (safetensors)', has: (a: ActivationName) => a in TORCH_MODULES, write: toSafetensors },
  {
    format: 'standalone JavaScript',
    // softmax couples a row's outputs and is written by the module's own row loop, not a row here.
    has: (a: ActivationName) => a === 'softmax' || a in STANDALONE_SOURCES,
    write: toStandaloneJs,
  },
];

const netWith = (activation: ActivationName): NeuralNetwork =>
  new NeuralNetwork({ layers: [3, { units: 4, activation: 'tanh' }, { units: 2, activation }], seed: 1 });

describe('activation forms of the export formats', () => {
  it('a format table without a row refuses that activation alone, naming it and the format', () => {
    const forms = { relu: 'max(0, x)' };
    expect(activationForm(forms, 'relu', 'Format X')).toBe('max(0, x)');
    const e = expectCode(() => activationForm(forms, 'gelu', 'Format X'), 'UNSUPPORTED', /"gelu".*Format X/);
    expect(e.details).toEqual({ activation: 'gelu', format: 'Format X' });
  });

  for (const { format, has, write } of FORMATS) {
    it(`${format}: every activation exports, or fails with UNSUPPORTED naming it and ${format}`, () => {
      for (const activation of ACTIVATION_NAMES) {
        const net = netWith(activation);
        if (has(activation)) expect(() => write(net)).not.toThrow();
        else
          expectCode(
            () => write(net),
            'UNSUPPORTED',
            new RegExp(`"${activation}".*${format.replace(/[().]/g, '\\$&')}`),
          );
      }
    });
  }
});
