import { describeSchedule } from './schedule-option.js';
import type { NeuralNetwork } from '../index.js';
import { renderReport } from '../report/html.js';
import type { PreparedData } from './data.js';
import { fmt, pct } from './output.js';
import type { TrainResult, TrainSettings } from './training.js';
import { neuriteVersion } from './version.js';
import { preprocessingNotes } from './preprocessing-notes.js';
import { scorecardReport } from './scorecard.js';

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
  results['epochs'] =
    `${String(r.history.epochs)}${r.history.stopReason === 'completed' ? '' : ` (${r.history.stopReason})`}`;
  results['training time'] = `${(r.durationMs / 1000).toFixed(1)} s`;
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
