import { NeuriteError, describe } from '../core/errors.js';
import { base64ToFloats, floatsToBase64 } from '../core/base64.js';
import { rngStateProblem, type Rng, type RngState } from '../core/rng.js';
import { Optimizer, type OptimizerName, type OptimizerSpec } from '../optim/optimizer.js';
import type { ScheduleState } from '../optim/schedules.js';
import { optimizerStateProblem, type OptimizerState } from '../optim/state.js';
import type { NeuralNetwork } from './network.js';
import type { NetworkOptions } from './options.js';

/**
 * The optimizer's training state in a model file (`optimizerState`), written by `toJSON` unless
 * `{ optimizerState: false }`. Files without it load with a fresh optimizer.
 */
export interface OptimizerStateJSON {
  /** The optimizer type the state belongs to; must equal the file's `optimizer.type`. */
  type: OptimizerName;
  /** Steps taken (Adam's t). */
  steps: number;
  /** Epochs completed: the learning-rate schedule's position. */
  epochs: number;
  /** The learning rate in force when saved. */
  learningRate: number;
  /** The rule's state arrays (see `OptimizerState.slots`), each `parameterCount` little-endian float32 in base64. */
  slots: string[];
  /** The schedule's own state (`reduceOnPlateau`: multiplier, best, wait). */
  schedule?: ScheduleState;
  /**
   * The network's random generator position (shuffling, dropout), so a resumed `fit` draws what an
   * uninterrupted one would. Absent in files of older neurite: the generator restarts from `seed`.
   */
  rng?: RngState;
}

/** The JSON form of the training state: `optimizer`'s and, when given, the generator `rng`'s. */
export function optimizerStateToJSON(optimizer: Optimizer, rng?: Rng): OptimizerStateJSON {
  const s = optimizer.getState();
  const json: OptimizerStateJSON = {
    type: optimizer.spec.type,
    steps: s.steps,
    epochs: s.epochs,
    learningRate: s.learningRate,
    slots: s.slots.map(floatsToBase64),
  };
  if (s.schedule !== undefined) json.schedule = s.schedule;
  if (rng !== undefined) json.rng = rng.getState();
  return json;
}

const bad = (msg: string): NeuriteError => new NeuriteError('INVALID_MODEL', `invalid model: ${msg}`);

/**
 * Validates a model file's `optimizerState` against its optimizer spec and parameter count `n`,
 * all before the network is built: the spec is checked (as the network would), the slot strings'
 * lengths before they are decoded, then every decoded value. Anything wrong is `INVALID_MODEL`
 * naming the field, what it must be and what it is.
 */
export function parseOptimizerState(
  raw: unknown,
  spec: OptimizerSpec,
  n: number,
): { state: OptimizerState; rng?: RngState } {
  let rule: Optimizer['rule'];
  try {
    rule = new Optimizer(spec).rule;
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'INVALID_OPTION') throw bad(e.message);
    throw e;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad(`optimizerState must be an object, got ${describe(raw)}`);
  const o = raw as Record<string, unknown>;
  if (o['type'] !== spec.type) {
    throw bad(
      `optimizerState.type is ${describe(o['type'])} but optimizer.type is ${JSON.stringify(spec.type)} (remove optimizerState to start that optimizer afresh)`,
    );
  }
  const { steps, slots: strings } = o;
  const want = Number.isSafeInteger(steps) && (steps as number) > 0 ? rule.slots : 0;
  let slots: unknown = strings;
  // Decoded only when there are as many strings as the rule needs, each exactly long enough for n
  // values, so a corrupt file cannot make us allocate more; other shapes are reported below.
  if (Array.isArray(strings) && strings.length === want) {
    const chars = 4 * Math.ceil((n * 4) / 3);
    slots = strings.map((x: unknown, k) => {
      const where = `optimizerState.slots[${String(k)}]`;
      if (typeof x !== 'string' || x.length !== chars) {
        const got = typeof x === 'string' ? `a string of ${String(x.length)} characters` : describe(x);
        throw bad(`${where} must encode ${String(n)} float32 values in base64, got ${got}`);
      }
      const floats = base64ToFloats(x);
      if (floats === undefined) throw bad(`${where} is not valid base64`);
      return floats;
    });
  }
  const state = { steps, epochs: o['epochs'], learningRate: o['learningRate'], slots } as OptimizerState;
  if (o['schedule'] !== undefined) state.schedule = o['schedule'] as ScheduleState;
  const problem = optimizerStateProblem(state, rule, spec.schedule, n);
  if (problem !== undefined) throw bad(`optimizerState.${problem.message}`);
  const rng = o['rng'];
  if (rng === undefined) return { state };
  const rngProblem = rngStateProblem(rng);
  if (rngProblem !== undefined) throw bad(`optimizerState.rng ${rngProblem}`);
  return { state, rng: rng as RngState };
}

/**
 * Gives `net`, just built from `saved` (what `parseModel` returns), the file's training state: its
 * optimizer, with the saved state when there is one, and its generator's saved position (else the
 * generator stays where `seed` put it). The optimizer is built from the file's spec exactly as
 * saved, not through the network's default learning rate of 0.1, so `fit` given the same spec keeps
 * using it (and a spec saved without a learning rate keeps its rule's default).
 */
export function restoreTraining(
  net: NeuralNetwork,
  saved: { readonly options: NetworkOptions; readonly optimizerState?: OptimizerState; readonly rng?: RngState },
): void {
  const optimizer = new Optimizer(saved.options.optimizer ?? 'sgd');
  if (saved.optimizerState !== undefined) optimizer.setState(net.backend, net.parameterCount, saved.optimizerState);
  net.optimizer = optimizer;
  if (saved.rng !== undefined) net.engine.rng.setState(saved.rng);
}
