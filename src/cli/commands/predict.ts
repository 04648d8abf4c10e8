import type { Command } from 'commander';
import { invertStandardize } from '../../data/index.js';
import { DATASET_NAMES, prepareInputs } from '../data.js';
import { addCsvOptions, csvReadOptions, type CsvFlags } from '../csv-options.js';
import { MODEL_FILE_HELP, loadModelFile } from '../model-file.js';
import { intArg } from '../options.js';
import { processIo, type Io } from '../output.js';
import { describeDatasetRows, rowsOption, type RowsChoice } from '../rows.js';
import { classIndices } from '../../report/metrics.js';

interface PredictOptions extends CsvFlags {
  model: string;
  data?: string;
  input?: string;
  dataset?: string;
  limit?: number;
  rows: RowsChoice;
  dropInvalid?: boolean;
  backend: string;
}

/** Registers `neurite predict`. */
export function register(program: Command): void {
  const cmd = program
    .command('predict')
    .description(
      'run a saved model on new rows; prints CSV on stdout (class label and one probability per class, or the predicted values)',
    )
    .option('--model <file>', MODEL_FILE_HELP, 'model.json')
    .option('--data <file.csv>', 'CSV file with the feature columns (target columns, if present, are ignored)');
  addCsvOptions(cmd)
    .option('--input <v1,v2,…>', 'one row of raw feature values, in the order of the training columns')
    .option('--dataset <name>', `built-in dataset: ${DATASET_NAMES.join(', ')}`)
    .addOption(rowsOption())
    .option('--limit <n>', '--dataset: only the first n of the rows --rows selects', intArg(1))
    .option(
      '--drop-invalid',
      'skip rows with missing or invalid cells instead of filling them in (models trained on a table) or failing (older models)',
    )
    .option('--backend <name>', 'compute backend: auto, js or wasm', 'auto')
    .action((opts: PredictOptions) => {
      predict(opts, processIo);
    });
}

/** Quotes a CSV cell when needed (RFC 4180). */
function cell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Runs `neurite predict`. Numbers are printed in full (the float32 outputs' shortest exact form).
 * With `--dataset`, a note on stderr says which of its rows were used.
 */
export function predict(opts: PredictOptions, io: Io): void {
  const { net, preprocessing: pre } = loadModelFile(opts.model, opts.backend);
  const inputs = prepareInputs(pre, net.outputSize, {
    data: opts.data,
    input: opts.input,
    dataset: opts.dataset,
    dropInvalid: opts.dropInvalid,
    csv: csvReadOptions(opts),
    limit: opts.limit,
    rows: opts.rows,
    inputsOnly: true,
  });
  if (opts.dataset !== undefined && inputs.datasetRows !== undefined) {
    io.err(`data: ${describeDatasetRows(opts.dataset, pre, inputs.datasetRows)}\n`);
  }
  for (const line of inputs.notes ?? []) io.err(`${line}\n`);
  const out = net.predictBatch(inputs.x);
  const rows: string[] = [];
  // A `row` column when the rows are not simply every input row in order.
  const withRow = inputs.rows !== undefined && (inputs.dropped > 0 || inputs.datasetRows !== undefined);
  if (pre.task === 'classification') {
    const classes = pre.classes ?? pre.targetNames;
    const idx = classIndices(out);
    rows.push([...(withRow ? ['row'] : []), 'label', ...classes.map((c) => `p_${c}`)].map(cell).join(','));
    for (let r = 0; r < out.rows; r++) {
      const probs =
        out.cols === 1
          ? [1 - (out.data[r] as number), out.data[r] as number]
          : Array.from(out.data.subarray(r * out.cols, (r + 1) * out.cols));
      const label = classes[idx[r] as number] ?? '';
      rows.push([...(withRow ? [String(inputs.rows?.[r])] : []), cell(label), ...probs.map(String)].join(','));
    }
  } else {
    const values = pre.targetStandardize === null ? out : invertStandardize(out, pre.targetStandardize);
    rows.push([...(withRow ? ['row'] : []), ...pre.targetNames].map(cell).join(','));
    for (let r = 0; r < values.rows; r++) {
      const v = Array.from(values.data.subarray(r * values.cols, (r + 1) * values.cols), String);
      rows.push([...(withRow ? [String(inputs.rows?.[r])] : []), ...v].join(','));
    }
  }
  io.out(`${rows.join('\n')}\n`);
}
