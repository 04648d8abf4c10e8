import { NeuriteError, assertInt, assertNumber } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { canonicalLabel, cellText, isMissing, type CsvRecord } from '../data/csv/cells.js';
import type { CsvStream } from '../data/csv/stream.js';
import {
  fitPipeline,
  targetTask,
  transformRecords,
  type Pipeline,
  type PipelineOptions,
} from '../data/pipeline/index.js';
import { resolveColumns } from '../data/pipeline/select-columns.js';
import type { ColumnSpec } from '../data/csv/columns.js';
import type { BackendChoice } from '../backend/registry.js';
import { buildPlannedNetwork } from '../model/auto-fit.js';
import { planTraining, type TrainingPlan } from '../model/auto-plan.js';
import type { EpochLogs } from '../model/fit.js';
import { fitStream, type StreamBatch } from '../model/fit-stream.js';
import { columnScale, foldTargetScale, standardized, type Scale } from '../model/target-scale.js';
import type { ActivationName } from '../nn/activations.js';
import { TableModel } from './table-model.js';

/** Options of {@link fitTableStream}: the pipeline's, plus how the network is trained. */
export interface TableStreamOptions extends PipelineOptions {
  /** Seeds the sample, the initial weights and the shuffling. Default 0. */
  readonly seed?: number;
  /**
   * Rows sampled uniformly in the first pass to fit the pipeline (roles, medians, categories,
   * scales). Default: 100000, or fewer so that the sample holds at most 400000 cells.
   */
  readonly sampleRows?: number;
  /** Every k-th row is held out for validation with k = round(1 / this). Default 0.1. */
  readonly validationFraction?: number;
  /** At most this many validation rows are kept (in memory). Default: 20000, or fewer so they hold at most 200000 cells. */
  readonly maxValidationRows?: number;
  /** Hidden layer sizes (default: as `planTraining` chooses for the table's shape). */
  readonly hidden?: readonly number[];
  readonly activation?: ActivationName;
  readonly learningRate?: number;
  readonly weightDecay?: number;
  readonly batchSize?: number;
  /**
   * Most passes over the file. Default: about two million rows' worth, between 10 and 500 (a table
   * that fits in memory gets `autoFit`'s 500; a file of millions of rows, 10).
   */
  readonly epochs?: number;
  /** Epochs without a better validation loss before stopping (best weights kept). Default: a tenth of `epochs`, 3 to 20. */
  readonly patience?: number;
  /** Rows held by the shuffle buffer. Default 16384. */
  readonly shuffleBuffer?: number;
  readonly backend?: BackendChoice;
  /** Told when the first pass (sampling) is done. */
  readonly onSampled?: (info: StreamSampled) => void;
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/** What the first pass of {@link fitTableStream} found. */
export interface StreamSampled {
  /** Data rows in the file. */
  readonly rows: number;
  /** Rows the pipeline was fitted on. */
  readonly sampled: number;
  /** The held-out rows as network inputs and targets (in the targets' own units), if any. */
  readonly validation: { readonly x: Matrix; readonly y: Matrix } | undefined;
  readonly pipeline: Pipeline;
  readonly plan: TrainingPlan;
}

// Distinct target texts counted in the first pass: beyond this the target cannot be a class label anyway.
const MAX_LABELS = 1000;

/**
 * {@link fitTable} for a table larger than memory, read from a {@link CsvStream} (e.g.
 * `openCsvFile` in `neurite/data/node`). A first pass counts the rows and keeps a uniform sample
 * (reservoir sampling) on which the pipeline is fitted, with the class list taken from every row;
 * then each epoch streams the file through the pipeline into {@link fitStream}. Every k-th row is
 * held out for validation (at most `maxValidationRows` kept), which picks the best epoch. Memory
 * holds the sample, the validation rows, the shuffle buffer and one batch, whatever the file size.
 * Unlike `autoFit`, there is no refit on the validation rows afterwards.
 *
 * @example
 * ```ts
 * const csv = await openCsvFile('big.csv');
 * const model = await fitTableStream(csv, { target: 'label', epochs: 5 });
 * ```
 */
export async function fitTableStream(csv: CsvStream, options: TableStreamOptions): Promise<TableModel> {
  const seed = options.seed ?? 0;
  // Records are held as objects of strings, so the memory they take grows with their cells.
  const width = Math.max(1, csv.columns.length);
  const sampleRows = options.sampleRows ?? Math.max(1000, Math.min(100_000, Math.floor(400_000 / width)));
  const fraction = options.validationFraction ?? 0.1;
  const maxValidation = options.maxValidationRows ?? Math.max(500, Math.min(20_000, Math.floor(200_000 / width)));
  assertInt(sampleRows, 'sampleRows', 1);
  assertNumber(fraction, 'validationFraction', 0, 0.5);
  assertInt(maxValidation, 'maxValidationRows', 0);
  const every = fraction > 0 ? Math.max(2, Math.round(1 / fraction)) : 0;
  const spec: readonly ColumnSpec[] = Array.isArray(options.target)
    ? (options.target as readonly ColumnSpec[])
    : [options.target as ColumnSpec];
  const targets = resolveColumns(spec, csv.columns, 'target column');
  // Validation rows: every k-th from the start, up to the cap, so every epoch leaves out the same ones.
  const isValidation = (i: number): boolean => every > 0 && i < maxValidation * every && i % every === every - 1;
  const first = await samplePass(csv, sampleRows, targets, isValidation, new Rng(seed));
  let pipeline = fitPipeline(first.sample, { ...options, columns: csv.columns });
  if (pipeline.target.kind === 'label' && first.labels !== undefined) {
    const all = [...new Set([...pipeline.target.classes, ...first.labels])];
    if (all.length > pipeline.target.classes.length)
      pipeline = fitPipeline(first.sample, { ...options, columns: csv.columns, classes: all });
  }
  pipeline = {
    ...pipeline,
    notes: [
      ...pipeline.notes,
      first.sample.length < first.rows
        ? `streamed: the preprocessing was fitted on a uniform sample of ${String(first.sample.length)} of ${String(first.rows)} rows`
        : `streamed: ${String(first.rows)} rows`,
    ],
  };
  const task = targetTask(pipeline.target);
  const sampled = transformRecords(pipeline, first.sample, { withTargets: true });
  const plan = planTraining(
    { rows: first.rows, inputs: sampled.x.cols, outputs: (sampled.y as Matrix).cols, task },
    {
      validationFolds: 1,
      validationFraction: fraction,
      ...(options.hidden === undefined ? {} : { hidden: options.hidden }),
      ...(options.activation === undefined ? {} : { activation: options.activation }),
      ...(options.learningRate === undefined ? {} : { learningRate: options.learningRate }),
      ...(options.weightDecay === undefined ? {} : { weightDecay: options.weightDecay }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    },
  );
  const scale = task === 'regression' ? columnScale(sampled.y as Matrix) : undefined;
  const net = buildPlannedNetwork(plan, sampled.x.cols, (sampled.y as Matrix).cols, task, seed, options.backend);
  const rowsOf = async function* (want: (i: number) => boolean): AsyncGenerator<StreamBatch> {
    for await (const batch of csv.batches()) {
      const records = batch.records.filter((_, j) => want(batch.first + j));
      if (records.length === 0) continue;
      const t = transformed(pipeline, records, scale);
      if (t !== undefined) yield t;
    }
  };
  const heldOut = first.validation.length === 0 ? undefined : transformed(pipeline, first.validation, undefined);
  const validation = heldOut && { x: heldOut.x as Matrix, y: heldOut.y as Matrix };
  options.onSampled?.({ rows: first.rows, sampled: first.sample.length, validation, pipeline, plan });
  const epochs = options.epochs ?? Math.max(10, Math.min(plan.maxEpochs, Math.round(2e6 / first.rows)));
  const patience = options.patience ?? Math.max(3, Math.min(plan.patience, Math.round(epochs / 10)));
  const history = await fitStream(net, () => rowsOf((i) => !isValidation(i)), {
    epochs,
    batchSize: plan.batchSize,
    seed,
    ...(options.shuffleBuffer === undefined ? {} : { shuffleBuffer: options.shuffleBuffer }),
    ...(validation === undefined
      ? {}
      : {
          validationData: [
            validation.x,
            scale === undefined ? validation.y : standardized(validation.y, scale),
          ] as const,
          patience,
        }),
    ...(options.onEpochEnd === undefined ? {} : { onEpochEnd: options.onEpochEnd }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (scale !== undefined) foldTargetScale(net, scale);
  return new TableModel(net, pipeline, history);
}

interface FirstPass {
  readonly rows: number;
  /** A uniform sample of the training rows. */
  readonly sample: CsvRecord[];
  readonly validation: CsvRecord[];
  /** Every target text seen, unless there were too many for a class label. */
  readonly labels: string[] | undefined;
}

/**
 * Counts the rows, keeps the validation rows and a uniform sample of the others (Vitter's
 * algorithm R), and collects the target's distinct texts.
 */
async function samplePass(
  csv: CsvStream,
  size: number,
  targets: readonly string[],
  isValidation: (i: number) => boolean,
  rng: Rng,
): Promise<FirstPass> {
  const sample: CsvRecord[] = [];
  const validation: CsvRecord[] = [];
  let labels: Set<string> | undefined = targets.length === 1 ? new Set() : undefined;
  let rows = 0;
  let seen = 0;
  for await (const batch of csv.batches()) {
    for (const record of batch.records) {
      if (isValidation(rows)) validation.push(record);
      else if (sample.length < size) sample.push(record);
      else {
        const j = rng.int(seen + 1);
        if (j < size) sample[j] = record;
      }
      if (!isValidation(rows)) seen++;
      rows++;
      if (labels !== undefined) {
        const text = cellText(record[targets[0] as string]);
        // Compared as the pipeline compares class labels, so `1` and `1.0` are one class.
        if (!isMissing(text)) labels.add(canonicalLabel(text));
        if (labels.size > MAX_LABELS) labels = undefined;
      }
    }
  }
  if (rows === 0) throw new NeuriteError('EMPTY_DATA', 'the CSV has a header but no data rows');
  return { rows, sample, validation, labels: labels === undefined ? undefined : [...labels] };
}

/** The rows as network inputs and (standardised) targets; undefined when none has a usable target. */
function transformed(
  pipeline: Pipeline,
  records: readonly CsvRecord[],
  scale: Scale | undefined,
): StreamBatch | undefined {
  try {
    const t = transformRecords(pipeline, records, { withTargets: true });
    const y = t.y as Matrix;
    return { x: t.x, y: scale === undefined ? y : standardized(y, scale) };
  } catch (e) {
    if (e instanceof NeuriteError && e.code === 'EMPTY_DATA') return undefined;
    throw e;
  }
}
