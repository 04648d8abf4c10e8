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
