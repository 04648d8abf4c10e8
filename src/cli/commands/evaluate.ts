import type { Command } from 'commander';
import { DATASET_NAMES, prepareInputs } from '../data.js';
import { UsageError } from '../errors.js';
import { addCsvOptions, csvReadOptions, type CsvFlags } from '../csv-options.js';
import { MODEL_FILE_HELP, loadModelFile } from '../model-file.js';
import { intArg } from '../options.js';
import { fmt, pct, processIo, textTable, type Io } from '../output.js';
import { describeDatasetRows, rowsOption, type RowsChoice } from '../rows.js';
import { scorecardJson, scorecardText, storedBaseline } from '../scorecard.js';
import { score } from '../training.js';

interface EvaluateOptions extends CsvFlags {
  model: string;
  data?: string;
  dataset?: string;
  limit?: number;
  rows: RowsChoice;
  dropInvalid?: boolean;
  backend: string;
  json?: boolean;
}

/** Registers `neurite evaluate`. */
export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description(
      'score a saved model on labelled data: loss, accuracy, balanced accuracy, F1, ROC-AUC, log loss, per-class precision/recall/F1 and the confusion matrix (or R², RMSE and MAE for regression), each next to the baseline (majority class or training mean)',
    )
    .option('--model <file>', MODEL_FILE_HELP, 'model.json')
    .option('--data <file.csv>', 'labelled CSV file (same columns as for training)');
  addCsvOptions(cmd)
    .option(
      '--dataset <name>',
      `built-in dataset (default without --data: the one the model was trained on): ${DATASET_NAMES.join(', ')}`,
    )
    .addOption(rowsOption())
    .option('--limit <n>', '--dataset: only the first n of the rows --rows selects', intArg(1))
    .option(
      '--drop-invalid',
      'skip rows with missing or invalid cells instead of filling them in (models trained on a table) or failing (older models)',
    )
    .option('--backend <name>', 'compute backend: auto, js or wasm', 'auto')
    .option('--json', 'print the result as JSON')
    .action((opts: EvaluateOptions) => {
      evaluate(opts, processIo);
    });
}

/** Runs `neurite evaluate`. */
export function evaluate(opts: EvaluateOptions, io: Io): void {
  const { net, preprocessing: pre } = loadModelFile(opts.model, opts.backend);
  // No --data and no --dataset: the built-in dataset the model was trained on, if any.
  const dataset =
    opts.dataset ?? (opts.data === undefined && pre.source.kind === 'dataset' ? pre.source.name : undefined);
  const inputs = prepareInputs(pre, net.outputSize, {
    data: opts.data,
    dataset,
    dropInvalid: opts.dropInvalid,
    csv: csvReadOptions(opts),
    limit: opts.limit,
    rows: opts.rows,
  });
  const rowsNote =
    dataset === undefined || inputs.datasetRows === undefined
      ? undefined
      : describeDatasetRows(dataset, pre, inputs.datasetRows);
  if (inputs.y === undefined) {
    const need =
      pre.pipeline !== undefined
        ? pre.pipeline.target.columns.join(', ')
        : pre.csv !== undefined
          ? pre.csv.targets.join(', ')
          : pre.task === 'classification'
            ? 'label'
            : pre.targetNames.join(', ');
    throw new UsageError(`the data has no target column(s) to score against; expected: ${need}`);
  }
  if (opts.json !== true) for (const line of inputs.notes ?? []) io.err(`${line}\n`);
  const s = score(net, pre, { x: inputs.x, y: inputs.y }, storedBaseline(net.metadata));
  if (opts.json === true) {
    io.out(
      `${JSON.stringify({
        rows: s.rows,
        ...(inputs.datasetRows === undefined ? {} : { dataset, datasetRows: inputs.datasetRows }),
        ...(inputs.datasetRows === 'held-out' || inputs.datasetRows === 'training' ? { split: pre.split } : {}),
        dropped: inputs.dropped,
        ...(inputs.notes === undefined ? {} : { preprocessing: inputs.notes }),
        loss: s.loss,
        ...scorecardJson(s.scorecard, pre),
      })}\n`,
    );
    return;
  }
  const lines = [
    ...(rowsNote === undefined ? [] : [`data: ${rowsNote}`]),
    `rows: ${String(s.rows)}${inputs.dropped > 0 ? ` (${String(inputs.dropped)} invalid rows skipped)` : ''}`,
    `loss: ${fmt(s.loss)}`,
  ];
  lines.push(...scorecardText(s.scorecard));
  const c = s.classification;
  if (c !== undefined) {
    lines.push('', 'per class:');
    lines.push(
      textTable([
        ['class', 'precision', 'recall', 'f1', 'support'],
        ...c.perClass.map((p) => [p.label, pct(p.precision), pct(p.recall), fmt(p.f1), String(p.support)]),
      ]),
    );
    lines.push('', 'confusion matrix (rows: actual, columns: predicted):');
    lines.push(textTable([['', ...c.classes], ...c.matrix.map((row, i) => [c.classes[i] ?? '', ...row.map(String)])]));
  } else if (pre.targetNames.length > 1) {
    const r = s.scorecard.regression;
    lines.push(
      '',
      textTable([
        ['target', 'r2', 'rmse', 'mae'],
        ...pre.targetNames.map((t, i) => [t, fmt(r?.perOutput.r2[i]), fmt(s.rmse?.[i]), fmt(s.mae?.[i])]),
      ]),
    );
  }
  io.out(`${lines.join('\n')}\n`);
}
