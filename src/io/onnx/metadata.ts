// neurite's settings in an ONNX file's metadata_props (string → string), so a round trip through
// ONNX keeps what the graph cannot hold: loss, optimizer, seed, initialisers, dropout, and a table
// model's pipeline. Other tools show these entries as the model's properties.
import type { Pipeline } from '../../data/pipeline/index.js';
import type { NeuralNetwork } from '../../model/network.js';
import type { NetworkOptions } from '../../model/options.js';
import { targetNames } from '../../data/pipeline/index.js';

/** Keys neurite writes. */
const KEY = {
  settings: 'neurite.settings',
  metadata: 'neurite.metadata',
  preprocessing: 'neurite.preprocessing',
  inputs: 'neurite.inputs',
  outputs: 'neurite.outputs',
} as const;

type Props = { key: string; value: string }[];

/** What {@link ONNX_METADATA.read} recovers. */
export interface OnnxSettings {
  /** `layers`, `loss`, `optimizer`, `seed` as the network had them (unchecked JSON). */
  readonly settings?: Partial<Record<keyof NetworkOptions, unknown>>;
  /** The network's free-form metadata (a table model's pipeline). */
  readonly metadata?: Record<string, unknown>;
  /** True when the graph starts and ends with the pipeline's operators. */
  readonly preprocessingInGraph: boolean;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The writer and reader of neurite's entries. */
export const ONNX_METADATA = {
  /** Entries for `net`; `pipeline` when its preprocessing is written as operators. */
  write(net: NeuralNetwork, pipeline: Pipeline | undefined): Props {
    const { layers, loss, optimizer, seed } = net.architecture;
    const props: Props = [{ key: KEY.settings, value: JSON.stringify({ layers, loss, optimizer, seed }) }];
    if (Object.keys(net.metadata).length > 0) props.push({ key: KEY.metadata, value: JSON.stringify(net.metadata) });
    const p = net.metadata['pipeline'] as Pipeline | undefined;
    if (pipeline !== undefined) {
      props.push({ key: KEY.preprocessing, value: 'in-graph' });
      props.push({ key: KEY.inputs, value: JSON.stringify(pipeline.steps.map((s) => s.column)) });
    } else if (p !== undefined && Array.isArray(p.featureNames)) {
      props.push({ key: KEY.inputs, value: JSON.stringify(p.featureNames) });
    }
    if (p?.target !== undefined) props.push({ key: KEY.outputs, value: JSON.stringify(targetNames(p.target)) });
    return props;
  },

  /** neurite's entries of a file; anything missing or malformed is left out (files from other tools have none). */
  read(props: Props): OnnxSettings {
    const get = (k: string): string | undefined => props.find((p) => p.key === k)?.value;
    const settings = parseJson(get(KEY.settings));
    const metadata = parseJson(get(KEY.metadata));
    return {
      ...(isRecord(settings) ? { settings } : {}),
      ...(isRecord(metadata) ? { metadata } : {}),
      preprocessingInGraph: get(KEY.preprocessing) === 'in-graph',
    };
  },
};
