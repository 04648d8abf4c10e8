import { spawnSync } from 'node:child_process';

/** Debian's Python, which has scikit-learn (the `python3` on PATH may not). */
export const PYTHON = '/usr/bin/python3';

let available: boolean | undefined;

/**
 * Whether scikit-learn can be imported. Tests that need it skip when it cannot, except under
 * `CI=true`, where `.ci/run` installs it, so a missing install fails instead of passing silently.
 */
export function hasSklearn(): boolean {
  if (available === undefined) {
    available = spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
    if (!available && process.env['CI'] === 'true') {
      throw new Error(`${PYTHON} cannot import sklearn under CI=true: .ci/run should install python3-sklearn`);
    }
  }
  return available;
}

/** Runs a Python script with `input` on stdin and returns its stdout parsed as JSON. */
export function runPythonJson(script: string, input = ''): unknown {
  const r = spawnSync(PYTHON, ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python failed (${String(r.status)}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

let torchAvailable: boolean | undefined;

/** Whether PyTorch can be imported; as {@link hasSklearn}, a missing install fails under `CI=true` (`.ci/run` installs python3-torch). */
export function hasTorch(): boolean {
  if (torchAvailable === undefined) {
    torchAvailable = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
    if (!torchAvailable && process.env['CI'] === 'true') {
      throw new Error(`${PYTHON} cannot import torch under CI=true: .ci/run should install python3-torch`);
    }
  }
  return torchAvailable;
}

/**
 * Python, stdin a JSON list of `{ name, path, x }`: reads each safetensors file by hand (Debian has
 * no `safetensors` package; the format is 8 bytes of header length, the JSON header, the data),
 * rebuilds the `torch.nn` module its metadata names, loads the weights with
 * `load_state_dict(strict=True)` and prints `{ name: outputs on x, flattened }`.
 */
export const TORCH_READ_SAFETENSORS = String.raw`
import json, struct, sys, torch
from torch.nn import *
def load(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n])
    meta = h.pop('__metadata__', {})
    data = bytearray(b[8 + n:])
    sd = {k: torch.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype=torch.float32).reshape(v['shape']) for k, v in h.items()}
    return sd, meta
out = {}
for job in json.load(sys.stdin):
    sd, meta = load(job['path'])
    model = eval(meta['torch.nn'])
    model.load_state_dict(sd, strict=True)
    model.eval()
    with torch.no_grad():
        out[job['name']] = model(torch.tensor(job['x'], dtype=torch.float32)).flatten().tolist()
print(json.dumps(out))
`;
