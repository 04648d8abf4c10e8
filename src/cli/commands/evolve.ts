import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import type { NeuralNetwork } from '../../index.js';
import { evolveCartPole, evolveXor, type GenerationStats } from '../../evolve/index.js';
import { writeFileAtomic } from '../../node/fs-atomic.js';
import { renderSvg, type VlSpec } from '../../report/charts.js';
import { esc } from '../../report/html.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../index.js';
import { evolveModule } from '../evolve-module.js';
import { evolvedPreprocessing } from '../preprocessing.js';
import { UsageError } from '../errors.js';
import { intArg, intListArg, outputFileArg } from '../options.js';
import { fmt, processIo, type Io } from '../output.js';

/** Options of `neurite evolve`. */
export interface EvolveCliOptions {
  task?: 'cartpole' | 'xor';
  module?: string;
  export?: string;
  layers?: number[];
  activation?: ActivationName;
  workers?: number;
  redis?: string;
  queue?: string;
  run?: string;
  population?: number;
  generations?: number;
  seed: number;
  out?: string;
  report?: string;
  json?: boolean;
}

/** Registers `neurite evolve`. */
export function register(program: Command): void {
  program
    .command('evolve')
    .description('evolve a network with a genetic algorithm (no backpropagation) on a built-in task')
    .addOption(new Option('--task <name>', 'built-in task to solve (default cartpole)').choices(['cartpole', 'xor']))
    .option('--module <file.mjs>', 'your fitness instead of a task: an ES module exporting fitness(net, { seed })')
    .option('--export <name>', 'name of the fitness export of --module (default fitness, else default)')
    .option('--layers <sizes>', 'architecture for --module, e.g. 2,6,1', intListArg)
    .addOption(
      new Option('--activation <name>', 'hidden activation for --module').choices(ACTIVATION_NAMES).default('tanh'),
    )
    .option('--workers <n>', 'worker threads for --module without --redis (default: all cores)', intArg(1))
    .option('--redis <url>', 'evaluate --module on `neurite worker` processes through Redis (redis:// or rediss://)')
    .option('--queue <name>', 'queue the workers listen on (default neurite-evolve)')
    .option('--run <name>', 'run name in Redis (default: from the settings, so rerunning resumes)')
    .option('--population <n>', 'individuals per generation', intArg(2))
    .option('--generations <n>', 'generations at most', intArg(1))
    .option('--seed <n>', 'seed of the whole run (same seed, same result)', intArg(0), 1)
    .option(
      '--out <file.json>',
      'write the best network as a model file',
      outputFileArg('--out', 'leave out --out to skip the model file'),
    )
    .option(
      '--report <file.html>',
      'write an HTML report: fitness curves and species over generations',
      outputFileArg('--report', 'leave out --report to skip the report'),
    )
    .option('--json', 'print only a final JSON summary')
    .action(async (opts: EvolveCliOptions) => {
      await runEvolve(opts, processIo);
    });
}

/** Shows one line per generation, or a bar on a terminal. */
function progress(io: Io, json: boolean, total: number): { update(s: GenerationStats): void; stop(): void } {
  if (json) return { update: () => undefined, stop: () => undefined };
  if (!io.isTty) {
    return {
      update: (s) =>
        io.err(
          `generation ${String(s.generation)}: best ${fmt(s.best)} mean ${fmt(s.mean)} worst ${fmt(s.worst)} species ${String(s.species)} diversity ${fmt(s.diversity)}\n`,
        ),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'generation {value}/{total} [{bar}] best {best} mean {mean} species {species}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { best: '—', mean: '—', species: '—' });
  return {
    update: (s) => bar.update(s.generation + 1, { best: fmt(s.best), mean: fmt(s.mean), species: s.species }),
    stop: () => bar.stop(),
  };
}

/** Vega-Lite: best/mean/worst fitness per generation. */
function fitnessSpec(history: readonly GenerationStats[], task: string): VlSpec {
  const values = history.flatMap((h) =>
    (['best', 'mean', 'worst'] as const).map((series) => ({ generation: h.generation, value: h[series], series })),
  );
  return {
    title: `Fitness per generation (${task})`,
    width: 560,
    height: 260,
    data: { values },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'generation', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'fitness', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: ['best', 'mean', 'worst'] },
    },
  };
}

/** Vega-Lite: species count and diversity per generation. */
function speciesSpec(history: readonly GenerationStats[]): VlSpec {
  return {
    title: 'Species over generations',
    width: 560,
    height: 160,
    data: { values: history.map((h) => ({ generation: h.generation, species: h.species })) },
    mark: { type: 'area', line: true, opacity: 0.4, interpolate: 'step-after' },
    encoding: {
      x: { field: 'generation', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'species', type: 'quantitative', title: 'species', axis: { tickMinStep: 1 } },
    },
  };
}

/** A self-contained HTML page with both charts (inline SVG) and a summary table. */
async function reportHtml(
  task: string,
  history: readonly GenerationStats[],
  summary: Record<string, unknown>,
): Promise<string> {
  const [fitness, species] = await Promise.all([
    renderSvg(fitnessSpec(history, task)),
    renderSvg(speciesSpec(history)),
  ]);
  const rows = Object.entries(summary)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'number' ? fmt(v) : String(v))}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>neurite evolve: ${esc(task)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse}th,td{padding:.2em .8em;text-align:left;border-bottom:1px solid #eee}</style>
</head><body><h1>neurite evolve: ${esc(task)}</h1><table>${rows}</table><figure>${fitness}</figure><figure>${species}</figure></body></html>\n`;
}

/** Runs `neurite evolve`; returns the summary it prints. */
export async function runEvolve(opts: EvolveCliOptions, io: Io): Promise<Record<string, unknown>> {
  const json = opts.json === true;
  const task = opts.task ?? (opts.module !== undefined ? 'module' : 'cartpole');
  if (opts.module !== undefined && opts.task !== undefined) throw new UsageError('give --task or --module, not both');
  for (const [flag, value] of [
    ['--layers', opts.layers],
    ['--redis', opts.redis],
    ['--workers', opts.workers],
    ['--export', opts.export],
  ] as const) {
    if (opts.module === undefined && value !== undefined) throw new UsageError(`${flag} goes with --module`);
  }
  const common = {
    seed: opts.seed,
    speciation: { threshold: 0.5, targetSpecies: 5 },
    ...(opts.population !== undefined ? { populationSize: opts.population } : {}),
  };
  let best: NeuralNetwork;
  let history: GenerationStats[];
  let summary: Record<string, unknown>;
  if (opts.module !== undefined) {
    if (opts.layers === undefined) throw new UsageError('--module needs --layers, e.g. --layers 2,6,1');
    const generations = opts.generations ?? 50;
    const bar = progress(io, json, generations);
    const r = await evolveModule(
      {
        module: opts.module,
        exportName: opts.export ?? 'fitness',
        layers: opts.layers,
        activation: opts.activation ?? 'tanh',
        population: opts.population ?? 50,
        generations,
        seed: opts.seed,
        workers: opts.workers,
        redis: opts.redis,
        queue: opts.queue,
        run: opts.run,
      },
      (s) => bar.update(s),
    );
    bar.stop();
    ({ best, history } = r);
    summary = {
      task: 'module',
      module: opts.module,
      layers: opts.layers.join(','),
      generations: r.generations,
      evaluations: r.evaluations,
      bestFitness: r.bestFitness,
      stopReason: r.stopReason,
      seed: opts.seed,
      ...(r.run !== undefined ? { run: r.run } : {}),
    };
  } else if (task === 'xor') {
    const generations = opts.generations ?? 300;
    const bar = progress(io, json, generations);
    const r = await evolveXor({ ...common, generations, onGeneration: (s) => bar.update(s) });
    bar.stop();
    ({ best, history } = r);
    summary = {
      task: 'xor',
      solved: r.solved,
      generations: r.generations,
      mse: r.mse,
      bestFitness: r.bestFitness,
      stopReason: r.stopReason,
      seed: opts.seed,
    };
  } else {
    const generations = opts.generations ?? 50;
    const bar = progress(io, json, generations);
    const r = await evolveCartPole({ ...common, generations, onGeneration: (s) => bar.update(s) });
    bar.stop();
    best = r.controller;
    history = r.history;
    summary = {
      task: 'cartpole',
      solved: r.validation.solved,
      solvedAtGeneration: r.solvedAt ?? null,
      generations: history.length,
      validationMean: r.validation.mean,
      validationMin: r.validation.min,
      seed: opts.seed,
    };
  }
  if (opts.out !== undefined) {
    best.metadata['preprocessing'] = evolvedPreprocessing(best.inputSize, best.outputSize, opts.module ?? task);
    writeFileAtomic(opts.out, `${JSON.stringify(best.toJSON())}\n`);
    summary['out'] = opts.out;
  }
  if (opts.report !== undefined) {
    writeFileAtomic(opts.report, await reportHtml(task, history, summary));
    summary['report'] = opts.report;
  }
  if (json) {
    const curve = history.map((h) => ({ generation: h.generation, best: h.best, mean: h.mean, worst: h.worst }));
    io.out(
      `${JSON.stringify({ ...summary, history: curve, best: { fitness: Math.max(...history.map((h) => h.best)) } })}\n`,
    );
  } else
    io.out(
      `${Object.entries(summary)
        .map(([k, v]) => `${k}: ${typeof v === 'number' ? fmt(v) : String(v)}`)
        .join('\n')}\n`,
    );
  return summary;
}
