import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { saveModelFile, withPreprocessing } from '../model-file.js';
import { MODEL_FORMATS, formatNamed, formatOfFile } from '../model-formats.js';
import { ModelSource } from '../model-source.js';
import { processIo, type Io } from '../output.js';

interface ImportOptions {
  out: string;
  format?: string;
}

/** Registers `neurite import`. */
export function register(program: Command): void {
  const readable = MODEL_FORMATS.filter((f) => f.read !== undefined);
  program
    .command('import')
    .description('read a model written by another tool (or exported by neurite) into a neurite model file')
    .argument('<file>', `model to read: ${readable.map((f) => f.description).join('; ')}`)
    .option('--out <file>', 'neurite model file to write', 'model.json')
    .option('--format <name>', `format of <file> when its name does not say: ${readable.map((f) => f.name).join(', ')}`)
    .action((file: string, opts: ImportOptions) => {
      importModel(file, opts, processIo);
    });
}

/** Runs `neurite import`. */
export function importModel(file: string, opts: ImportOptions, io: Io): void {
  const source = new ModelSource(file);
  const format = opts.format !== undefined ? formatNamed(opts.format, 'read') : formatOfFile(source);
  if (format?.read === undefined) {
    const readable = MODEL_FORMATS.filter((f) => f.read !== undefined).map((f) => f.name);
    throw new UsageError(
      `cannot tell the format of ${JSON.stringify(file)} from its name or content; pass --format (${readable.join(', ')})`,
    );
  }
  const net = withPreprocessing(format.read(source), file);
  saveModelFile(opts.out, net);
  const shape = [net.inputSize, ...net.layers.map((l) => `${String(l.units)} ${l.activation.name}`)].join(' → ');
  io.out(`read ${file} (${format.name}): ${shape}\nwrote ${opts.out}\n`);
}
