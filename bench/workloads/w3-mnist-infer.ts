// W3: inference with the W2 network (fresh seeded weights; speed does not depend on them): a
// batched forward of the 2,000 test digits, and single-sample predict latency (median of 10,000).
import { matrix, quantize } from '../../src/index.js';
import { BRAINJS, brainNet, brainVersion } from '../lib/brainjs.js';
import { accuracy, mnistBench } from '../lib/mnist.js';
import { MNIST_SIZES, mnistNetwork, mnistTfModel } from '../lib/mnist-net.js';
import { cpuSeconds, median, seconds, warmUp } from '../lib/stats.js';
import { loadTf, neuriteBackend, TFJS } from '../lib/subjects.js';
import type { Workload } from '../lib/types.js';
import type { Tensor } from '@tensorflow/tfjs';

/** Quantized subjects: the trained W2 network after `quantize()`, on 1 and 2 threads and the default. */
const QUANT: readonly string[] = ['neurite-quant-1t', 'neurite-quant-2t', 'neurite-quant-default'];

const workload: Workload = {
  id: 'W3',
  title: 'MNIST inference (W2 network)',
  subjects: ['neurite-js', 'neurite-wasm-1t', 'neurite-wasm-2t', 'neurite-default', ...QUANT, ...TFJS, BRAINJS],
  baseline: 'tfjs-wasm',
  async run(subject, emit, { quick }) {
    const d = mnistBench();
    const calls = quick ? 2000 : 10_000;
    const rows = Array.from({ length: 100 }, (_, i) => d.testX.subarray(i * 784, (i + 1) * 784));
    let batch: () => void;
    let single: (i: number) => void;
    let detail: string;
    // brain.js has no batched forward (~0.3 s for the test set): fewer warm-up and timed batches.
    const slow = subject === BRAINJS;
    let extra: Record<string, number> = {};
    if (QUANT.includes(subject)) {
      // quantize() needs trained weights for its accuracy to mean anything: train the W2 network
      // as W2 does (5 epochs), then time the quantized model; both accuracies go in the row.
      const nb = neuriteBackend(
        subject === 'neurite-quant-default' ? 'neurite-default' : subject.replace('quant', 'wasm'),
      );
      const net = mnistNetwork(nb.backend);
      await net.fit(matrix(d.trainRows, 784, d.trainX), matrix(d.trainRows, 10, d.trainY), {
        epochs: 5,
        batchSize: 64,
        loss: 'categoricalCrossEntropy',
        optimizer: { type: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      });
      const q = quantize(net);
      const x = matrix(d.testRows, 784, d.testX);
      extra = {
        testAccuracy: Number(accuracy(q.predictBatch(x).data, d.testY, d.testRows, 10).toFixed(4)),
        floatAccuracy: Number(accuracy(net.predictBatch(x).data, d.testY, d.testRows, 10).toFixed(4)),
      };
      detail = `quantize(): int8 weights and activations, int32 sums; ${nb.detail}`;
      batch = () => void q.predictBatch(x);
      single = (i) => void q.predict(rows[i % rows.length]!);
    } else if (subject.startsWith('neurite')) {
      const nb = neuriteBackend(subject);
      detail = nb.detail;
      const net = mnistNetwork(nb.backend);
      const x = matrix(d.testRows, 784, d.testX);
      batch = () => void net.predictBatch(x);
      single = (i) => void net.predict(rows[i % rows.length]!);
    } else if (slow) {
      // Sigmoid on every layer, as in its W2 run (brain.js has one activation for all layers).
      detail = `brain.js ${brainVersion()} NeuralNetwork, sigmoid on all layers; batched = run() per row`;
      const net = brainNet(MNIST_SIZES, 'sigmoid', 0.3);
      const x = Array.from({ length: d.testRows }, (_, i) => d.testX.subarray(i * 784, (i + 1) * 784));
      batch = () => {
        for (const row of x) net.run(row);
      };
      single = (i) => void net.run(rows[i % rows.length]!);
    } else {
      const { tf, detail: dt } = await loadTf(subject);
      detail = dt;
      const model = mnistTfModel(tf);
      batch = () =>
        tf.tidy(() => {
          (model.predict(tf.tensor2d(d.testX, [d.testRows, 784])) as Tensor).dataSync();
        });
      single = (i) =>
        tf.tidy(() => {
          (model.predict(tf.tensor2d(rows[i % rows.length]!, [1, 784])) as Tensor).dataSync();
        });
    }
    warmUp(batch, quick || slow ? 3 : 10, quick ? 0.1 : 0.5);
    // Wall and CPU time of each timed batch (CPU: every thread of this process, a pool's spinning
    // included; on one thread it is the figure a busy machine stretches least).
    const bt: number[] = [];
    const bc: number[] = [];
    for (let i = 0; i < (quick ? 5 : slow ? 7 : 15); i++) {
      const c0 = cpuSeconds();
      bt.push(seconds(batch));
      bc.push(cpuSeconds() - c0);
    }
    emit({
      metric: 'batched samples/s',
      value: d.testRows / median(bt),
      cpuValue: d.testRows / median(bc),
      unit: 'samples/s',
      better: 'higher',
      detail,
      ...extra,
    });
    for (let i = 0; i < 500; i++) single(i);
    const lat = new Float64Array(calls);
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      single(i);
      lat[i] = (performance.now() - t0) * 1000;
    }
    emit({ metric: 'predict latency', value: median(Array.from(lat)), unit: 'µs', better: 'lower', detail, calls });
  },
};
export default workload;
