// Worker-thread side of `trialPool` (Node only): builds the evaluator from the user's module and
// scores the fold jobs it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { NeuriteError } from '../core/errors.js';
import type { FoldJob } from './cross-validate.js';
import type { EvaluatorFactory } from './node.js';

interface Init {
  module: string;
  exportName: string;
  data: unknown;
}

const init = workerData as Init;
const href = /^[a-z]+:/.test(init.module) ? init.module : pathToFileURL(init.module).href;
const mod = (await import(href)) as Record<string, unknown>;
const factory = mod[init.exportName];
if (typeof factory !== 'function') {
  throw new Error(`${init.module} has no function export ${JSON.stringify(init.exportName)}`);
}
const evaluate = await (factory as EvaluatorFactory)(init.data);

parentPort?.on('message', (msg: { id: number; job: FoldJob }) => {
  void (async () => {
    try {
      parentPort?.postMessage({ id: msg.id, score: await evaluate(msg.job) });
    } catch (e) {
      const error =
        e instanceof Error
          ? { message: e.message, ...(e instanceof NeuriteError ? { code: e.code } : {}) }
          : { message: String(e) };
      parentPort?.postMessage({ id: msg.id, error });
    }
  })();
});
parentPort?.postMessage({ ready: true });
