// W1: the seed 002 example, 3 → 2 → 1 sigmoid, per-sample SGD (lr 0.1, MSE), 1000 epochs × 4 samples.
import { NeuralNetwork } from '../../src/index.js';
import { BRAINJS, brainNet, brainVersion, sgd } from '../lib/brainjs.js';
import { median, seconds, secondsAsync } from '../lib/stats.js';
import { loadTf, neuriteBackend, TFJS } from '../lib/subjects.js';
import type { Workload } from '../lib/types.js';

const INPUTS = [
  [170, 70, 25],
  [160, 55, 30],
  [180, 90, 40],
  [150, 45, 20],
];
const TARGETS = [[1], [0], [1], [0]];
const EPOCHS = 1000;
const CPU_NOTE =
  'cold run timed by process CPU time (user + system, all threads: V8 compiler threads count, time the OS deschedules the process does not): for loaded machines';

/** Process CPU seconds so far (user + system, every thread). */
function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

const workload: Workload = {
  id: 'W1',
  title: 'seed-tiny 3→2→1 per-sample SGD',
  subjects: ['neurite-js', 'neurite-wasm-1t', 'neurite-wasm-2t', 'neurite-default', ...TFJS, BRAINJS],
  // The ratio table compares with brain.js, the peer for W1 (cold and warm).
  baseline: BRAINJS,
  async run(subject, emit, { quick }) {
    const steps = EPOCHS * INPUTS.length;
    if (subject.startsWith('neurite')) {
      const { backend, detail } = neuriteBackend(subject);
      // One run is only a few ms, so time many (each a fresh network) after warm-up runs.
      const runs: number[] = [];
      let coldCpu = NaN;
      for (let r = 0; r < (quick ? 12 : 40); r++) {
        const net = new NeuralNetwork({
          layers: [3, 2, 1],
          activation: 'sigmoid',
          loss: 'mse',
          learningRate: 0.1,
          seed: 1,
          backend,
        });
        const cpu = cpuNow();
        runs.push(
          seconds(() => {
            for (let e = 0; e < EPOCHS; e++) for (let i = 0; i < 4; i++) net.train(INPUTS[i]!, TARGETS[i]!);
          }),
        );
        if (r === 0) coldCpu = cpuNow() - cpu;
      }
      // Cold: the first 4,000 steps of a fresh process, what a person running seed 002's script sees.
      emit({ metric: 'cold steps/s', value: steps / runs[0]!, unit: 'steps/s', better: 'higher', detail });
      emit({
        metric: 'cold steps/CPU-s',
        value: steps / coldCpu,
        unit: 'steps/s',
        better: 'higher',
        detail: CPU_NOTE,
      });
      // The first runs pay for JIT warm-up: report the median of the rest.
      emit({
        metric: 'train steps/s',
        value: steps / median(runs.slice(4)),
        unit: 'steps/s',
        better: 'higher',
        detail,
      });
      return;
    }
    if (subject === BRAINJS) {
      // One train() call = 1000 iterations over the 4 samples in order, on a fresh network whose
      // weights are initialised before the clock starts (like the neurite runs).
      const data = INPUTS.map((input, i) => ({ input, output: TARGETS[i]! }));
      const runs: number[] = [];
      let iterations = 0;
      let coldCpu = NaN;
      for (let r = 0; r < (quick ? 12 : 40); r++) {
        const net = brainNet([3, 2, 1], 'sigmoid', 0.1);
        const cpu = cpuNow();
        runs.push(seconds(() => void (iterations = net.train(data, sgd(0.1, EPOCHS)).iterations)));
        if (r === 0) coldCpu = cpuNow() - cpu;
      }
      emit({
        metric: 'cold steps/s',
        value: (iterations * INPUTS.length) / runs[0]!,
        unit: 'steps/s',
        better: 'higher',
        detail: `brain.js ${brainVersion()}, first train() of the process`,
      });
      emit({
        metric: 'cold steps/CPU-s',
        value: (iterations * INPUTS.length) / coldCpu,
        unit: 'steps/s',
        better: 'higher',
        detail: CPU_NOTE,
      });
      emit({
        metric: 'train steps/s',
        value: (iterations * INPUTS.length) / median(runs.slice(4)),
        unit: 'steps/s',
        better: 'higher',
        detail: `brain.js ${brainVersion()} NeuralNetwork, sigmoid, train() lr 0.1 momentum 0; each pass also sums the per-sample output MSE (brain.js bookkeeping)`,
        steps: iterations * INPUTS.length,
      });
      return;
    }
    const { tf, detail } = await loadTf(subject);
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [3] }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const xs = INPUTS.map((r) => tf.tensor2d([r], [1, 3]));
    const ys = TARGETS.map((r) => tf.tensor2d([r], [1, 1]));
    // tfjs takes ~1 ms a step, so time fewer epochs (the figure is a rate).
    const epochs = quick ? 50 : 200;
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      runs.push(
        await secondsAsync(async () => {
          for (let e = 0; e < epochs; e++) for (let i = 0; i < 4; i++) await model.trainOnBatch(xs[i]!, ys[i]!);
        }),
      );
    }
    emit({
      metric: 'train steps/s',
      value: (epochs * 4) / median(runs.slice(1)),
      unit: 'steps/s',
      better: 'higher',
      detail,
      steps: epochs * 4,
    });
  },
};
export default workload;
