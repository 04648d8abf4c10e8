import { NeuriteError } from '../../index.js';
import { toStandaloneJs } from '../../io/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import type { ExportRequest, ModelFormat } from '../model-formats.js';
import type { Io } from '../output.js';
import { noteNetworkAlone } from './network-alone.js';

function write(r: ExportRequest, io: Io): void {
  const p = r.preprocessing;
  const described = (inputs: readonly string[]): string =>
    `inputs: ${inputs.join(', ')}; outputs: ${p.targetNames.join(', ')} (neurite ${r.version})`;
  const description = described(p.featureNames);
  let source: string;
  try {
    // With a table pipeline in the module, predict takes the raw columns rather than the encoded features.
    source = toStandaloneJs(r.net, {
      description: described(p.pipeline?.steps.map((s) => s.column) ?? p.featureNames),
    });
    // Only a table pipeline goes into the module; the standardisation of `train --dataset` models does not.
    if (p.pipeline === undefined) noteNetworkAlone(r, io, "this model's preprocessing is not a table pipeline");
  } catch (e) {
    // A pipeline with text columns: the network alone, and a note saying so.
    if (!(e instanceof NeuriteError && e.code === 'UNSUPPORTED')) throw e;
    source = toStandaloneJs(r.net, { description, preprocessing: 'none' });
    noteNetworkAlone(r, io, e.message.split(';')[0] ?? '');
  }
  writeFileAtomic(r.out, source);
  io.out(`wrote ${r.out} (ES module, ${String(source.length)} characters): import { predict } from './${r.out}'\n`);
}

/** One ES module with the weights inlined and no imports (write only). */
export const standaloneFormat: ModelFormat = {
  name: 'js',
  description: 'standalone ES module (.js/.mjs) exporting predict(input): browsers, workers, edge functions',
  write,
};
