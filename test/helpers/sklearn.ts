import { spawnSync } from 'node:child_process';

/** Debian's Python with scikit-learn (the `python3` on PATH may lack it). */
const PYTHON = '/usr/bin/python3';

/** Whether scikit-learn runs here; under CI it must (the test fails instead of skipping). */
export const hasSklearn: boolean =
  process.env['CI'] === 'true' || spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;

/**
 * Runs a Python script that reads JSON from stdin (`data`) and prints JSON, and returns what it
 * printed. Throws with Python's stderr when the script fails.
 */
export function runPython(script: string, data: unknown): unknown {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(data), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed (${String(r.status)}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
