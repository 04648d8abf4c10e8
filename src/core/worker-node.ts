// Node only (not exported from core/index.ts): starting worker threads for the Node entry points
// of the library (evolve/node, select/node), which ship in the library package.
import { Worker } from 'node:worker_threads';
import { NeuriteError } from './errors.js';

/**
 * The worker script `name` next to the module at `here` (an `import.meta.url`): `name.ts` when
 * running from source (vitest, tsx), `name.js` from the build.
 */
export function workerScript(here: string, name: string): URL {
  return new URL(`./${name}${here.endsWith('.ts') ? '.ts' : '.js'}`, here);
}

/**
 * Starts a worker thread on `script` and resolves once it posts `{ ready: true }`; rejects with
 * `what` in the message when it fails before that. From source, the worker registers tsx's loader
 * (a devDependency) before importing the TypeScript script.
 */
export function startWorker(script: URL, workerData: unknown, what: string): Promise<Worker> {
  return new Promise<Worker>((resolve, reject) => {
    const w = script.href.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(script, { workerData });
    const onError = (e: unknown): void => {
      reject(
        new NeuriteError('INVALID_OPTION', `${what} failed to start: ${e instanceof Error ? e.message : String(e)}`),
      );
    };
    w.once('error', onError);
    w.once('message', (m: { ready?: boolean }) => {
      w.off('error', onError);
      if (m.ready === true) resolve(w);
    });
  });
}
