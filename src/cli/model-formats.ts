// The model file formats the CLI reads and writes besides neurite's own JSON, one row each:
// `export --format NAME`, `import FILE` and every command's `--model FILE` dispatch through this
// table. A format is one file under src/cli/formats/ and one row below.
import { NeuriteError, type NeuralNetwork } from '../index.js';
import type { Io } from './output.js';
import { onnxFormat } from './formats/onnx.js';

/** What `neurite export` passes to a writer. */
export interface ExportRequest {
  readonly net: NeuralNetwork;
  /** `--out`: a file, or a folder for formats made of several files. */
  readonly out: string;
  /** `--opset` (onnx). */
  readonly opset?: number;
  /** neurite's version, for the file's producer field. */
  readonly version: string;
}

/** One model file format. */
export interface ModelFormat {
  /** The `--format` value. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** True when `path` names a file of this format (by its name), so `--model` and `import` pick it. */
  matches(path: string): boolean;
  /** Reads the network (with whatever neurite metadata the file kept). */
  read?(path: string, backend?: string): NeuralNetwork;
  /** Writes the network; returns what to print (the files written, notes on what was left out). */
  write?(request: ExportRequest, io: Io): void;
}

/** Every format besides neurite's JSON. */
export const MODEL_FORMATS: readonly ModelFormat[] = [onnxFormat];

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

/** The readable format a file's name says it is in, or undefined for neurite's JSON. */
export function formatOfFile(path: string): ModelFormat | undefined {
  return MODEL_FORMATS.find((f) => f.read !== undefined && f.matches(path));
}
