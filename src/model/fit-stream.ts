import { NeuriteError, assertInt } from '../core/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/options.js';
import { Rng } from '../core/rng.js';
import { newHistory, type EpochLogs, type History } from './fit.js';
import type { NeuralNetwork } from './network.js';

/** One batch of rows from a stream: inputs and targets with the same number of rows. */
export interface StreamBatch {
  readonly x: MatrixLike;
  readonly y: MatrixLike;
}

/** Where {@link fitStream} reads its rows: called once per epoch, each time from the start. */
export type BatchSource = () => AsyncIterable<StreamBatch> | Iterable<StreamBatch>;

/** Options of {@link fitStream}. */
export interface FitStreamOptions {
  /** Passes over the source (default 10). */
  readonly epochs?: number;
  /** Rows per gradient step (default 32). */
  readonly batchSize?: number;
  /**
   * Rows held to shuffle the stream, as tf.data's `shuffle(bufferSize)`: each incoming row takes
   * the place of a random held one, which goes on to training. Memory is this many rows. Default
   * 16384; 1 keeps the source's order.
   */
  readonly shuffleBuffer?: number;
  /** Seeds the shuffling (default 0). */
  readonly seed?: number;
  /** Rows scored after each epoch to stop early and keep the best weights; they must fit in memory. */
  readonly validationData?: readonly [MatrixLike, MatrixLike];
  /** Epochs without a better validation loss before stopping (default: never stop early). */
  readonly patience?: number;
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  /** Aborting stops after the current piece; the best weights so far are kept. */
  readonly signal?: AbortSignal;
}

const KEYS: readonly (keyof FitStreamOptions)[] = [
  'epochs',
  'batchSize',
  'shuffleBuffer',
  'seed',
  'validationData',
  'patience',
  'onEpochEnd',
  'signal',
];

// Rows handed to one `fit` call: large enough that its set-up cost vanishes, small enough to stay bounded.
const PIECE_ROWS = 8192;

/**
 * Trains on data that need not fit in memory: `source` yields batches of rows (e.g. a CSV file
 * read piece by piece) and is called again for every epoch. Rows pass through a bounded shuffle
 * buffer and on to `net.fit` a piece at a time with the optimizer's state carried over, so memory
 * holds the buffer, one piece and the validation rows, whatever the size of the source. With
 * `validationData`, the weights of the best epoch are kept (also when training diverges, which
 * stops it).
 *
 * @example
 * ```ts
 * const history = await fitStream(net, () => batchesOf(file), { epochs: 3, validationData: [vx, vy] });
 * ```
 */
export async function fitStream(
  net: NeuralNetwork,
  source: BatchSource,
  options: FitStreamOptions = {},
): Promise<History> {
  checkOptions(options, KEYS, 'fitStream options');
  if (typeof source !== 'function') {
    throw new NeuriteError(
      'INVALID_OPTION',
      `fitStream needs a function that returns the batches (it is called once per epoch), got ${typeof source}`,
    );
  }
  if (net.optimizer.spec.schedule !== undefined) {
    // fit counts an epoch per piece, so a schedule would run many times too fast.
    throw new NeuriteError(
      'INVALID_OPTION',
      'fitStream does not support learning-rate schedules yet: give the network an optimizer without schedule, or train in memory with fit',
    );
  }
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 32;
  const bufferRows = options.shuffleBuffer ?? 16384;
  assertInt(epochs, 'epochs', 0);
  assertInt(batchSize, 'batchSize', 1);
  assertInt(bufferRows, 'shuffleBuffer', 1);
  if (options.patience !== undefined) assertInt(options.patience, 'patience', 0);
  const validation: readonly [Matrix, Matrix] | undefined = options.validationData && [
    toMatrix(options.validationData[0], net.inputSize, 'validationData inputs'),
    toMatrix(options.validationData[1], net.outputSize, 'validationData targets'),
  ];
  const rng = new Rng(options.seed ?? 0);
  const history = newHistory(validation !== undefined);
  let best: Float32Array | undefined;
  let bestLoss = Infinity;
  let sinceBest = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const shuffler = new ShuffleBuffer(net.inputSize, net.outputSize, bufferRows, rng);
    let lossSum = 0;
    let rows = 0;
    let diverged: NeuriteError | undefined;
    const train = async (piece: Piece): Promise<boolean> => {
      try {
        const h = await net.fit(piece.x, piece.y, {
          epochs: 1,
          batchSize: Math.min(batchSize, piece.x.rows),
          shuffle: false,
          optimizer: net.optimizer.spec,
        });
        lossSum += (h.loss[0] ?? 0) * piece.x.rows;
        rows += piece.x.rows;
        return true;
      } catch (e) {
        if (e instanceof NeuriteError && e.code === 'NON_FINITE') {
          diverged = e;
          return false;
        }
        throw e;
      }
    };
    let go = true;
    for await (const batch of source()) {
      const x = toMatrix(batch.x, net.inputSize, 'batch inputs');
      const y = toMatrix(batch.y, net.outputSize, 'batch targets');
      if (x.rows !== y.rows) {
        throw new NeuriteError(
          'SHAPE_MISMATCH',
          `a batch has ${String(x.rows)} input rows but ${String(y.rows)} target rows`,
        );
      }
      for (const piece of shuffler.push(x, y)) if (go) go = await train(piece);
      if (!go || options.signal?.aborted === true) break;
    }
    if (go && options.signal?.aborted !== true) for (const piece of shuffler.drain()) if (go) go = await train(piece);
    if (rows === 0 && diverged === undefined && options.signal?.aborted !== true) {
      throw new NeuriteError('EMPTY_DATA', `the batch source gave no rows in epoch ${String(epoch + 1)}`);
    }
    history.loss.push(rows > 0 ? lossSum / rows : NaN);
    history.learningRate.push(net.optimizer.learningRate);
    history.epochs = epoch + 1;
    const logs: EpochLogs = {
      loss: history.loss[epoch] as number,
      learningRate: history.learningRate[epoch] as number,
    };
    if (validation) {
      const valLoss = net.evaluate(validation[0], validation[1]).loss;
      history.valLoss?.push(valLoss);
      logs.valLoss = valLoss;
      if (Number.isFinite(valLoss) && valLoss < bestLoss) {
        bestLoss = valLoss;
        best = net.getWeights();
        history.bestEpoch = epoch;
        sinceBest = 0;
      } else sinceBest++;
    }
    await options.onEpochEnd?.(epoch, logs);
    if (diverged !== undefined) {
      if (best !== undefined) net.setWeights(best);
      throw diverged;
    }
    if (options.signal?.aborted === true) {
      history.stopReason = 'aborted';
      break;
    }
    if (options.patience !== undefined && validation && sinceBest > options.patience) {
      history.stopReason = 'earlyStopping';
      break;
    }
  }
  if (best !== undefined) net.setWeights(best);
  else if (!validation) history.bestEpoch = history.loss.indexOf(Math.min(...history.loss));
  return history;
}

interface Piece {
  readonly x: Matrix;
  readonly y: Matrix;
}

/**
 * tf.data's shuffle buffer over rows of two matrices: once full, each incoming row replaces a
 * random held row, which is emitted. Emitted rows are gathered into pieces of {@link PIECE_ROWS}.
 */
class ShuffleBuffer {
  private readonly bx: Float32Array;
  private readonly by: Float32Array;
  private held = 0;
  private readonly ox: Float32Array;
  private readonly oy: Float32Array;
  private out = 0;

  constructor(
    private readonly inCols: number,
    private readonly outCols: number,
    private readonly capacity: number,
    private readonly rng: Rng,
  ) {
    this.bx = new Float32Array(capacity * inCols);
    this.by = new Float32Array(capacity * outCols);
    this.ox = new Float32Array(PIECE_ROWS * inCols);
    this.oy = new Float32Array(PIECE_ROWS * outCols);
  }

  *push(x: Matrix, y: Matrix): Generator<Piece> {
    const { inCols: ic, outCols: oc } = this;
    for (let r = 0; r < x.rows; r++) {
      const xr = x.data.subarray(r * ic, (r + 1) * ic);
      const yr = y.data.subarray(r * oc, (r + 1) * oc);
      if (this.held < this.capacity) {
        this.bx.set(xr, this.held * ic);
        this.by.set(yr, this.held * oc);
        this.held++;
        continue;
      }
      const j = this.rng.int(this.capacity);
      yield* this.emit(j);
      this.bx.set(xr, j * ic);
      this.by.set(yr, j * oc);
    }
  }

  /** The held rows in random order, then the last partial piece. */
  *drain(): Generator<Piece> {
    const order = this.rng.shuffle(Int32Array.from({ length: this.held }, (_, i) => i));
    for (const j of order) yield* this.emit(j);
    this.held = 0;
    if (this.out > 0) yield this.flush();
  }

  private *emit(j: number): Generator<Piece> {
    const { inCols: ic, outCols: oc } = this;
    this.ox.set(this.bx.subarray(j * ic, (j + 1) * ic), this.out * ic);
    this.oy.set(this.by.subarray(j * oc, (j + 1) * oc), this.out * oc);
    this.out++;
    if (this.out === PIECE_ROWS) yield this.flush();
  }

  private flush(): Piece {
    const piece = {
      x: { rows: this.out, cols: this.inCols, data: this.ox.subarray(0, this.out * this.inCols) },
      y: { rows: this.out, cols: this.outCols, data: this.oy.subarray(0, this.out * this.outCols) },
    };
    // Reusing the arrays is safe: the generators are lazy, so a piece is trained on before the next is gathered.
    this.out = 0;
    return piece;
  }
}
