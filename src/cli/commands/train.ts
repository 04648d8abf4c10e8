import { SCHEDULE_HELP, scheduleArg, type ScheduleOption } from '../schedule-option.js';
import { Option, type Command } from 'commander';
import {
  ACTIVATION_NAMES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  getBackend,
  type EpochLogs,
  type NeuralNetwork,
} from '../../index.js';
import type { ImputeMethod, ScaleMethod } from '../../data/index.js';
import { addTableOptions } from '../table-options.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import { lossChartSvg } from '../../report/html.js';
import { prepareBackend } from '../backend.js';
import { DATASET_NAMES, prepareTrainingData, type DataRequest, type PreparedData } from '../data.js';
import { addCsvOptions, csvReadOptions, describeCsvRead, type CsvFlags } from '../csv-options.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import { modelFileText } from '../model-file.js';
import {
  classWeightOption,
  intArg,
  intListArg,
  listArg,
  numberArg,
  outputFileArg,
  type ClassWeightOption,
} from '../options.js';
import { fmt, pct, processIo, type Io } from '../output.js';
import { createProgress, progressMode } from '../progress.js';
import { MAX_SHIFTS } from '../augment.js';
import { choosesFromData, trainModel, type TrainedModel } from '../train-model.js';
import { trainReport } from '../train-report.js';
import type { TrainResult, TrainSettings } from '../training.js';
import { neuriteVersion } from '../version.js';
import { scorecardSummary, scorecardText } from '../scorecard.js';
import { onInterrupt } from '../signals.js';
import { streams, trainStreaming } from '../stream-training.js';

/** Options of `neurite train` as commander parses them. */
export interface TrainOptions extends CsvFlags {
  data?: string;
  target?: string[];
  dataset?: string;
  task?: 'auto' | 'classification' | 'regression';
  layers?: number[];
  activation?: TrainSettings['activation'];
  outputActivation?: TrainSettings['activation'];
  loss?: TrainSettings['loss'];
  optimizer?: TrainSettings['optimizer'];
  lr?: number;
  schedule?: ScheduleOption;
  epochs?: number;
  batchSize?: number;
  valSplit?: number;
  testSplit?: number;
  earlyStop?: number;
  dropout?: number;
  weightDecay?: number;
  augment?: number;
  classWeight?: ClassWeightOption;
  seed: number;
  backend: string;
  threads?: number;
  limit?: number;
  standardize?: boolean;
  dropInvalid?: boolean;
  features?: string[];
  exclude?: string[];
  impute?: ImputeMethod;
  scale?: ScaleMethod;
  out: string;
  report: string | false;
  plot?: string;
  json?: boolean;
  /** `--stream`/`--no-stream`; undefined: stream files of 256 MiB or more. */
  stream?: boolean;
}

/** Adds the options shared by `train` and `compare` (data selection and training hyper-parameters). */
export function addDataOptions(cmd: Command): Command {
  return addCsvOptions(
    addTableOptions(cmd)
      .option('--data <file.csv>', 'train on a CSV file (delimiter and decimal commas are detected)')
      .option('--target <col[,col…]>', 'target column(s) of --data: names or 1-based column numbers', listArg),
  )
    .addOption(new Option('--dataset <name>', 'built-in dataset (default: mnist)').choices(DATASET_NAMES))
    .addOption(
      new Option('--task <task>', 'force the task instead of inferring it').choices([
        'auto',
        'classification',
        'regression',
      ]),
    )
    .option(
      '--test-split <f>',
      'fraction held out for testing (default: 0 for --data, every row trains; 0.2 for built-in datasets; MNIST uses its fixed 8,000/2,000 split)',
      numberArg(0, 1, true),
    )
    .option(
      '--limit <n>',
      'MNIST: use only the first n training digits (and n/4 test digits), for quick runs',
      intArg(1),
    )
    .option(
      '--no-standardize',
      'use the inputs as they are (default: standardise with training-split statistics; MNIST pixels are kept in [0, 1])',
    )
    .option(
      '--drop-invalid',
      '--data: leave out rows with a missing or unreadable cell in a column the model reads, instead of filling them in (the default, see --impute)',
    )
    .option('--seed <n>', 'seed for the split, initial weights and shuffling', intArg(0), 1)
    .option('--backend <name>', 'compute backend: auto, js or wasm', 'auto')
    .option('--threads <n>', 'worker threads for the wasm backend (where supported)', intArg(1));
}

/** Adds the training hyper-parameter options of `train` (also taken by `cv`, which scores such settings). */
export function addTrainingOptions(cmd: Command): Command {
  return cmd
    .option('--layers <sizes>', 'hidden layer sizes, e.g. 128,64 (empty string for none)', intListArg)
    .addOption(new Option('--activation <name>', 'hidden-layer activation').choices(ACTIVATION_NAMES))
    .addOption(
      new Option(
        '--output-activation <name>',
        'output activation (default: softmax, sigmoid or linear by task)',
      ).choices(ACTIVATION_NAMES),
    )
    .addOption(
      new Option('--loss <name>', 'loss (default: cross-entropy for classes, mse for regression)').choices(LOSS_NAMES),
    )
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZER_NAMES))
    .option('--lr <rate>', 'learning rate', numberArg(0))
    .option('--weight-decay <l2>', 'L2 penalty on the weights (default for --data: 1e-4; else 0)', numberArg(0))
    .option('--schedule <spec>', SCHEDULE_HELP, scheduleArg)
    .option('--epochs <n>', 'passes over the training data', intArg(0))
    .option('--batch-size <n>', 'samples per gradient step', intArg(1))
    .option('--val-split <f>', 'fraction of the training rows held out for the validation curve', numberArg(0, 1, true))
    .option(
      '--early-stop <n>',
      'stop after n epochs without improvement of the validation loss (restores the best weights)',
      intArg(1),
    )
    .option('--dropout <rate>', 'dropout rate on hidden layers', numberArg(0, 1, true))
    .addOption(classWeightOption())
    .option(
      '--augment <n>',
      `image datasets: add n one-pixel-shifted copies of each training image (0–${String(MAX_SHIFTS)})`,
      intArg(0),
    );
}

/** Adds `--out`, `--report` and `--no-report` (`train`, and `tune`, whose refit writes them). */
export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option(
      '--out <file>',
      'model file to write (always written)',
      outputFileArg('--out', 'the model file is always written'),
      'model.json',
    )
    .option(
      '--report <file>',
      'HTML report to write (skip it with --no-report; words such as false or none are refused)',
      outputFileArg('--report', 'use --no-report to skip the report'),
      'report.html',
    )
    .option('--no-report', 'do not write a report');
}

/** Registers `neurite train`. */
export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description(
      'train a network on a CSV file or a built-in dataset; writes the model file and an HTML report.\nWith no options: 784-256-128-10 on the 10,000 real MNIST digits (≥ 95% test accuracy).',
    );
  addOutputOptions(addTrainingOptions(addDataOptions(cmd)))
    .option(
      '--plot <file.svg>',
      'also write the loss chart alone as SVG',
      outputFileArg('--plot', 'leave out --plot to skip the chart'),
    )
    .option('--json', 'print only a final JSON summary')
    .option(
      '--stream',
      '--data: read the file piece by piece, in bounded memory (the default for files of 256 MiB or more); its report scores the held-out rows (no test split, no refit)',
    )
    .option('--no-stream', '--data: read the whole file into memory even when it is large')
    .action(async (opts: TrainOptions, command: Command) => {
      process.exitCode = await train(
        opts,
        processIo,
        command.optsWithGlobals<{ verbose?: boolean }>().verbose === true,
      );
    });
}

/** Loads and prepares the data the data options of `train` (and `compare`) ask for. */
export function prepareDataFor(opts: TrainOptions): PreparedData {
  return prepareTrainingData(dataRequestOf(opts));
}

/** What the data options ask for. */
export function dataRequestOf(opts: TrainOptions): DataRequest {
  return {
    dataset: opts.dataset,
    data: opts.data,
    target: opts.target,
    csv: csvReadOptions(opts),
    task: opts.task,
    testSplit: opts.testSplit,
    seed: opts.seed,
    dropInvalid: opts.dropInvalid,
    limit: opts.limit,
    standardize: opts.standardize === false ? false : undefined,
    features: opts.features,
    exclude: opts.exclude,
    impute: opts.impute,
    scale: opts.scale,
  };
}

/** Runs `neurite train`; returns the exit code. */
export async function train(opts: TrainOptions, io: Io, verbose: boolean): Promise<number> {
  if (streams(opts)) return trainStreaming(opts, io);
  const backend = await prepareBackend(opts.backend, opts.threads, io);
  const data = prepareDataFor(opts);
  const json = opts.json === true;
  const say = (line: string): void => {
    if (!json) io.err(`${line}\n`);
  };
  const rows = `${String(data.train.x.rows)} training rows${data.test ? `, ${String(data.test.x.rows)} test rows` : ''}`;
  if (data.csvRead !== undefined) say(describeCsvRead(data.csvRead));
  if (data.dropped > 0) say(`skipped ${String(data.dropped)} invalid rows (--drop-invalid)`);
  if (data.notes !== undefined) say(`preprocessing:\n${data.notes.map((l) => `  ${l}`).join('\n')}`);
  const progress = createProgress(progressMode(io, json), io);
  const controller = new AbortController();
  const release = onInterrupt(() => {
    say('\ninterrupted: stopping after this batch, then saving the model and report…');
    controller.abort();
  });
  const hooks = {
    signal: controller.signal,
    onStart: (info: { epochs: number; batches: number }) => {
      progress.stop();
      progress.start(info);
    },
    onBatchEnd: (b: number, logs: { loss: number; epoch: number }) => progress.batch(b, logs),
    onEpochEnd: (e: number, logs: EpochLogs) => progress.epoch(e, logs),
  };
  let trained: TrainedModel;
  try {
    if (choosesFromData(opts)) say(`training ${data.name}: ${rows}, backend ${getBackend(backend).name}`);
    trained = await trainModel(data, opts, backend, {
      ...hooks,
      onPlan: (reason) => say(`settings chosen for ${reason}`),
      onDescribe: (line, net) => {
        say(`training ${data.name}: ${rows}; ${line}`);
        if (verbose) say(net.summary());
      },
    });
  } finally {
    progress.stop();
    release();
  }
  const { net, settings: s, result } = trained;
  net.metadata = trainingMetadata(net, data, s, result);
  // Build every output in memory first, so a failure leaves no partial files behind.
  const outputs: [string, string][] = [[opts.out, modelFileText(net)]];
  if (opts.report !== false) outputs.push([opts.report, await trainReport(net, data, s, result)]);
  if (opts.plot !== undefined) outputs.push([opts.plot, await lossChartSvg(result.history)]);
  for (const [path, text] of outputs) writeFileAtomic(path, text);
  const summary = resultSummary(data, s, result, net);
  if (json) {
    io.out(
      `${JSON.stringify({ ...summary, model: opts.out, report: opts.report === false ? null : opts.report, plot: opts.plot ?? null })}\n`,
    );
  } else {
    const sc = result.scores;
    const base = result.baseline;
    const what = result.scoredOn === 'test' ? 'test' : 'training rows';
    const metric =
      sc.accuracy !== undefined
        ? `accuracy ${pct(sc.accuracy)} (baseline ${pct(base.accuracy)})`
        : `rmse ${(sc.rmse ?? []).map((v) => fmt(v)).join(', ')} (baseline ${(base.rmse ?? []).map((v) => fmt(v)).join(', ')})`;
    for (const line of trained.notes) io.out(`${line}\n`);
    io.out(
      `${result.history.stopReason === 'aborted' ? 'stopped' : 'done'} after ${String(s.epochs)} epochs in ${(result.durationMs / 1000).toFixed(1)}s: ${what} loss ${fmt(sc.loss)}, ${metric}\n`,
    );
    io.out(
      `${scorecardText(sc.scorecard)
        .map((l) => `  ${l}`)
        .join('\n')}\n`,
    );
    io.out(`wrote ${outputs.map(([p]) => p).join(', ')}\n`);
  }
  return result.history.stopReason === 'aborted' ? EXIT_INTERRUPTED : 0;
}

/** A JSON-safe summary of the run (the `--json` output and the model's training metadata). */
function resultSummary(
  data: PreparedData,
  s: TrainSettings,
  r: TrainResult,
  net: NeuralNetwork,
): Record<string, unknown> {
  const sc = r.scores;
  return {
    dataset: data.name,
    task: data.preprocessing.task,
    architecture: [net.inputSize, ...s.hidden, net.outputSize],
    backend: net.backend.name,
    epochs: r.history.epochs,
    stopReason: r.history.stopReason,
    durationMs: Math.round(r.durationMs),
    trainRows: r.trainRows,
    valRows: r.valRows,
    scoredOn: r.scoredOn,
    finalLoss: r.history.loss[r.history.loss.length - 1] ?? null,
    finalValLoss: r.history.valLoss?.[r.history.valLoss.length - 1] ?? null,
    [`${r.scoredOn}Loss`]: sc.loss,
    ...(sc.accuracy === undefined ? {} : { [`${r.scoredOn}Accuracy`]: sc.accuracy }),
    ...(sc.rmse === undefined ? {} : { [`${r.scoredOn}Rmse`]: sc.rmse, [`${r.scoredOn}Mae`]: sc.mae }),
    ...(r.validation === undefined ? {} : { validation: r.validation }),
    ...(r.plan === undefined ? {} : { plan: r.plan }),
    // Every metric on the same rows, the baseline's (its fit is what `evaluate` reads back) and warnings.
    ...scorecardSummary(sc.scorecard, data.preprocessing),
  };
}

/** The model file's metadata: preprocessing (used by predict/evaluate) and training facts. */
function trainingMetadata(
  net: NeuralNetwork,
  data: PreparedData,
  s: TrainSettings,
  r: TrainResult,
): Record<string, unknown> {
  // A pipeline is saved beside the preprocessing record, where the library's TableModel keeps it too.
  const { pipeline, ...preprocessing } = data.preprocessing;
  return {
    preprocessing,
    ...(pipeline === undefined ? {} : { pipeline }),
    training: {
      date: new Date().toISOString(),
      neuriteVersion: neuriteVersion(),
      settings: { ...s, hidden: [...s.hidden], backend: net.backend.name },
      history: r.history,
      ...resultSummary(data, s, r, net),
    },
  };
}
