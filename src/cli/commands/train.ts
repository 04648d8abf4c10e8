import { Option, type Command } from 'commander';
import { ACTIVATION_NAMES, LOSS_NAMES, OPTIMIZER_NAMES, type NeuralNetwork } from '../../index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import { lossChartSvg, renderReport } from '../../report/html.js';
import { prepareBackend } from '../backend.js';
import { DATASET_NAMES, prepareTrainingData, type PreparedData } from '../data.js';
import { addCsvOptions, csvReadOptions, describeCsvRead, type CsvFlags } from '../csv-options.js';
import { EXIT_INTERRUPTED } from '../errors.js';
import { modelFileText } from '../model-file.js';
import { intArg, intListArg, listArg, numberArg, outputFileArg } from '../options.js';
import { fmt, pct, processIo, type Io } from '../output.js';
import { createProgress, progressMode } from '../progress.js';
import { MAX_SHIFTS } from '../augment.js';
import {
  buildNetwork,
  defaultsFor,
  outputFor,
  runTraining,
  type TrainResult,
  type TrainSettings,
} from '../training.js';
import { neuriteVersion } from '../version.js';
import { preprocessingNotes } from '../preprocessing-notes.js';
import { scorecardReport, scorecardSummary, scorecardText } from '../scorecard.js';
import { onInterrupt } from '../signals.js';

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
  schedule?: 'cosine' | 'none';
  epochs?: number;
  batchSize?: number;
  valSplit?: number;
  testSplit?: number;
  earlyStop?: number;
  dropout?: number;
  augment?: number;
  seed: number;
  backend: string;
  threads?: number;
  limit?: number;
  standardize?: boolean;
  dropInvalid?: boolean;
  out: string;
  report: string | false;
  plot?: string;
  json?: boolean;
}

/** Adds the options shared by `train` and `compare` (data selection and training hyper-parameters). */
export function addDataOptions(cmd: Command): Command {
  return addCsvOptions(
    cmd
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
      'fraction held out for testing (default 0.2; MNIST uses its fixed 8,000/2,000 split)',
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
    .option('--drop-invalid', 'skip CSV rows with missing or invalid cells instead of failing')
    .option('--seed <n>', 'seed for the split, initial weights and shuffling', intArg(0), 1)
    .option('--backend <name>', 'compute backend: auto, js or wasm', 'auto')
    .option('--threads <n>', 'worker threads for the wasm backend (where supported)', intArg(1));
}

/** Registers `neurite train`. */
export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description(
      'train a network on a CSV file or a built-in dataset; writes the model file and an HTML report.\nWith no options: 784-256-128-10 on the 10,000 real MNIST digits (≥ 95% test accuracy).',
    );
  addDataOptions(cmd)
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
    .addOption(new Option('--schedule <name>', 'learning-rate schedule').choices(['cosine', 'none']))
    .option('--epochs <n>', 'passes over the training data', intArg(0))
    .option('--batch-size <n>', 'samples per gradient step', intArg(1))
    .option('--val-split <f>', 'fraction of the training rows held out for the validation curve', numberArg(0, 1, true))
    .option(
      '--early-stop <n>',
      'stop after n epochs without improvement of the validation loss (restores the best weights)',
      intArg(1),
    )
    .option('--dropout <rate>', 'dropout rate on hidden layers', numberArg(0, 1, true))
    .option(
      '--augment <n>',
      `image datasets: add n one-pixel-shifted copies of each training image (0–${String(MAX_SHIFTS)})`,
      intArg(0),
    )
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
    .option('--no-report', 'do not write a report')
    .option(
      '--plot <file.svg>',
      'also write the loss chart alone as SVG',
      outputFileArg('--plot', 'leave out --plot to skip the chart'),
    )
    .option('--json', 'print only a final JSON summary')
    .action(async (opts: TrainOptions, command: Command) => {
      process.exitCode = await train(
        opts,
        processIo,
        command.optsWithGlobals<{ verbose?: boolean }>().verbose === true,
      );
    });
}

/** The settings of a run: the user's options over the dataset's defaults. */
export function settingsFrom(opts: TrainOptions, data: PreparedData, backend: string): TrainSettings {
  const d = defaultsFor(opts.data !== undefined ? undefined : (opts.dataset ?? 'mnist'));
  const out = outputFor(data.preprocessing, data.train.y.cols);
  return {
    hidden: opts.layers ?? d.hidden,
    activation: opts.activation ?? d.activation,
    outputActivation: opts.outputActivation ?? out.outputActivation,
    loss: opts.loss ?? out.loss,
    optimizer: opts.optimizer ?? d.optimizer,
    learningRate: opts.lr ?? d.learningRate,
    schedule: opts.schedule ?? d.schedule,
    epochs: opts.epochs ?? d.epochs,
    batchSize: opts.batchSize ?? d.batchSize,
    valSplit: opts.valSplit ?? d.valSplit,
    earlyStop: opts.earlyStop ?? d.earlyStop,
    dropout: opts.dropout ?? d.dropout,
    augment: Math.min(MAX_SHIFTS, opts.augment ?? d.augment),
    seed: opts.seed,
    backend,
  };
}

/** Loads and prepares the data the data options of `train` (and `compare`) ask for. */
export function prepareDataFor(opts: TrainOptions): PreparedData {
  return prepareTrainingData({
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
  });
}

/** Runs `neurite train`; returns the exit code. */
export async function train(opts: TrainOptions, io: Io, verbose: boolean): Promise<number> {
  const backend = await prepareBackend(opts.backend, opts.threads, io);
  const data = prepareDataFor(opts);
  const s = settingsFrom(opts, data, backend);
  const net = buildNetwork(data, s);
  const json = opts.json === true;
  if (!json) {
    if (data.csvRead !== undefined) io.err(`${describeCsvRead(data.csvRead)}\n`);
    io.err(
      `training ${data.name}: ${String(data.train.x.rows)} training rows${data.test ? `, ${String(data.test.x.rows)} test rows` : ''}; network ${[net.inputSize, ...s.hidden, net.outputSize].join('-')} ${s.activation}/${s.outputActivation}, ${s.loss}, ${s.optimizer} lr ${String(s.learningRate)}, backend ${net.backend.name}\n`,
    );
    if (data.dropped > 0) io.err(`skipped ${String(data.dropped)} invalid rows (--drop-invalid)\n`);
    if (verbose) io.err(`${net.summary()}\n`);
  }
  const progress = createProgress(progressMode(io, json), io);
  const controller = new AbortController();
  const release = onInterrupt(() => {
    if (!json) io.err('\ninterrupted: stopping after this batch, then saving the model and report…\n');
    controller.abort();
  });
  let result: TrainResult;
  try {
    result = await runTraining(net, data, s, {
      signal: controller.signal,
      onStart: (info) => progress.start(info),
      onBatchEnd: (b, logs) => progress.batch(b, logs),
      onEpochEnd: (e, logs) => progress.epoch(e, logs),
    });
  } finally {
    progress.stop();
    release();
  }
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
    const what = result.scoredOn === 'test' ? 'test' : 'training (no test split)';
    const metric =
      sc.accuracy !== undefined
        ? `accuracy ${pct(sc.accuracy)}`
        : `rmse ${(sc.rmse ?? []).map((v) => fmt(v)).join(', ')}`;
    io.out(
      `${result.history.stopReason === 'aborted' ? 'stopped' : 'done'} after ${String(result.history.epochs)} epochs in ${(result.durationMs / 1000).toFixed(1)}s: ${what} loss ${fmt(sc.loss)}, ${metric}\n`,
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
  return {
    preprocessing: data.preprocessing,
    training: {
      date: new Date().toISOString(),
      neuriteVersion: neuriteVersion(),
      settings: { ...s, hidden: [...s.hidden], backend: net.backend.name },
      history: r.history,
      ...resultSummary(data, s, r, net),
    },
  };
}

async function trainReport(net: NeuralNetwork, data: PreparedData, s: TrainSettings, r: TrainResult): Promise<string> {
  const pre = data.preprocessing;
  const sc = r.scores;
  const part = r.scoredOn;
  const card = scorecardReport(sc.scorecard, pre, part, sc.loss);
  const results = card.results;
  results['epochs'] =
    `${String(r.history.epochs)}${r.history.stopReason === 'completed' ? '' : ` (${r.history.stopReason})`}`;
  results['training time'] = `${(r.durationMs / 1000).toFixed(1)} s`;
  const source = pre.source.kind === 'csv' ? `CSV file ${pre.source.file}` : `built-in dataset ${pre.source.name}`;
  return renderReport({
    title: `neurite · ${data.name}`,
    net,
    history: r.history,
    dataset: {
      dataset: data.name,
      source,
      task: pre.task,
      inputs: `${String(pre.featureNames.length)}${pre.featureNames.length <= 12 ? ` (${pre.featureNames.join(', ')})` : ''}`,
      outputs:
        pre.classes !== undefined
          ? `${String(pre.classes.length)} classes (${pre.classes.join(', ')})`
          : pre.targetNames.join(', '),
      'training rows':
        r.trainRows === r.sourceRows
          ? r.trainRows
          : `${r.sourceRows.toLocaleString('en-US')} (${r.trainRows.toLocaleString('en-US')} with augmentation)`,
      'validation rows': r.valRows,
      'test rows': data.test?.x.rows ?? 0,
      standardisation: pre.standardize === null ? 'none' : 'per column, training-split statistics',
      ...(s.augment > 0 && pre.image !== undefined
        ? { augmentation: `${String(s.augment)} one-pixel shifts per image` }
        : {}),
      ...(data.dropped > 0 ? { 'rows dropped': data.dropped } : {}),
    },
    settings: {
      layers: [net.inputSize, ...s.hidden, net.outputSize].join(' → '),
      activation: s.activation,
      'output activation': s.outputActivation,
      loss: s.loss,
      optimizer: s.optimizer,
      'learning rate': `${String(s.learningRate)}${s.schedule === 'cosine' ? ' (cosine decay)' : ''}`,
      'batch size': s.batchSize,
      epochs: s.epochs,
      ...(s.dropout > 0 ? { dropout: s.dropout } : {}),
      ...(s.earlyStop > 0 ? { 'early stopping': `patience ${String(s.earlyStop)}` } : {}),
      seed: s.seed,
      backend: net.backend.name,
      parameters: net.parameterCount,
    },
    results,
    baseline: card.baseline,
    worseThanBaseline: card.worseThanBaseline,
    warnings: card.warnings,
    regression: card.regression,
    preprocessing: preprocessingNotes(data),
    classification: sc.classification,
    images:
      pre.image !== undefined && data.rawTestX !== undefined
        ? { rows: pre.image.rows, cols: pre.image.cols, pixels: data.rawTestX }
        : undefined,
    ...(pre.featureNames.length <= 24 ? { inputNames: pre.featureNames } : {}),
    outputNames: pre.classes !== undefined && net.outputSize > 1 ? pre.classes : pre.targetNames,
    footer: `neurite ${neuriteVersion()} · ${new Date().toISOString()}`,
  });
}
