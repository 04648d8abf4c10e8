import { NeuriteError, quantize } from '../../index.js';
import { exportOnnx, importOnnx } from '../../io/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import type { ExportRequest, ModelFormat } from '../model-formats.js';
import type { Io } from '../output.js';
import { noteNetworkAlone } from './network-alone.js';

function write(r: ExportRequest, io: Io): void {
  const options = { producerVersion: r.version, ...(r.opset !== undefined ? { opset: r.opset } : {}) };
  let bytes: Uint8Array;
  if (r.quantize === true) {
    bytes = exportOnnx(quantize(r.net), options);
    // No read-back hint: importOnnx builds float networks and refuses this file.
    noteNetworkAlone(r, io, 'a quantized network is written without its preprocessing');
    writeFileAtomic(r.out, bytes);
    io.out(`wrote ${r.out} (ONNX, int8 weights, ${String(bytes.length)} bytes)\n`);
    return;
  }
  try {
    bytes = exportOnnx(r.net, options);
  } catch (e) {
    // A pipeline with text columns cannot be ONNX operators: write the network alone and say so.
    if (!(e instanceof NeuriteError && e.code === 'UNSUPPORTED' && /preprocessing/.test(e.message))) throw e;
    bytes = exportOnnx(r.net, { ...options, preprocessing: 'none' });
    noteNetworkAlone(r, io, e.message.split(';')[0] ?? '', r.out);
  }
  // Only a table pipeline becomes operators; the standardisation of `train --dataset` models does not.
  if (r.preprocessing.pipeline === undefined)
    noteNetworkAlone(
      r,
      io,
      "this model's preprocessing is not a table pipeline, so it is not written as ONNX operators",
      r.out,
    );
  writeFileAtomic(r.out, bytes);
  io.out(`wrote ${r.out} (ONNX, ${String(bytes.length)} bytes)\n`);
}

/** ONNX (onnx.ai): a `.onnx` file, read and written by `neurite/io`. */
export const onnxFormat: ModelFormat = {
  name: 'onnx',
  description: 'ONNX model (.onnx): onnxruntime, PyTorch, TensorRT, …',
  matches: (file) => file.path.toLowerCase().endsWith('.onnx'),
  read: (file, backend) => importOnnx(file.bytes(), backend === undefined ? {} : { backend }),
  write,
};
