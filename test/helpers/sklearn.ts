import { spawnSync } from 'node:child_process';

/** Debian's Python, which has scikit-learn (the `python3` on PATH may not). */
export const PYTHON = '/usr/bin/python3';

/** True when /usr/bin/python3 imports scikit-learn. */
export const sklearnAvailable: boolean =
  spawnSync(PYTHON, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' }).status === 0;

/** Whether scikit-learn runs here; under CI it must (the test fails instead of skipping). */
export const hasSklearn: boolean = process.env['CI'] === 'true' || sklearnAvailable;

/**
 * Skip a scikit-learn comparison only where scikit-learn is missing, never under CI (which installs
 * it through .ci/run), so a broken CI image fails instead of passing quietly.
 */
export const skipWithoutSklearn: boolean = !hasSklearn;

/** Runs a Python script that reads JSON from stdin and prints JSON; returns the parsed output. */
export function runPython(script: string, input: unknown): unknown {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed (${String(r.status)}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
