// onnxruntime-web in Node (its wasm backend, one thread): the consumer ONNX exports are checked in.
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;

/**
 * Runs an ONNX model's `input` → `output` on `rows` in onnxruntime and returns the outputs.
 * `optimize: false` turns off onnxruntime's graph rewrites (which may fuse operators and round
 * differently), so the file's operators run as written.
 */
export async function runOnnx(
  bytes: Uint8Array,
  rows: readonly (readonly number[])[],
  { optimize = true }: { optimize?: boolean } = {},
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    ...(optimize ? {} : { graphOptimizationLevel: 'disabled' as const }),
  });
  try {
    const cols = rows[0]?.length ?? 0;
    const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, cols]);
    const out = await session.run({ input });
    return out['output']!.data as Float32Array;
  } finally {
    await session.release();
  }
}
