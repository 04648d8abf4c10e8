// ONNX files written by PyTorch's own exporter (torch.onnx.export; Debian's python3-torch needs no
// `onnx` package), imported by neurite and compared with PyTorch's outputs on the same inputs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/index.js';
import { importOnnx } from '../../../src/io/index.js';
import { expectCode } from '../../helpers/errors.js';
import { hasTorch, runPythonJson } from '../../helpers/python.js';
import { firstMismatch, randomRows } from '../../helpers/random.js';

const EXPORT = `
import json, sys, torch
torch.manual_seed(0)
spec = json.loads(sys.stdin.read())
acts = {
  'relu': lambda: torch.nn.ReLU(), 'sigmoid': lambda: torch.nn.Sigmoid(), 'tanh': lambda: torch.nn.Tanh(),
  'leakyRelu': lambda: torch.nn.LeakyReLU(0.2), 'elu': lambda: torch.nn.ELU(0.7), 'softplus': lambda: torch.nn.Softplus(),
  'gelu': lambda: torch.nn.GELU(approximate='tanh'), 'geluErf': lambda: torch.nn.GELU(), 'softmax': lambda: torch.nn.Softmax(dim=1),
  'dropout': lambda: torch.nn.Dropout(0.3), 'flatten': lambda: torch.nn.Flatten(),
}
mods, width = [], spec['inputs']
for item in spec['layers']:
  if isinstance(item, int):
    mods.append(torch.nn.Linear(width, item, bias=spec.get('bias', True))); width = item
  else:
    mods.append(acts[item]())
model = torch.nn.Sequential(*mods).eval()
x = torch.tensor(spec['x'], dtype=torch.float32)
kwargs = dict(input_names=['input'], output_names=['output'], dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}},
              opset_version=spec['opset'], do_constant_folding=spec.get('fold', True))
if spec.get('params_as_inputs'): kwargs['keep_initializers_as_inputs'] = True
torch.onnx.export(model, x, spec['path'], **kwargs)
with torch.no_grad(): y = model(x)
print(json.dumps(y.tolist()))
`;

interface Case {
  name: string;
  layers: (number | string)[];
  opset: number;
  bias?: boolean;
  fold?: boolean;
  params_as_inputs?: boolean;
}

const CASES: Case[] = [
  { name: 'ReLU, Tanh, Sigmoid (opset 13)', layers: ['flatten', 6, 'relu', 5, 'tanh', 4, 'sigmoid', 2], opset: 13 },
  {
    name: 'LeakyReLU, ELU, Softplus, Softmax, Dropout (opset 11)',
    layers: [6, 'leakyRelu', 'dropout', 5, 'elu', 4, 'softplus', 3, 'softmax'],
    opset: 11,
  },
  {
    name: 'tanh GELU spelt out, initializers as inputs (opset 9)',
    layers: [7, 'gelu', 3],
    opset: 9,
    params_as_inputs: true,
  },
  {
    name: 'Linear without bias, no constant folding (opset 14)',
    layers: [5, 'relu', 2],
    opset: 14,
    bias: false,
    fold: false,
  },
];

describe.skipIf(!hasTorch())('importOnnx of files written by torch.onnx.export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-torch-'));

  for (const c of CASES) {
    it(`${c.name}: neurite predicts what PyTorch does`, () => {
      const rows = randomRows(new Rng(c.opset), 6, 4, -2, 2);
      const path = join(dir, `${String(c.opset)}.onnx`);
      const expected = runPythonJson(EXPORT, JSON.stringify({ ...c, inputs: 4, x: rows, path })) as number[][];
      const net = importOnnx(new Uint8Array(readFileSync(path)));
      expect(firstMismatch(net.predictBatch(rows).data, expected.flat(), 1e-5, 1e-5)).toBeUndefined();
    });
  }

  it("PyTorch's default (erf) GELU is refused with UNSUPPORTED saying what to use", () => {
    const path = join(dir, 'erf.onnx');
    runPythonJson(EXPORT, JSON.stringify({ layers: [3, 'geluErf', 2], opset: 13, inputs: 4, x: [[0, 0, 0, 0]], path }));
    expectCode(() => importOnnx(new Uint8Array(readFileSync(path))), 'UNSUPPORTED', /approximate='tanh'/);
  });
});
