import { SCHEDULE_HELP, scheduleArg } from '../schedule-option.js';
import type { Command } from 'commander';
import { ACTIVATION_NAMES, OPTIMIZER_NAMES, type ActivationName, type OptimizerName } from '../../index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import { compareChartSpec, renderSvg } from '../../report/charts.js';
import { esc, htmlPage } from '../../report/html.js';
import { prepareBackend } from '../backend.js';
import { describeCsvRead } from '../csv-options.js';
import { neuriteVersion } from '../version.js';
import { choiceListArg, intArg, intListArg, numberArg, outputFileArg } from '../options.js';
import { fmt, fmtColumn, pct, processIo, textTable, type Io } from '../output.js';
import { buildNetwork, runTraining, type TrainSettings } from '../training.js';
import { settingsFrom } from '../train-model.js';
import { addDataOptions, prepareDataFor, type TrainOptions } from './train.js';

interface CompareOptions extends TrainOptions {
  activations: ActivationName[];
  optimizers?: OptimizerName[];
  runs: number;
  chart: string;
}

/** One variant's averaged result. */
interface VariantResult {
  name: string;
  activation: ActivationName;
  optimizer: OptimizerName;
  /** Mean training loss per epoch over the runs. */
  loss: number[];
  /** Mean validation loss per epoch over the runs, with `--val-split`. */
  valLoss?: number[];
  finalLoss: { mean: number; sd: number };
  score: { mean: number; sd: number; metric: 'accuracy' | 'loss' };
  seconds: number;
}

/** Registers `neurite compare`. */
export function register(program: Command): void {
  const cmd = program
    .command('compare')
    .description(
      'train several variants (activations × optimizers) on the same data with the same seeds and plot their loss curves in one chart, plus a table of final loss and accuracy',
    );
  addDataOptions(cmd)
    .option(
      '--activations <names>',
      `hidden activations to compare (${ACTIVATION_NAMES.join(', ')})`,
      choiceListArg(ACTIVATION_NAMES),
      ['sigmoid', 'relu'],
    )
    .option(
      '--optimizers <names>',
      `optimizers to compare (${OPTIMIZER_NAMES.join(', ')})`,
      choiceListArg(OPTIMIZER_NAMES),
    )
    .option('--runs <n>', 'runs per variant (seeds seed, seed+1, …); curves show the mean', intArg(1), 1)
    .option('--layers <sizes>', 'hidden layer sizes, e.g. 16,16', intListArg)
    .option('--lr <rate>', 'learning rate', numberArg(0))
    .option('--epochs <n>', 'passes over the training data', intArg(1))
    .option('--batch-size <n>', 'samples per gradient step', intArg(1))
    .option(
      '--val-split <f>',
      "hold out this fraction of the training rows and draw each variant's validation loss (dashed, same colour)",
      numberArg(0, 1, true),
    )
    .option('--schedule <spec>', SCHEDULE_HELP, scheduleArg)
    .option(
      '--chart <file.svg>',
      'chart to write (always written)',
      outputFileArg('--chart', 'the chart is always written'),
      'compare.svg',
    )
    .option(
      '--report <file.html>',
      'also write an HTML page with the chart and the table',
      outputFileArg('--report', 'leave out --report to skip the page'),
    )
    .option('--json', 'print only a final JSON summary')
    .action(async (opts: CompareOptions) => {
      await compare(opts, processIo);
    });
}

/** The mean curve of several runs, epoch by epoch (runs that stopped early count until they stop). */
function meanCurve(runs: readonly (readonly number[])[]): number[] {
  const epochs = Math.max(0, ...runs.map((l) => l.length));
  return Array.from({ length: epochs }, (_, e) => meanSd(runs.map((l) => l[e] ?? NaN).filter(Number.isFinite)).mean);
}

function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length));
  return { mean, sd };
}

/**
 * The results table: a variant per row; each numeric column formatted alike (same decimals, see
 * {@link fmtColumn}) and right-aligned under a right-aligned header; the `± sd` columns only with
 * several runs.
 */
function resultTable(
  results: readonly VariantResult[],
  runs: number,
  part: string,
): { header: string[]; rows: string[][]; align: ('left' | 'right')[] } {
  const metric = results[0]?.score.metric ?? 'accuracy';
  const scoreColumn = (v: readonly number[]): string[] => (metric === 'accuracy' ? v.map((x) => pct(x)) : fmtColumn(v));
  const columns: [string, string[]][] = [
    ['variant', results.map((v) => v.name)],
    ['final loss', fmtColumn(results.map((v) => v.finalLoss.mean))],
    ...(runs > 1 ? [['± sd', fmtColumn(results.map((v) => v.finalLoss.sd))] as [string, string[]]] : []),
    [`${part} ${metric}`, scoreColumn(results.map((v) => v.score.mean))],
    ...(runs > 1 ? [['± sd', scoreColumn(results.map((v) => v.score.sd))] as [string, string[]]] : []),
    ['seconds', results.map((v) => v.seconds.toFixed(1))],
  ];
  return {
    header: columns.map(([h]) => h),
    rows: results.map((_, r) => columns.map(([, cells]) => cells[r] ?? '')),
    align: columns.map((_, i) => (i === 0 ? 'left' : 'right')),
  };
}

/** Runs `neurite compare`. */
export async function compare(opts: CompareOptions, io: Io): Promise<void> {
  const backend = await prepareBackend(opts.backend, opts.threads, io);
  const dataset = opts.data === undefined ? (opts.dataset ?? 'spiral') : undefined;
  const withDataset: TrainOptions = { ...opts, ...(dataset === undefined ? {} : { dataset }) };
  const data = prepareDataFor(withDataset);
  if (opts.json !== true && data.csvRead !== undefined) io.err(`${describeCsvRead(data.csvRead)}\n`);
  const base = settingsFrom(withDataset, data, backend);
  const optimizers = opts.optimizers ?? [base.optimizer];
  // Validation curves only on request: by default every training row is trained on.
  const valSplit = opts.valSplit ?? 0;
  const results: VariantResult[] = [];
  for (const optimizer of optimizers) {
    for (const activation of opts.activations) {
      const name = optimizers.length > 1 ? `${activation} + ${optimizer}` : activation;
      const losses: number[][] = [];
      const valLosses: number[][] = [];
      const finals: number[] = [];
      const scores: number[] = [];
      let seconds = 0;
      for (let r = 0; r < opts.runs; r++) {
        const s: TrainSettings = { ...base, activation, optimizer, seed: opts.seed + r, valSplit, earlyStop: 0 };
        const net = buildNetwork(data, s);
        const res = await runTraining(net, data, s);
        losses.push(res.history.loss);
        if (res.history.valLoss !== undefined) valLosses.push(res.history.valLoss);
        finals.push(res.history.loss[res.history.loss.length - 1] ?? NaN);
        scores.push(res.scores.accuracy ?? res.scores.loss);
        seconds += res.durationMs / 1000;
      }
      const v: VariantResult = {
        name,
        activation,
        optimizer,
        loss: meanCurve(losses),
        ...(valLosses.length === 0 ? {} : { valLoss: meanCurve(valLosses) }),
        finalLoss: meanSd(finals),
        score: { ...meanSd(scores), metric: data.preprocessing.task === 'classification' ? 'accuracy' : 'loss' },
        seconds,
      };
      results.push(v);
      if (opts.json !== true) {
        io.err(
          `${name}: final loss ${fmt(v.finalLoss.mean)}${v.score.metric === 'accuracy' ? `, accuracy ${pct(v.score.mean)}` : ''}\n`,
        );
      }
    }
  }
  const part = data.test === undefined ? 'train' : 'test';
  const withVal = results.some((v) => v.valLoss !== undefined);
  const title = `${withVal ? 'Training (solid) and validation (dashed) loss' : 'Training loss'} on ${data.name} (${String(opts.runs)} run${opts.runs > 1 ? 's, mean' : ''} per variant)`;
  const svg = await renderSvg(compareChartSpec(results, title));
  const { header, rows, align } = resultTable(results, opts.runs, part);
  const outputs: [string, string][] = [[opts.chart, svg]];
  if (typeof opts.report === 'string') {
    const table = `<table class="grid"><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
    outputs.push([
      opts.report,
      htmlPage({
        title: `neurite compare · ${data.name}`,
        subtitle: title,
        body: `<section id="chart"><h2>Loss</h2>${svg}</section><section id="results"><h2>Final scores</h2>${table}</section>`,
        footer: `neurite ${neuriteVersion()} · ${new Date().toISOString()}`,
      }),
    ]);
  }
  for (const [path, text] of outputs) writeFileAtomic(path, text);
  if (opts.json === true) {
    io.out(
      `${JSON.stringify({
        dataset: data.name,
        runs: opts.runs,
        epochs: base.epochs,
        scoredOn: part,
        valSplit,
        chart: opts.chart,
        variants: results.map((v) => ({ ...v })),
      })}\n`,
    );
    return;
  }
  io.out(`${textTable([header, ...rows], align)}\nwrote ${outputs.map(([p]) => p).join(', ')}\n`);
}
