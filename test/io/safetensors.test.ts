// safetensors with PyTorch nn.Sequential names, checked in PyTorch itself: Debian's python3-torch
// (no safetensors package there, so the test's Python reads and writes the container by hand: an
// 8-byte header length, the JSON header, torch.frombuffer over the data) loads neurite's files
// with load_state_dict(strict=True) into the module the file's metadata names and predicts what
// neurite predicts; state_dicts PyTorch writes come back into neurite with the same predictions.
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, NeuralNetwork, NeuriteError, Rng, type ActivationName } from '../../src/index.js';
import { fromSafetensors, toSafetensors } from '../../src/io/index.js';
import { TORCH_MODULES } from '../../src/io/safetensors/torch.js';
import { expectCode } from '../helpers/errors.js';
import { hasTorch, runPythonJson, TORCH_READ_SAFETENSORS } from '../helpers/python.js';
import { firstMismatch, randomRows } from '../helpers/random.js';

// Activations without a PyTorch row are refused (test/io/activation-forms.test.ts).
const WRITTEN = ACTIVATION_NAMES.filter((a) => a in TORCH_MODULES);

const dir = mkdtempSync(join(tmpdir(), 'neurite-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A random network whose layers use `act` (softmax at the output only), alpha drawn for leaky/elu. */
function randomNet(act: ActivationName, seed: number): NeuralNetwork {
  const rng = new Rng(seed);
  const alpha = act === 'leakyRelu' || act === 'elu' ? rng.uniform(0.05, 1.5) : undefined;
  const hidden = act === 'softmax' ? 'relu' : act;
  const layer = (units: number, a: ActivationName) => ({
    units,
    activation: a,
    ...(alpha !== undefined ? { alpha } : {}),
  });
  return new NeuralNetwork({ layers: [4, layer(6, hidden), layer(5, hidden), layer(3, act)], seed, loss: 'mae' });
}

function header(bytes: Uint8Array): Record<string, unknown> {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
}

describe('toSafetensors', () => {
  it('names tensors as nn.Sequential does: activation modules take an index, linear layers do not', () => {
    const net = new NeuralNetwork({
      layers: [
        3,
        { units: 4, activation: 'relu' },
        { units: 2, activation: 'linear' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 1,
    });
    const bytes = toSafetensors(net);
    const h = header(bytes);
    expect(Object.keys(h).sort()).toEqual([
      '0.bias',
      '0.weight',
      '2.bias',
      '2.weight',
      '3.bias',
      '3.weight',
      '__metadata__',
    ]);
    expect(h['0.weight']).toEqual({ dtype: 'F32', shape: [4, 3], data_offsets: [0, 48] });
    expect((h['__metadata__'] as Record<string, string>)['torch.nn']).toBe(
      'Sequential(Linear(3, 4), ReLU(), Linear(4, 2), Linear(2, 1), Sigmoid())',
    );
    // The data starts 8-byte aligned, as the reference writer pads it.
    expect(new DataView(bytes.buffer).getUint32(0, true) % 8).toBe(0);
  });

  it.each(WRITTEN)('round trip through its own reader is bit-identical, settings included (%s)', (act) => {
    const net = randomNet(act, 3);
    const back = fromSafetensors(toSafetensors(net));
    const x = randomRows(new Rng(4), 8, 4, -2, 2);
    expect(back.predictBatch(x).data).toEqual(net.predictBatch(x).data);
    expect(back.architecture).toEqual(net.architecture);
  });
});

/** Python: build nn.Sequential models, save their state_dicts by hand (F32 and F64), print predictions. */
const WRITE = String.raw`
import json, struct, sys, torch
from torch.nn import *
def save(sd, path, dtype, code):
    header, chunks, off = {}, [], 0
    for k, t in sd.items():
        b = t.detach().to(dtype).contiguous().numpy().tobytes()
        header[k] = {'dtype': code, 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        chunks.append(b)
        off += len(b)
    hb = json.dumps(header).encode()
    hb += b' ' * (-len(hb) % 8)
    open(path, 'wb').write(struct.pack('<Q', len(hb)) + hb + b''.join(chunks))
job = json.load(sys.stdin)
torch.manual_seed(0)
model = Sequential(Linear(4, 6), ReLU(), Dropout(0.2), Linear(6, 5), GELU(approximate='tanh'), Linear(5, 5, bias=False), LeakyReLU(0.05), Linear(5, 3), Softmax(dim=-1))
model.eval()
save(model.state_dict(), job['dir'] + '/f32.safetensors', torch.float32, 'F32')
save(model.state_dict(), job['dir'] + '/f64.safetensors', torch.float64, 'F64')
with torch.no_grad():
    print(json.dumps(model(torch.tensor(job['x'], dtype=torch.float32)).flatten().tolist()))
`;

describe.skipIf(!hasTorch())('PyTorch (Debian python3-torch)', () => {
  it('loads every activation with load_state_dict(strict=True) and predicts as neurite (1e-5)', () => {
    const jobs = WRITTEN.map((act, i) => {
      const net = randomNet(act, 10 + i);
      const path = join(dir, `${act}.safetensors`);
      writeFileSync(path, toSafetensors(net));
      return { name: act, path, x: randomRows(new Rng(20 + i), 10, 4, -3, 3), net };
    });
    const theirs = runPythonJson(
      TORCH_READ_SAFETENSORS,
      JSON.stringify(jobs.map((j) => ({ name: j.name, path: j.path, x: j.x }))),
    ) as Record<string, number[]>;
    for (const j of jobs) {
      const bad = firstMismatch(theirs[j.name] ?? [], j.net.predictBatch(j.x).data, 1e-5, 1e-5);
      expect(bad, `${j.name}: ${JSON.stringify(bad)}`).toBeUndefined();
    }
  });

  it('reads the state_dict of a PyTorch nn.Sequential (Dropout and bias=False included), as F32 and F64', () => {
    const x = randomRows(new Rng(5), 9, 4, -2, 2);
    const theirs = runPythonJson(WRITE, JSON.stringify({ dir, x })) as number[];
    for (const file of ['f32', 'f64']) {
      const bytes = new Uint8Array(readFileSync(join(dir, `${file}.safetensors`)));
      expectCode(() => fromSafetensors(bytes), 'INVALID_OPTION', /does not record its activations.*4 Linear layers/);
      const net = fromSafetensors(bytes, {
        activations: ['relu', 'gelu', { activation: 'leakyRelu', alpha: 0.05 }, 'softmax'],
      });
      const bad = firstMismatch(net.predictBatch(x).data, theirs, 1e-5, 1e-5);
      expect(bad, `${file}: ${JSON.stringify(bad)}`).toBeUndefined();
    }
  });
});

describe('fromSafetensors: malformed files', () => {
  const bytes = toSafetensors(randomNet('leakyRelu', 1));

  it('truncated or padded anywhere: INVALID_MODEL; any byte changed: a NeuriteError or a working network', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        expectCode(() => fromSafetensors(bytes.slice(0, cut)), 'INVALID_MODEL');
        const padded = new Uint8Array(bytes.length + 1 + (cut % 9));
        padded.set(bytes);
        expectCode(() => fromSafetensors(padded), 'INVALID_MODEL');
      }),
      { numRuns: 300, seed: 1 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const b = bytes.slice();
        b[at] = v;
        try {
          fromSafetensors(b).predict([0, 0, 0, 0]);
        } catch (e) {
          expect(e).toBeInstanceOf(NeuriteError);
        }
      }),
      { numRuns: 500, seed: 2 },
    );
  });

  it('a header length beyond the file fails before reading; foreign tensors are UNSUPPORTED by name', () => {
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(4, 1, true); // + 2^32 bytes
    expectCode(() => fromSafetensors(huge), 'INVALID_MODEL', /header claims/);
    const h = header(bytes);
    const bn = { ...h, '1.running_mean': { dtype: 'F32', shape: [0], data_offsets: [0, 0] } };
    const text = new TextEncoder().encode(JSON.stringify(bn));
    const n = new DataView(bytes.buffer).getUint32(0, true);
    const file = new Uint8Array(8 + text.length + bytes.length - 8 - n);
    new DataView(file.buffer).setUint32(0, text.length, true);
    file.set(text, 8);
    file.set(bytes.subarray(8 + n), 8 + text.length);
    expectCode(() => fromSafetensors(file), 'UNSUPPORTED', /"1\.running_mean" is not the weight or bias of a Linear/);
  });
});
