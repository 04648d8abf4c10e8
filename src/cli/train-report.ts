import { describeSchedule } from './schedule-option.js';
import type { History, NeuralNetwork } from '../index.js';
import { renderReport } from '../report/html.js';
import type { PreparedData, XY } from './data.js';
import type { Preprocessing } from './preprocessing.js';
import { fmt, pct } from './output.js';
import { score, type TrainResult, type TrainSettings } from './training.js';
import { neuriteVersion } from './version.js';
import { preprocessingNotes } from './preprocessing-notes.js';
import { scorecardReport } from './scorecard.js';

/** The task, inputs and outputs of the report's dataset table. */
function columnFacts(pre: Preprocessing): Record<string, string> {
  return {
    task: pre.task,
    inputs: `${String(pre.featureNames.length)}${pre.featureNames.length <= 12 ? ` (${pre.featureNames.join(', ')})` : ''}`,
    outputs:
      pre.classes !== undefined
        ? `${String(pre.classes.length)} classes (${pre.classes.join(', ')})`
        : pre.targetNames.join(', '),
  };
}

/** The epochs (and why training stopped early) and the training time, for the results table. */
function runFacts(history: History, seconds: number): Record<string, string> {
  return {
    epochs: `${String(history.epochs)}${history.stopReason === 'completed' ? '' : ` (${history.stopReason})`}`,
    'training time': `${seconds.toFixed(1)} s`,
  };
}

/** The HTML report of a `neurite train` run: data, settings, scores next to the baseline, charts. */
export async function trainReport(
  net: NeuralNetwork,
  data: PreparedData,
  s: TrainSettings,
  r: TrainResult,
): Promise<string> {
  const pre = data.preprocessing;
  const sc = r.scores;
  const part = r.scoredOn;
  const card = scorecardReport(sc.scorecard, pre, part, sc.loss);
  const results = card.results;
  const v = r.validation;
  if (v !== undefined) {
    const show = (x: number): string => (v.metric === 'accuracy' ? pct(x) : fmt(x));
    results[`validation ${v.metric === 'accuracy' ? 'accuracy' : 'R²'}`] =
      `${show(v.score)} on ${String(v.rows)} rows (baseline ${show(v.baseline)})`;
  }
  Object.assign(results, runFacts(r.history, r.durationMs / 1000));
  const source =
    pre.source.kind === 'csv'
      ? `CSV file ${pre.source.file}`
      : pre.source.kind === 'dataset'
        ? `built-in dataset ${pre.source.name}`
        : 'a table';
  return renderReport({
    title: `neurite · ${data.name}`,
    net,
    history: r.history,
    dataset: {
      dataset: data.name,
      source,
      ...columnFacts(pre),
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
      ...(r.plan === undefined ? {} : { 'chosen from the data': r.plan }),
      layers: [net.inputSize, ...s.hidden, net.outputSize].join(' → '),
      activation: s.activation,
      'output activation': s.outputActivation,
      loss: s.loss,
      optimizer: s.optimizer,
      'learning rate': `${String(s.learningRate)}${s.schedule === 'none' ? '' : `, ${describeSchedule(s.schedule)} schedule`}`,
      ...(s.weightDecay > 0 ? { 'weight decay': s.weightDecay } : {}),
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
    inputNames: pre.featureNames, // the drawing labels the inputs it samples by name, however many there are
    outputNames: pre.classes !== undefined && net.outputSize > 1 ? pre.classes : pre.targetNames,
    footer: `neurite ${neuriteVersion()} · ${new Date().toISOString()}`,
  });
}

/** What a streamed run (`train --stream`) knows when it writes its report. */
export interface StreamedRun {
  readonly net: NeuralNetwork;
  readonly history: History;
  readonly pre: Preprocessing;
  /** The held-out rows, targets as the network sees them; undefined when none were held out. */
  readonly validation: XY | undefined;
  readonly rows: number;
  readonly sampled: number;
  readonly plan: string;
  readonly seed: number;
  readonly seconds: number;
}

/**
 * The HTML report of a streamed `neurite train` run: the same page as in-memory training's, with
 * what a run that never holds the file has. Scores and the baseline are on the held-out rows (the
 * baseline fitted on those rows: the training rows are never in memory); there is no test split
 * and no refit. The report says so.
 */
export async function streamedTrainReport(run: StreamedRun, file: string): Promise<string> {
  const { net, pre, validation } = run;
  const card =
    validation === undefined
      ? undefined
      : (() => {
          const sc = score(net, pre, validation);
          return { sc, report: scorecardReport(sc.scorecard, pre, 'validation', sc.loss) };
        })();
  const results: Record<string, string | number> = card?.report.results ?? { validation: 'no rows held out' };
  Object.assign(results, runFacts(run.history, run.seconds));
  return renderReport({
    title: `neurite · ${file} (streamed)`,
    net,
    history: run.history,
    dataset: {
      source: `CSV file ${file}, read piece by piece`,
      ...columnFacts(pre),
      rows: run.rows,
      'preprocessing fitted on': `${run.sampled.toLocaleString('en-US')} sampled rows`,
      'validation rows': validation?.x.rows ?? 0,
      'test rows': 'none (streamed training holds no test split: score a test file with neurite evaluate)',
    },
    settings: {
      'chosen from the data': run.plan,
      layers: [net.inputSize, ...net.layers.map((l) => l.units)].join(' → '),
      activation: net.layers[0]?.activation.name ?? '',
      seed: run.seed,
      backend: net.backend.name,
      parameters: net.parameterCount,
    },
    results,
    baseline: card?.report.baseline,
    worseThanBaseline: card?.report.worseThanBaseline ?? [],
    warnings: [
      ...(card?.report.warnings ?? []),
      'Streamed training: the baseline is fitted on the held-out rows it is scored on (the training rows are never all in memory), and there is no refit on the validation rows.',
    ],
    regression: card?.report.regression,
    classification: card?.sc.classification,
    inputNames: pre.featureNames,
    outputNames: pre.classes !== undefined && net.outputSize > 1 ? pre.classes : pre.targetNames,
    footer: `neurite ${neuriteVersion()} · ${new Date().toISOString()}`,
  });
}
