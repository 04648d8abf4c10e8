// Decodes the weights a TF.js weightsManifest describes. Every size is checked against the bytes
// actually given before anything is allocated, so a corrupt manifest cannot ask for more memory
// than the files hold.
import { NeuriteError, describe } from '../../core/errors.js';
import { invalid, isRecord } from './topology.js';
import { halfToFloat } from '../half-float.js';

/** Weight files of a TF.js model: the concatenation of every shard, or each file by its manifest path. */
export type TfjsWeightFiles = Uint8Array | ArrayBuffer | Readonly<Record<string, Uint8Array | ArrayBuffer>>;

/** One decoded weight: float values and the shape the manifest gave them. */
export interface DecodedWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Bytes per element of the stored dtypes neurite can read or skip. */
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

const bytesOf = (b: Uint8Array | ArrayBuffer): Uint8Array => (b instanceof Uint8Array ? b : new Uint8Array(b));

/** The shape of a spec, validated; its element count is bounded by `maxElements`. */
function shapeOf(raw: unknown, label: string, maxElements: number): { shape: number[]; size: number } {
  if (!Array.isArray(raw)) throw invalid(`${label}: shape must be an array, got ${describe(raw)}`);
  let size = 1;
  const shape = Array.from(raw as unknown[], (d) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw invalid(`${label}: shape holds ${describe(d)}`);
    size *= d;
    return d;
  });
  if (size > maxElements)
    throw invalid(`${label}: shape ${JSON.stringify(shape)} needs more bytes than the weight files hold`);
  return { shape, size };
}

/** The bytes of one manifest group: its shards in order, from `files`. */
function groupBytes(paths: unknown, files: TfjsWeightFiles, g: number): Uint8Array {
  if (!Array.isArray(paths) || Array.from(paths as unknown[]).some((p) => typeof p !== 'string'))
    throw invalid(`weightsManifest[${String(g)}].paths must be an array of strings`);
  const map = files as Readonly<Record<string, Uint8Array | ArrayBuffer>>;
  const shards = (paths as string[]).map((p) => {
    const b = Object.hasOwn(map, p) ? map[p] : undefined;
    if (b === undefined) {
      throw new NeuriteError(
        'INVALID_MODEL',
        `TF.js model: the weights file ${JSON.stringify(p)} named in model.json was not given; given: ${Object.keys(map).join(', ') || 'none'}`,
      );
    }
    return bytesOf(b);
  });
  if (shards.length === 1) return shards[0] as Uint8Array;
  const out = new Uint8Array(shards.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of shards) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/**
 * Every float weight of the manifest by name. `files` is either one buffer holding every group's
 * shards in order (tfjs's in-memory `weightData`) or a record of files by manifest path.
 */
export function decodeWeights(manifest: unknown, files: TfjsWeightFiles): Map<string, DecodedWeight> {
  if (!Array.isArray(manifest)) throw invalid(`weightsManifest must be an array, got ${describe(manifest)}`);
  const single = files instanceof Uint8Array || files instanceof ArrayBuffer ? bytesOf(files) : undefined;
  let o = 0;
  const out = new Map<string, DecodedWeight>();
  Array.from(manifest as unknown[]).forEach((group, g) => {
    if (!isRecord(group) || !Array.isArray(group['weights']))
      throw invalid(`weightsManifest[${String(g)}] must have a weights array`);
    const bytes = single ?? groupBytes(group['paths'], files, g);
    if (single === undefined) o = 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const spec of group['weights'] as unknown[]) {
      if (!isRecord(spec) || typeof spec['name'] !== 'string')
        throw invalid(`weightsManifest[${String(g)}] has a weight without a name`);
      const label = `weight ${JSON.stringify(spec['name'])}`;
      const q = spec['quantization'];
      if (q !== undefined && !isRecord(q)) throw invalid(`${label}: quantization must be an object`);
      const stored = q !== undefined ? q['dtype'] : spec['dtype'];
      const width = typeof stored === 'string' && Object.hasOwn(BYTES, stored) ? BYTES[stored] : undefined;
      if (width === undefined) {
        throw new NeuriteError(
          'UNSUPPORTED',
          `TF.js model: ${label} is stored as ${describe(stored)}; neurite reads float32, float16, uint8 and uint16 weights`,
        );
      }
      const { shape, size } = shapeOf(spec['shape'], label, (bytes.length - o) / width);
      if (stored === 'float32' || q !== undefined) {
        const values = new Float32Array(size);
        const scale = q?.['scale'] ?? 1;
        const min = q?.['min'] ?? 0;
        if (stored !== 'float16' && stored !== 'float32' && (typeof scale !== 'number' || typeof min !== 'number')) {
          throw invalid(`${label}: ${String(stored)} quantization needs numeric scale and min`);
        }
        for (let i = 0; i < size; i++) {
          const at = o + i * width;
          values[i] =
            stored === 'float32'
              ? view.getFloat32(at, true)
              : stored === 'float16'
                ? halfToFloat(view.getUint16(at, true))
                : (stored === 'uint8' ? view.getUint8(at) : view.getUint16(at, true)) * (scale as number) +
                  (min as number);
        }
        out.set(spec['name'], { shape, values });
      }
      o += size * width;
    }
    if (single === undefined && o !== bytes.length) {
      throw invalid(
        `the weight files of group ${String(g)} hold ${String(bytes.length)} bytes but the manifest describes ${String(o)}`,
      );
    }
  });
  if (single !== undefined && o !== single.length) {
    throw invalid(`the weights hold ${String(single.length)} bytes but the manifest describes ${String(o)}`);
  }
  return out;
}
