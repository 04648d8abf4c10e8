// Worker-thread side of `workerPool` (Node only): rebuilds the network, imports the user's fitness
// module and scores the genomes of each request, in the order given.
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { NeuriteError } from '../core/errors.js';
import { serveRequests } from '../threads/pool-node.js';
import { NeuralNetwork } from '../model/network.js';
import type { EvaluationJob, FitnessFn } from './options.js';

interface Init {
  module: string;
  exportName: string;
  model: unknown;
  backend: string;
}

const init = workerData as Init;
if (init.backend === 'wasm') await import('../backend/wasm/index.js');
const net = NeuralNetwork.fromJSON(init.model, { backend: init.backend });
const href = /^[a-z]+:/.test(init.module) ? init.module : pathToFileURL(init.module).href;
const mod = (await import(href)) as Record<string, unknown>;
const fitness = mod[init.exportName];
if (typeof fitness !== 'function') {
  throw new Error(`${init.module} has no function export ${JSON.stringify(init.exportName)}`);
}

serveRequests(async (jobs) => {
  const results: number[] = [];
  for (const job of jobs as EvaluationJob[]) {
    try {
      net.engine.params.set(job.genome);
      const ctx = { generation: job.generation, index: job.index, seed: job.seed };
      results.push(await (fitness as FitnessFn)(net, ctx));
    } catch (e) {
      throw new NeuriteError('FITNESS_ERROR', e instanceof Error ? e.message : String(e), { index: job.index });
    }
  }
  return results;
});
