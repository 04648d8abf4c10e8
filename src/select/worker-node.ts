// Worker-thread side of `trialPool` (Node only): builds the evaluator from the user's module and
// scores the fold jobs it is sent, one at a time.
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { serveRequests } from '../threads/pool-node.js';
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

serveRequests((job) => evaluate(job as FoldJob));
