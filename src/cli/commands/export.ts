import type { Command } from 'commander';
import { NeuriteError } from '../../index.js';
import { MODEL_FILE_HELP, loadModelFile } from '../model-file.js';
import { MODEL_FORMATS, formatNamed } from '../model-formats.js';
import { intArg } from '../options.js';
import { processIo, type Io } from '../output.js';
import { neuriteVersion } from '../version.js';

interface ExportOptions {
  model: string;
  format: string;
  out: string;
  opset?: number;
  quantize?: boolean;
}

/** Registers `neurite export`. */
export function register(program: Command): void {
  const writable = MODEL_FORMATS.filter((f) => f.write !== undefined);
  program
    .command('export')
    .description('write a saved model in another format, for other runtimes and libraries')
    .option('--model <file>', MODEL_FILE_HELP, 'model.json')
    .requiredOption(
      '--format <name>',
      `output format: ${writable.map((f) => `${f.name} (${f.description})`).join('; ')}`,
    )
    .requiredOption(
      '--out <path>',
      'where to write it: a file, or for tfjs a folder (it receives model.json and weights.bin)',
    )
    .option('--opset <n>', 'onnx: operator set version (default 13, or 20 with a gelu layer)', intArg(1))
    .option(
      '--quantize',
      'onnx: the quantized network as quantize() computes it (int8 weights, one scale per neuron; int8 activations, one scale per row; MatMulInteger): weights take a quarter of the bytes',
    )
    .action((opts: ExportOptions) => {
      exportModel(opts, processIo);
    });
}

/** Runs `neurite export`. */
export function exportModel(opts: ExportOptions, io: Io): void {
  const format = formatNamed(opts.format, 'write');
  if (opts.quantize === true && format.name !== 'onnx') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `--quantize writes an ONNX file (int8 MatMulInteger); --format ${format.name} holds float weights only: use --format onnx, or drop --quantize`,
    );
  }
  const { net, preprocessing } = loadModelFile(opts.model);
  format.write!(
    {
      net,
      preprocessing,
      out: opts.out,
      version: neuriteVersion(),
      ...(opts.opset !== undefined ? { opset: opts.opset } : {}),
      ...(opts.quantize === true ? { quantize: true } : {}),
    },
    io,
  );
}
