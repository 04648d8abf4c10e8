import { NeuriteError } from '../../index.js';
import { exportOnnx, importOnnx } from '../../io/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import type { ExportRequest, ModelFormat } from '../model-formats.js';
import { readBytes } from '../read-bytes.js';
import type { Io } from '../output.js';

function write(r: ExportRequest, io: Io): void {
  const options = { producerVersion: r.version, ...(r.opset !== undefined ? { opset: r.opset } : {}) };
  let bytes: Uint8Array;
  try {
    bytes = exportOnnx(r.net, options);
  } catch (e) {
    // A pipeline with text columns cannot be ONNX operators: write the network alone and say so.
    if (!(e instanceof NeuriteError && e.code === 'UNSUPPORTED' && /preprocessing/.test(e.message))) throw e;
    bytes = exportOnnx(r.net, { ...options, preprocessing: 'none' });
    const names = (r.net.metadata['pipeline'] as { featureNames?: string[] } | undefined)?.featureNames ?? [];
    io.err(
      `note: ${e.message.split(';')[0] ?? ''}.\n` +
        `  ${r.out} holds the network alone: its ${String(names.length)} inputs are the encoded features (${names.join(', ')}); ` +
        `neurite predict --model ${r.out} still takes the raw CSV (the pipeline is in the file's metadata)\n`,
    );
  }
  writeFileAtomic(r.out, bytes);
  io.out(`wrote ${r.out} (ONNX, ${String(bytes.length)} bytes)\n`);
}

/** ONNX (onnx.ai): a `.onnx` file, read and written by `neurite/io`. */
export const onnxFormat: ModelFormat = {
  name: 'onnx',
  description: 'ONNX model (.onnx): onnxruntime, PyTorch, TensorRT, …',
  matches: (path) => path.toLowerCase().endsWith('.onnx'),
  read: (path, backend) => importOnnx(readBytes(path), backend === undefined ? {} : { backend }),
  write,
};
