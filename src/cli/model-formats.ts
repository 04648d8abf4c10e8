// The model file formats the CLI reads and writes besides neurite's own JSON, one row each:
// `export --format NAME`, `import FILE` and every command's `--model FILE` dispatch through this
// table. A format is one file under src/cli/formats/ and one row below.
import { NeuriteError, type NeuralNetwork } from '../index.js';
import type { Io } from './output.js';
import type { ModelSource } from './model-source.js';
import type { Preprocessing } from './preprocessing.js';
import { onnxFormat } from './formats/onnx.js';
import { tfjsFormat } from './formats/tfjs.js';
import { safetensorsFormat } from './formats/safetensors.js';
import { standaloneFormat } from './formats/standalone.js';

/** What `neurite export` passes to a writer. */
export interface ExportRequest {
  readonly net: NeuralNetwork;
  /** How the model turns raw records into its inputs (from its metadata). */
  readonly preprocessing: Preprocessing;
  /** `--out`: a file, or a folder for formats made of several files. */
  readonly out: string;
  /** `--opset` (onnx). */
  readonly opset?: number;
  /** `--quantize` (onnx): write `quantize(net)` instead of the float network. */
  readonly quantize?: boolean;
  /** neurite's version, for the file's producer field. */
  readonly version: string;
}

/** One model file format. */
export interface ModelFormat {
  /** The `--format` value. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** True when `file` is of this format (by its name or its content), so `--model` and `import` pick it. */
  matches?(file: ModelSource): boolean;
  /** Reads the network (with whatever neurite metadata the file kept). */
  read?(file: ModelSource, backend?: string): NeuralNetwork;
  /** Writes the network and prints the files written and notes on what was left out. */
  write?(request: ExportRequest, io: Io): void;
}

/** Every format besides neurite's JSON. */
export const MODEL_FORMATS: readonly ModelFormat[] = [onnxFormat, tfjsFormat, safetensorsFormat, standaloneFormat];

/** The format `--format name` means; a usage error lists the others. */
export function formatNamed(name: string, can: 'read' | 'write'): ModelFormat {
  const usable = MODEL_FORMATS.filter((f) => f[can] !== undefined);
  const f = usable.find((x) => x.name === name);
  if (f === undefined) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `unknown format ${JSON.stringify(name)}; neurite can ${can} ${usable.map((x) => x.name).join(', ')}`,
    );
  }
  return f;
}

/** The readable format `file` is in, or undefined for neurite's JSON. */
export function formatOfFile(file: ModelSource): ModelFormat | undefined {
  return MODEL_FORMATS.find((f) => f.read !== undefined && f.matches?.(file) === true);
}
