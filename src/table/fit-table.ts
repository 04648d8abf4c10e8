import { NeuriteError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { CsvRecord } from '../data/csv/cells.js';
import { fitPipeline, targetTask, transformRecords, type PipelineOptions } from '../data/pipeline/index.js';
import type { Matrix } from '../core/matrix.js';
import { autoFit, type AutoFitOptions, type AutoFitResult } from '../model/auto-fit.js';
import type { EpochLogs } from '../model/fit.js';
import type { ClassWeight } from '../model/sample-weight.js';
import type { NetworkOptions } from '../model/options.js';
import type { ActivationName } from '../nn/activations.js';
import { TableModel } from './table-model.js';

/**
 * Options of {@link fitTable}: the pipeline's, plus how the network is trained. Every training
 * setting left out is chosen from the table as `neurite train --data` chooses it (`planTraining`).
 */
export interface TableFitOptions extends PipelineOptions {
  /** Seeds the validation parts, the initial weights, shuffling and dropout. Default 0. */
  readonly seed?: number;
  /** Hidden layer sizes. */
  readonly hidden?: readonly number[];
  /** Hidden activation. Default `relu`. */
  readonly activation?: ActivationName;
  /** Most passes over the data of the validated run; early stopping usually ends it sooner. */
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Adam's learning rate. */
  readonly learningRate?: number;
  /** L2 penalty added to every gradient. */
  readonly weightDecay?: number;
  /** Dropout on the hidden layers. */
  readonly dropout?: number;
  /** Share of the rows held out to choose when to stop (then refit on all rows); 0 = no validation. */
  readonly validationSplit?: number;
  /** Epochs without a better validation loss before stopping. */
  readonly patience?: number;
  /** Classification: weights by class (`'balanced'` weighs rare classes up), as `fit`'s `classWeight`. */
  readonly classWeight?: ClassWeight;
  /**
   * One weight (finite, >= 0) per record, in the order given; the weights of records left out for a
   * missing target are dropped with them.
   */
  readonly sampleWeight?: ArrayLike<number>;
  /** Compute backend of the network (default `auto`). */
  readonly backend?: NetworkOptions['backend'];
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

const TABLE_FIT_KEYS = [
  'target',
  'task',
  'features',
  'exclude',
  'categorical',
  'impute',
  'missingIndicator',
  'scale',
  'minFrequency',
  'maxCategories',
  'classes',
  'columns',
  'seed',
  'hidden',
  'activation',
  'epochs',
  'batchSize',
  'learningRate',
  'weightDecay',
  'dropout',
  'validationSplit',
  'patience',
  'classWeight',
  'sampleWeight',
  'backend',
  'onEpochEnd',
  'signal',
] as const satisfies readonly (keyof TableFitOptions)[];

/** A model {@link fitTable} trained: the {@link TableModel}, and the fit's plan and validation score. */
export type FittedTable = TableModel & { readonly fit: AutoFitResult };

/**
 * Trains a network on a table of raw records, with no preprocessing to write: fits a pipeline
 * on the rows (see `fitPipeline`: imputation, one-hot, scaling, identifier and date columns),
 * then trains as `autoFit` does, with settings chosen from the table: early stopping on held-out
 * rows with the best weights restored, then a refit on every row. With the same seed and options,
 * the network is the one `neurite train --data` builds from the same file. The validated run's
 * history is `model.history`; the plan and the validation score against the baseline are `model.fit`.
 *
 * @example
 * ```ts
 * const model = await fitTable(records, { target: 'species', seed: 1 });
 * model.predict([{ bill_length_mm: '39.1', island: 'Torgersen' }]).labels;
 * model.fit.validation; // { metric: 'accuracy', score: 0.97, baseline: 0.44, rows: 344 }
 * const same = TableModel.fromJSON(model.toJSON());
 * ```
 */
export async function fitTable(records: readonly CsvRecord[], options: TableFitOptions): Promise<FittedTable> {
  checkOptions(options, TABLE_FIT_KEYS, 'fitTable options');
  const o = options;
  const pipeline = fitPipeline(records, o);
  const t = transformRecords(pipeline, records, { withTargets: true });
  let sampleWeight: Float32Array | undefined;
  if (o.sampleWeight !== undefined) {
    const sw = o.sampleWeight;
    if (typeof sw !== 'object' || (sw as unknown) === null || sw.length !== records.length) {
      throw new NeuriteError(
        'SHAPE_MISMATCH',
        `sampleWeight must have one weight per record (${String(records.length)}), got ${typeof sw === 'object' && (sw as unknown) !== null ? `${String(sw.length)} weights` : typeof sw}`,
      );
    }
    sampleWeight = Float32Array.from(t.kept, (i) => sw[i] as number);
  }
  const fitOptions: AutoFitOptions = {
    task: targetTask(pipeline.target),
    seed: o.seed ?? 0,
    ...defined({
      hidden: o.hidden,
      activation: o.activation,
      maxEpochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      weightDecay: o.weightDecay,
      dropout: o.dropout,
      validationFraction: o.validationSplit,
      patience: o.patience,
      classWeight: o.classWeight,
      sampleWeight,
      backend: o.backend,
      signal: o.signal,
      onEpochEnd: o.onEpochEnd,
    }),
  };
  const fit = await autoFit(t.x, t.y as Matrix, fitOptions);
  return Object.assign(new TableModel(fit.network, pipeline, fit.history), { fit });
}

/** The entries whose value is not undefined (options are strict: an undefined key would be passed on as set). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
