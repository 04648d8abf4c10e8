import { toStandaloneJs } from '../../io/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import type { ExportRequest, ModelFormat } from '../model-formats.js';
import type { Io } from '../output.js';
import { noteNetworkAlone } from './network-alone.js';

function write(r: ExportRequest, io: Io): void {
  const p = r.preprocessing;
  const source = toStandaloneJs(r.net, {
    description: `inputs: ${p.featureNames.join(', ')}; outputs: ${p.targetNames.join(', ')} (neurite ${r.version})`,
  });
  writeFileAtomic(r.out, source);
  noteNetworkAlone(r, io, 'the standalone module holds the network, not its preprocessing');
  io.out(`wrote ${r.out} (ES module, ${String(source.length)} characters): import { predict } from './${r.out}'\n`);
}

/** One ES module with the weights inlined and no imports (write only). */
export const standaloneFormat: ModelFormat = {
  name: 'js',
  description: 'standalone ES module (.js/.mjs) exporting predict(input): browsers, workers, edge functions',
  write,
};
