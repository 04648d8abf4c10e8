// What a file in another format keeps of a neurite network beyond its layers: loss, optimizer,
// seed and free-form metadata (a table model's pipeline, its preprocessing record), as one JSON
// record, so that exporting and importing again gives the same model, and `neurite predict` on an
// exported file still reads raw CSV columns.
import { NeuriteError } from '../core/errors.js';
import type { NeuralNetwork } from '../model/network.js';
import type { NetworkOptions } from '../model/options.js';
import { networkFromStack, type DenseStack } from './dense-stack.js';

/** The record written into a file's metadata. */
export interface SavedSettings {
  loss: string;
  optimizer: Record<string, unknown>;
  seed: number;
  /** `net.metadata`, when not empty. */
  metadata?: Record<string, unknown>;
}

/** Settings of the network built, as {@link networkFromStack} takes them. */
export type StackSettings = NonNullable<Parameters<typeof networkFromStack>[1]>;

/** The record of `net`. */
export function savedSettings(net: NeuralNetwork): SavedSettings {
  return {
    loss: net.loss.name,
    optimizer: { ...net.optimizer.spec },
    seed: net.seed,
    ...(Object.keys(net.metadata).length > 0 ? { metadata: structuredClone(net.metadata) } : {}),
  };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Builds the network of `stack` with the settings a file recorded (`saved`: the parsed record,
 * anything else ignored, as files from other tools have none) and the caller's `options` over
 * them. A record whose settings the network refuses is `INVALID_MODEL`, naming `where`.
 */
export function networkWithSettings(
  stack: DenseStack,
  saved: unknown,
  options: StackSettings,
  where: string,
): NeuralNetwork {
  const s = isRecord(saved) ? saved : {};
  const settings = {
    ...(s['loss'] !== undefined ? { loss: s['loss'] } : {}),
    ...(s['optimizer'] !== undefined ? { optimizer: s['optimizer'] } : {}),
    ...(typeof s['seed'] === 'number' ? { seed: s['seed'] } : {}),
  } as NetworkOptions;
  let net: NeuralNetwork;
  try {
    net = networkFromStack(stack, { ...settings, ...options });
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'INVALID_OPTION')
      throw new NeuriteError('INVALID_MODEL', `${where}: ${e.message}`);
    throw e;
  }
  if (isRecord(s['metadata'])) net.metadata = structuredClone(s['metadata']);
  return net;
}
