import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { MODEL_FILE_HELP, loadModelFile } from '../model-file.js';
import { intArg } from '../options.js';
import { fmt, processIo, textTable, type Io } from '../output.js';

interface InspectOptions {
  model: string;
  layer?: number;
  neuron?: number;
  json?: boolean;
}

/** Registers `neurite inspect`. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('show a saved model: architecture summary and training facts, or the weights and bias of one neuron')
    .option('--model <file>', MODEL_FILE_HELP, 'model.json')
    .option('--layer <l>', 'layer index (0 = first hidden layer)', intArg(0))
    .option('--neuron <j>', 'neuron index within the layer (needs --layer)', intArg(0))
    .option('--json', 'print as JSON')
    .action((opts: InspectOptions) => {
      inspect(opts, processIo);
    });
}

/** Runs `neurite inspect`. */
export function inspect(opts: InspectOptions, io: Io): void {
  const { net, preprocessing: pre } = loadModelFile(opts.model);
  if (opts.neuron !== undefined && opts.layer === undefined) throw new UsageError('--neuron needs --layer');
  const training = (net.metadata['training'] ?? {}) as Record<string, unknown>;
  if (opts.layer !== undefined) {
    const l = opts.layer;
    const layer = net.layers[l];
    if (layer === undefined) {
      throw new UsageError(
        `--layer ${String(l)} is out of range; the model has ${String(net.layers.length)} layers (0…${String(net.layers.length - 1)})`,
      );
    }
    if (opts.neuron !== undefined && opts.neuron >= layer.units) {
      throw new UsageError(
        `--neuron ${String(opts.neuron)} is out of range; layer ${String(l)} has ${String(layer.units)} neurons (0…${String(layer.units - 1)})`,
      );
    }
    const inputNames =
      l === 0
        ? pre.featureNames
        : Array.from({ length: layer.inputs }, (_, i) => `layer ${String(l - 1)} #${String(i)}`);
    const neurons = opts.neuron !== undefined ? [opts.neuron] : Array.from({ length: layer.units }, (_, j) => j);
    if (opts.json === true) {
      io.out(
        `${JSON.stringify({
          layer: l,
          units: layer.units,
          inputs: layer.inputs,
          activation: layer.activation.name,
          inputNames,
          neurons: neurons.map((j) => ({ neuron: j, ...net.getNeuron(l, j) })),
        })}\n`,
      );
      return;
    }
    const lines = [
      `layer ${String(l)}: dense ${String(layer.inputs)} → ${String(layer.units)}, ${layer.activation.name}`,
    ];
    if (opts.neuron !== undefined) {
      const n = net.getNeuron(l, opts.neuron);
      lines.push(`neuron ${String(opts.neuron)}: bias ${String(n.bias)}`, '');
      lines.push(textTable([['input', 'weight'], ...n.weights.map((w, i) => [inputNames[i] ?? String(i), String(w)])]));
    } else {
      lines.push(
        textTable([
          ['neuron', 'bias', 'min w', 'max w', 'mean |w|'],
          ...neurons.map((j) => {
            const n = net.getNeuron(l, j);
            const mean = n.weights.reduce((s, w) => s + Math.abs(w), 0) / Math.max(1, n.weights.length);
            return [String(j), fmt(n.bias), fmt(Math.min(...n.weights)), fmt(Math.max(...n.weights)), fmt(mean)];
          }),
        ]),
      );
    }
    io.out(`${lines.join('\n')}\n`);
    return;
  }
  if (opts.json === true) {
    io.out(
      `${JSON.stringify({
        inputs: net.inputSize,
        layers: net.layers.map((x) => ({
          units: x.units,
          activation: x.activation.name,
          parameters: x.parameterCount,
        })),
        parameters: net.parameterCount,
        loss: net.loss.name,
        optimizer: net.optimizer.spec,
        task: pre.task,
        featureNames: pre.featureNames,
        targetNames: pre.targetNames,
        classes: pre.classes ?? null,
        standardized: pre.standardize !== null,
        training,
      })}\n`,
    );
    return;
  }
  const facts: string[][] = [
    ['task', pre.task],
    [
      'source',
      pre.source.kind === 'csv'
        ? `CSV ${pre.source.file}`
        : pre.source.kind === 'table'
          ? "a table (the library's fitTable)"
          : pre.source.kind === 'evolve'
            ? `evolved (neurite evolve, fitness ${pre.source.fitness})`
            : pre.source.kind === 'network'
              ? 'a network saved without preprocessing (the library, or evolve --out): inputs used as given'
              : `dataset ${pre.source.name}`,
    ],
    [
      'inputs',
      pre.featureNames.length <= 10
        ? pre.featureNames.join(', ')
        : `${String(pre.featureNames.length)} (${pre.featureNames.slice(0, 4).join(', ')}, …)`,
    ],
    ['outputs', (pre.classes ?? pre.targetNames).join(', ')],
    ['standardised inputs', pre.standardize === null ? 'no' : 'yes (training-split statistics)'],
  ];
  for (const k of [
    'date',
    'neuriteVersion',
    'epochs',
    'stopReason',
    'testAccuracy',
    'testLoss',
    'trainAccuracy',
    'trainLoss',
  ]) {
    const v = training[k];
    if (typeof v === 'string' || typeof v === 'number') facts.push([k, typeof v === 'number' ? fmt(v) : v]);
  }
  // Facts are words and numbers mixed: all left-aligned, so a number is not pushed to the right
  // edge of the widest value.
  io.out(`${net.summary()}\n\n${textTable(facts, ['left', 'left'])}\n`);
}
