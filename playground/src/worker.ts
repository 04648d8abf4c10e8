// The training worker. It owns the data and the network, trains on request, and posts copies of
// the metrics, weights and activation maps back to the page, so the page never blocks on training.
import * as neurite from '../../src/index.ts';
import {
  createWebWasmBackend,
  NeuralNetwork,
  type Backend,
  type LayerSpec,
  type OptimizerSpec,
} from '../../src/index.ts';
import { buildData, type PlaygroundData } from './data.ts';
import { createEvolution, evolveAvailable, type Evolution } from './evolution.ts';
import type { FromWorker, LayerView, Metrics, StateMessage, ToWorker } from './protocol.ts';
import { PROBE } from './protocol.ts';
import type { Settings } from './settings.ts';

interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
}
const scope = self as unknown as WorkerScope;

const GRID = 64;
const MAP = 24;
/** Train for about this long between two pictures sent to the page. */
const TICK_MS = 60;
/** Threads for the wasm backend on a cross-origin-isolated page (capped: the products are small). */
const MAX_THREADS = 4;

let settings: Settings | undefined;
let data: PlaygroundData | undefined;
let net: NeuralNetwork | undefined;
let evolution: Evolution | undefined;
let epoch = 0;
let running = false;
let scheduled = false;
let pending: Metrics[] = [];
let evoPoints: { generation: number; best: number; mean: number }[] = [];
let queue: Promise<void> = Promise.resolve();
/** The pace of a finite speed: when it was last (re)started and the epochs trained since. */
let paceStart = 0;
let paceDone = 0;

const post = (m: FromWorker): void => scope.postMessage(m);

/** Runs jobs one at a time, so a message never lands in the middle of another job. */
function enqueue(job: () => Promise<void> | void): void {
  queue = queue.then(job).catch((e: unknown) => {
    running = false;
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    if (net) post(state());
  });
}

// The WASM SIMD backend registers itself when its module is imported. The core entry does not
// import it, so load it here; the glob keeps the build working in a tree without it.
const wasmModules = import.meta.glob<{ wasmReady?: () => Promise<void> }>('../../src/backend/wasm/index.ts', {
  eager: true,
});

/** Waits for WebAssembly compilation when the library offers it (browsers refuse sync compiles). */
async function backendReady(): Promise<void> {
  const ready =
    (neurite as Record<string, unknown>)['wasmReady'] ?? Object.values(wasmModules).find((m) => m.wasmReady)?.wasmReady;
  if (typeof ready === 'function') {
    try {
      await (ready as () => Promise<void>)();
    } catch {
      // No SIMD: 'auto' falls back to the JS backend.
    }
  }
}

let pooled: Promise<Backend | undefined> | undefined;

/**
 * On a cross-origin-isolated page, the wasm backend on shared memory with a Web Worker pool
 * (made once; every network of this worker uses it). Elsewhere undefined: the settings' choice
 * ('auto' picks the single-threaded wasm backend) applies.
 */
function threadedBackend(choice: Settings['backend']): Promise<Backend | undefined> {
  if (choice === 'js' || scope.crossOriginIsolated !== true) return Promise.resolve(undefined);
  pooled ??= createWebWasmBackend({
    threads: Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS),
  }).catch(() => undefined); // no SIMD: fall back to the settings' choice
  return pooled;
}

function outputSpec(classes: number): { layer: LayerSpec; loss: 'binaryCrossEntropy' | 'categoricalCrossEntropy' } {
  return classes === 2
    ? { layer: { units: 1, activation: 'sigmoid' }, loss: 'binaryCrossEntropy' }
    : { layer: { units: classes, activation: 'softmax' }, loss: 'categoricalCrossEntropy' };
}

function optimizerSpec(s: Settings): OptimizerSpec {
  const spec: OptimizerSpec = { type: s.optimizer, learningRate: s.lr };
  if (s.l2 > 0) spec.weightDecay = s.l2;
  return spec;
}

function buildNetwork(s: Settings, classes: number, backend: Backend | undefined): NeuralNetwork {
  const out = outputSpec(classes);
  const hidden = s.layers.map((units, i): LayerSpec => {
    const spec: LayerSpec = { units, activation: s.activation[i] ?? 'tanh' };
    if (s.dropout > 0) spec.dropout = s.dropout;
    return spec;
  });
  return new NeuralNetwork({
    layers: [2, ...hidden, out.layer],
    seed: s.seed,
    backend: backend ?? s.backend,
    loss: out.loss,
    optimizer: optimizerSpec(s),
  });
}

/** FNV-1a over the bytes of the parameter vector: a short fingerprint of the initial weights. */
function hashWeights(w: Float32Array): string {
  const bytes = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function measure(): Metrics {
  const n = net!;
  const d = data!;
  const tr = n.evaluate(d.xTrain, d.yTrain, { metrics: ['accuracy'] });
  const te = n.evaluate(d.xTest, d.yTest, { metrics: ['accuracy'] });
  return {
    epoch,
    trainLoss: tr.loss,
    testLoss: te.loss,
    trainAccuracy: tr.accuracy ?? NaN,
    testAccuracy: te.accuracy ?? NaN,
  };
}

/** Points of a size × size grid over the view, row 0 at the top (largest x2). */
function grid(size: number): Float32Array {
  const [x0, x1, y0, y1] = data!.bounds;
  const g = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = (r * size + c) * 2;
      g[i] = x0 + ((c + 0.5) / size) * (x1 - x0);
      g[i + 1] = y1 - ((r + 0.5) / size) * (y1 - y0);
    }
  }
  return g;
}

/**
 * Every neuron's activation over a grid, by a plain forward pass over the layers' live weights
 * (the library's own buffers hold only the last chunk, and only the last layer is public output).
 */
function neuronMaps(size: number): Float32Array[][] {
  const n = net!;
  const pts = grid(size);
  const m = size * size;
  let input = pts;
  let width = 2;
  const maps: Float32Array[][] = [];
  for (const layer of n.layers) {
    const out = new Float32Array(m * layer.units);
    const act = layer.activation;
    for (let p = 0; p < m; p++) {
      for (let j = 0; j < layer.units; j++) {
        let z = layer.biases[j] as number;
        for (let k = 0; k < width; k++)
          z += (layer.weights[j * width + k] as number) * (input[p * width + k] as number);
        out[p * layer.units + j] = act.rowwise ? z : act.f(z);
      }
      if (act.rowwise) {
        // softmax over the row
        let max = -Infinity;
        for (let j = 0; j < layer.units; j++) max = Math.max(max, out[p * layer.units + j] as number);
        let sum = 0;
        for (let j = 0; j < layer.units; j++) {
          const e = Math.exp((out[p * layer.units + j] as number) - max);
          out[p * layer.units + j] = e;
          sum += e;
        }
        for (let j = 0; j < layer.units; j++) out[p * layer.units + j] = (out[p * layer.units + j] as number) / sum;
      }
    }
    maps.push(
      Array.from({ length: layer.units }, (_, j) => {
        const map = new Float32Array(m);
        for (let p = 0; p < m; p++) map[p] = out[p * layer.units + j] as number;
        return map;
      }),
    );
    input = out;
    width = layer.units;
  }
  return maps;
}

function layerViews(): LayerView[] {
  return net!.layers.map((l) => ({
    inputs: l.inputs,
    units: l.units,
    activation: l.activation.name,
    weights: Float32Array.from(l.weights),
    biases: Float32Array.from(l.biases),
  }));
}

function state(): StateMessage {
  const n = net!;
  const metrics = measure();
  const pts = grid(GRID);
  const out = n.predictBatch({ rows: GRID * GRID, cols: 2, data: pts });
  const frozen: string[] = [];
  n.layers.forEach((l, li) => {
    for (let j = 0; j < l.units; j++) if (n.isFrozen(li, j)) frozen.push(`${String(li)}:${String(j)}`);
  });
  const msg: StateMessage = {
    type: 'state',
    running,
    metrics,
    history: pending.length > 0 ? pending : [metrics],
    probe: Array.from(n.predict([PROBE[0], PROBE[1]])),
    boundary: { size: GRID, outputs: n.outputSize, values: out.data as Float32Array },
    maps: neuronMaps(MAP),
    mapSize: MAP,
    layers: layerViews(),
    frozen,
  };
  if (evolution) msg.evolution = { generation: evolution.generation, points: evoPoints };
  pending = [];
  evoPoints = [];
  return msg;
}

async function trainEpoch(): Promise<void> {
  const s = settings!;
  const d = data!;
  if (evolution) {
    evoPoints.push(await evolution.step());
    epoch = evolution.generation;
  } else {
    await net!.fit(d.xTrain, d.yTrain, { epochs: 1, batchSize: s.batch, optimizer: optimizerSpec(s) });
    epoch++;
  }
  pending.push(measure());
}

function restartPace(): void {
  paceStart = performance.now();
  paceDone = 0;
}

/**
 * One slice of Play. At full speed: train for TICK_MS, then send a picture. At a finite speed:
 * train the epochs the clock says are due since Play (at most a tick's worth, so a slow machine
 * falls behind instead of bursting to catch up), send a picture when any were trained, and come
 * back after a picture's interval (TICK_MS, or one epoch's time when slower). Below 1000 / TICK_MS
 * epochs per second a tick trains at most one epoch, so every epoch is drawn.
 */
async function tick(): Promise<void> {
  scheduled = false;
  if (!running || !net) return;
  const speed = settings!.speed;
  const start = performance.now();
  if (!Number.isFinite(speed)) {
    do await trainEpoch();
    while (running && performance.now() - start < TICK_MS);
    post(state());
    schedule(0);
    return;
  }
  // At most one picture per TICK_MS, however fast the speed: the page must stay responsive.
  const interval = Math.max(TICK_MS, 1000 / speed);
  const perTick = Math.max(1, Math.ceil((speed * interval) / 1000));
  const due = Math.floor(((start - paceStart) * speed) / 1000) - paceDone;
  if (due > perTick) {
    // Behind by more than a tick: drop the backlog rather than run it at full speed.
    paceStart = start - (paceDone * 1000) / speed;
  }
  const n = Math.min(due, perTick);
  for (let i = 0; i < n && running; i++) {
    await trainEpoch();
    paceDone++;
  }
  if (n > 0) post(state());
  schedule(interval);
}

function schedule(delay: number): void {
  if (!running || scheduled) return;
  scheduled = true;
  // setTimeout first, so pause messages get a chance to arrive between ticks.
  setTimeout(() => enqueue(tick), delay);
}

function ready(imported?: { layers: number[]; activation: string[]; dropout: number }): void {
  const n = net!;
  post({
    type: 'ready',
    backend: n.backend.name,
    weightsHash: hashWeights(n.getWeights()),
    isolated: scope.crossOriginIsolated === true,
    threads: (n.backend as { threads?: number }).threads ?? 1,
    evolveAvailable,
    ...(imported ? { imported } : {}),
  });
}

async function init(s: Settings, msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  running = false;
  settings = s;
  await backendReady();
  data = buildData(s, msg.csv);
  post({
    type: 'data',
    train: data.train,
    test: data.test,
    classes: data.classes,
    bounds: data.bounds,
    features: data.features,
  });
  net = buildNetwork(s, data.classes.length, await threadedBackend(s.backend));
  net.metadata = { source: 'neurite playground' };
  epoch = 0;
  pending = [];
  evoPoints = [];
  evolution = s.mode === 'evolve' ? createEvolution(net, data, s) : undefined;
  ready();
  post(state());
}

async function importModel(json: unknown): Promise<void> {
  const s = settings!;
  const d = data!;
  const next = NeuralNetwork.fromJSON(json, { backend: (await threadedBackend(s.backend)) ?? s.backend });
  const wantOut = d.classes.length === 2 ? 1 : d.classes.length;
  if (next.inputSize !== 2 || next.outputSize !== wantOut) {
    throw new Error(
      `this model has ${String(next.inputSize)} inputs and ${String(next.outputSize)} outputs; the current data needs 2 inputs and ${String(wantOut)} output${wantOut === 1 ? '' : 's'}`,
    );
  }
  running = false;
  net = next;
  epoch = 0;
  pending = [];
  evolution = s.mode === 'evolve' ? createEvolution(net, d, s) : undefined;
  const hidden = next.layers.slice(0, -1);
  ready({
    layers: hidden.map((l) => l.units),
    activation: hidden.map((l) => l.activation.name),
    dropout: hidden[0]?.dropout ?? 0,
  });
  post(state());
}

scope.onmessage = (e: MessageEvent<ToWorker>): void => {
  const msg = e.data;
  switch (msg.type) {
    case 'init':
      running = false;
      enqueue(() => init(msg.settings, msg));
      break;
    case 'play':
      running = true;
      restartPace();
      schedule(0);
      break;
    case 'pause':
      running = false;
      enqueue(() => {
        if (net) post(state());
      });
      break;
    case 'step':
      running = false;
      enqueue(async () => {
        if (!net) return;
        await trainEpoch();
        post(state());
      });
      break;
    case 'hyper':
      enqueue(() => {
        if (settings)
          settings = {
            ...settings,
            lr: msg.settings.lr,
            batch: msg.settings.batch,
            optimizer: msg.settings.optimizer,
            l2: msg.settings.l2,
            speed: msg.settings.speed,
          };
        restartPace();
      });
      break;
    case 'setNeuron':
      enqueue(() => {
        net?.setNeuron(msg.layer, msg.neuron, { weights: msg.weights, bias: msg.bias });
        evolution?.adopt(net!);
        if (net) post(state());
      });
      break;
    case 'freeze':
      enqueue(() => {
        net?.freezeNeuron(msg.layer, msg.neuron, msg.frozen);
        if (net) post(state());
      });
      break;
    case 'export':
      enqueue(() => {
        if (net) post({ type: 'export', json: net.toJSON(), purpose: msg.purpose, epoch });
      });
      break;
    case 'import':
      enqueue(() => importModel(msg.json));
      break;
  }
};
