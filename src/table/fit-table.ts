import type { CsvRecord } from '../data/csv/cells.js';
import { fitPipeline, targetTask, transformRecords, type PipelineOptions } from '../data/pipeline/index.js';
import { permutation } from '../data/shuffle.js';
import type { Matrix } from '../core/matrix.js';
import type { EpochLogs } from '../model/fit.js';
import type { NetworkOptions } from '../model/options.js';
import { NeuralNetwork } from '../model/network.js';
import type { ActivationName } from '../nn/activations.js';
import { TableModel } from './table-model.js';

/** Options of {@link fitTable}: the pipeline's, plus how the network is trained. */
export interface TableFitOptions extends PipelineOptions {
  /** Seeds the row order, the initial weights, shuffling and dropout. Default 0. */
  readonly seed?: number;
  /** Hidden layer sizes. Default `[32, 16]`. */
  readonly hidden?: readonly number[];
  /** Hidden activation. Default `relu`. */
  readonly activation?: ActivationName;
  /** Most passes over the data; early stopping usually ends sooner. Default 300. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Adam's learning rate. Default 0.003. */
  readonly learningRate?: number;
  /** Share of the rows held out to decide when to stop (best weights restored). Default 0.15; 0 under 40 rows. */
  readonly validationSplit?: number;
  /** Epochs without a better validation loss before stopping. Default 20. */
  readonly patience?: number;
  /** Compute backend of the network (default `auto`). */
  readonly backend?: NetworkOptions['backend'];
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Trains a network on a table of raw records, with no preprocessing to write: fits a pipeline
 * on the rows (see `fitPipeline`: imputation, one-hot, scaling, identifier and date columns),
 * then trains an MLP with a validation part for early stopping, the best weights restored.
 * The training history is `model.history`.
 *
 * @example
 * ```ts
 * const model = await fitTable(records, { target: 'species', seed: 1 });
 * model.predict([{ bill_length_mm: '39.1', island: 'Torgersen' }]).labels;
 * const same = TableModel.fromJSON(model.toJSON());
 * ```
 */
export async function fitTable(records: readonly CsvRecord[], options: TableFitOptions): Promise<TableModel> {
  const seed = options.seed ?? 0;
  const pipeline = fitPipeline(records, options);
  // The fit takes its validation rows from the end, so the rows go in a seeded random order
  // (files are often sorted by class or time). The pipeline was fitted in file order, where a
  // row index still looks like one.
  const order = permutation(records.length, seed);
  const t = transformRecords(
    pipeline,
    Array.from(order, (i) => records[i] as CsvRecord),
    { withTargets: true },
  );
  const x = t.x;
  const y = t.y as Matrix;
  const classification = targetTask(pipeline.target) === 'classification';
  const net = new NeuralNetwork({
    layers: [x.cols, ...(options.hidden ?? [32, 16]), y.cols],
    activation: options.activation ?? 'relu',
    outputActivation: classification ? 'softmax' : 'linear',
    loss: classification ? 'categoricalCrossEntropy' : 'mse',
    optimizer: { type: 'adam', learningRate: options.learningRate ?? 0.003 },
    seed,
    ...(options.backend === undefined ? {} : { backend: options.backend }),
  });
  const validationSplit = options.validationSplit ?? (x.rows < 40 ? 0 : 0.15);
  const history = await net.fit(x, y, {
    epochs: options.epochs ?? 300,
    batchSize: options.batchSize ?? 32,
    validationSplit,
    ...(validationSplit > 0 ? { earlyStopping: { patience: options.patience ?? 20, restoreBest: true } } : {}),
    ...(options.onEpochEnd === undefined ? {} : { onEpochEnd: options.onEpochEnd }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return new TableModel(net, pipeline, history);
}
