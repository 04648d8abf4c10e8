// The page: settings controls bound to the URL, the training worker, and the live pictures.
import './style.css';
import { LineChart } from './charts.ts';
import { bindCsvUpload } from './csv-upload.ts';
import { Diagram } from './diagram.ts';
import type { CsvSource, DataMessage, FromWorker, StateMessage, ToWorker } from './protocol.ts';
import { drawBoundary } from './render.ts';
import {
  deleteModel,
  downloadModel,
  loadModel,
  readUploadedModel,
  saveModel,
  savedModelNames,
} from './saved-models.ts';
import {
  DEFAULT_NOISE,
  HIDDEN_ACTIVATIONS,
  MAX_LAYERS,
  OPTIMIZERS,
  SPEEDS,
  parseSettings,
  serializeSettings,
  structuralKey,
  type Settings,
} from './settings.ts';

function $(id: string): HTMLElement;
function $<T extends HTMLElement>(id: string, type: new () => T): T;
function $(id: string, type: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`missing #${id}`);
  return el;
}

let settings: Settings = parseSettings(location.search);
let csv: CsvSource | undefined;
/** The page was opened from a link asking for a CSV upload, which a link cannot carry. */
const csvFromLink = settings.dataset === 'csv';
let data: DataMessage | undefined;
let last: StateMessage | undefined;
let running = false;
let selected: [number, number] | undefined;
let lastKey = '';

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);

const lossChart = new LineChart(
  $('loss-chart'),
  'epoch',
  [
    { label: 'train loss', stroke: '#0877bd' },
    { label: 'test loss', stroke: '#c0580a', dash: [6, 4] },
  ],
  true,
);
let fitnessChart: LineChart | undefined;

const diagram = new Diagram($('diagram'), {
  select: (l, j) => selectNeuron(l, j),
  units: (l, delta) => {
    const layers = [...settings.layers];
    layers[l] = Math.max(1, (layers[l] ?? 1) + delta);
    update({ layers });
  },
  activation: (l, name) => {
    const activation = [...settings.activation];
    activation[l] = name as Settings['activation'][number];
    update({ activation });
  },
});

// ---- settings <-> controls <-> URL ----

const controls = {
  dataset: $('dataset', HTMLSelectElement),
  classes: $('classes', HTMLInputElement),
  noise: $('noise', HTMLInputElement),
  ratio: $('ratio', HTMLInputElement),
  n: $('n', HTMLInputElement),
  seed: $('seed', HTMLInputElement),
  optimizer: $('optimizer', HTMLSelectElement),
  lr: $('lr', HTMLInputElement),
  batch: $('batch', HTMLInputElement),
  l2: $('l2', HTMLInputElement),
  dropout: $('dropout', HTMLInputElement),
  mode: $('mode', HTMLSelectElement),
  pop: $('pop', HTMLInputElement),
  mutation: $('mutation', HTMLInputElement),
  backend: $('backend-choice', HTMLSelectElement),
  speed: $('speed', HTMLSelectElement),
};
for (const o of OPTIMIZERS) controls.optimizer.add(new Option(o, o));
const speedValue = (v: number): string => (Number.isFinite(v) ? String(v) : 'max');
for (const v of SPEEDS) controls.speed.add(new Option(Number.isFinite(v) ? `${String(v)} / s` : 'max', speedValue(v)));

function showSettings(): void {
  const s = settings;
  controls.dataset.value = s.dataset;
  controls.classes.value = String(s.classes);
  controls.noise.value = String(s.noise);
  $('noise-out').textContent = s.noise.toFixed(2);
  controls.ratio.value = String(s.ratio);
  $('ratio-out').textContent = `${String(Math.round(s.ratio * 100))}%`;
  controls.n.value = String(s.n);
  controls.seed.value = String(s.seed);
  controls.optimizer.value = s.optimizer;
  controls.lr.value = String(s.lr);
  controls.batch.value = String(s.batch);
  controls.l2.value = String(s.l2);
  controls.dropout.value = String(s.dropout);
  controls.mode.value = s.mode;
  controls.backend.value = s.backend;
  controls.speed.value = speedValue(s.speed);
  controls.pop.value = String(s.pop);
  controls.mutation.value = String(s.mutation);
  $('classes-row').hidden = s.dataset !== 'spiral' && s.dataset !== 'gaussian';
  $('csv-box').hidden = s.dataset !== 'csv';
  // Without a file the CSV dataset shows circles: say so, instead of falling back silently.
  const note = $('csv-note');
  note.hidden = s.dataset !== 'csv' || csv !== undefined;
  note.textContent = csvFromLink
    ? 'This link asks for a CSV upload, but a file cannot travel in a link: choose the file again (and its columns). Until then the circles data is shown.'
    : 'Choose a CSV file and its columns, then “Use this CSV”. Until then the circles data is shown.';
  $('evolve-box').hidden = s.mode !== 'evolve';
  $('train-box').hidden = s.mode === 'evolve';
  $('fitness-wrap').hidden = s.mode !== 'evolve';
  $('add-layer', HTMLButtonElement).disabled = s.layers.length >= MAX_LAYERS;
  $('remove-layer', HTMLButtonElement).disabled = s.layers.length === 0;
  $('layer-count').textContent = `${String(s.layers.length)} hidden layer${s.layers.length === 1 ? '' : 's'}`;
}

/** Applies a change: URL first, then either a fresh start or a live hyper-parameter update. */
function update(patch: Partial<Settings>): void {
  // Re-parse through the URL so the page state is exactly what a shared link would give.
  settings = parseSettings(serializeSettings({ ...settings, ...patch }));
  history.replaceState(null, '', `?${serializeSettings(settings)}`);
  showSettings();
  if (structuralKey(settings) !== lastKey) restart();
  else send({ type: 'hyper', settings });
}

function restart(): void {
  lastKey = structuralKey(settings);
  setRunning(false);
  selectNeuron(undefined);
  lossChart.clear();
  fitnessChart?.clear();
  hideError();
  send({ type: 'init', settings, ...(settings.dataset === 'csv' && csv !== undefined ? { csv } : {}) });
}

const numberInput = (el: HTMLInputElement, key: keyof Settings): void =>
  el.addEventListener('change', () => {
    const v = Number(el.value);
    if (el.value.trim() !== '' && Number.isFinite(v)) update({ [key]: v });
    else showSettings();
  });
controls.dataset.addEventListener('change', () => {
  const dataset = controls.dataset.value as Settings['dataset'];
  // Each dataset starts at its own noise (the spiral's arms vanish under the circles' 0.1).
  update({ dataset, noise: DEFAULT_NOISE[dataset] });
});
controls.speed.addEventListener('change', () =>
  update({ speed: controls.speed.value === 'max' ? Infinity : Number(controls.speed.value) }),
);
controls.optimizer.addEventListener('change', () =>
  update({ optimizer: controls.optimizer.value as Settings['optimizer'] }),
);
controls.mode.addEventListener('change', () => update({ mode: controls.mode.value as Settings['mode'] }));
controls.backend.addEventListener('change', () => update({ backend: controls.backend.value as Settings['backend'] }));
controls.noise.addEventListener('input', () => ($('noise-out').textContent = Number(controls.noise.value).toFixed(2)));
controls.ratio.addEventListener(
  'input',
  () => ($('ratio-out').textContent = `${String(Math.round(Number(controls.ratio.value) * 100))}%`),
);
(['classes', 'noise', 'ratio', 'n', 'seed', 'lr', 'batch', 'l2', 'dropout', 'pop', 'mutation'] as const).forEach((k) =>
  numberInput(controls[k], k),
);
$('reseed').addEventListener('click', () => update({ seed: Math.floor(Math.random() * 100000) }));
$('add-layer').addEventListener('click', () =>
  update({
    layers: [...settings.layers, 4],
    activation: [...settings.activation, settings.activation[settings.activation.length - 1] ?? 'tanh'],
  }),
);
$('remove-layer').addEventListener('click', () =>
  update({ layers: settings.layers.slice(0, -1), activation: settings.activation.slice(0, -1) }),
);

// ---- transport ----

function setRunning(on: boolean): void {
  running = on;
  const play = $('play', HTMLButtonElement);
  play.textContent = on ? '❚❚ Pause' : '▶ Play';
  play.setAttribute('aria-pressed', String(on));
}
$('play').addEventListener('click', () => {
  setRunning(!running);
  send({ type: running ? 'play' : 'pause' });
});
$('step').addEventListener('click', () => {
  setRunning(false);
  send({ type: 'step' });
});
$('reset').addEventListener('click', () => restart());

// ---- neuron inspector ----

function selectNeuron(l: number, j: number): void;
function selectNeuron(l: undefined): void;
function selectNeuron(l: number | undefined, j = 0): void {
  selected = l === undefined ? undefined : [l, j];
  diagram.select(selected);
  const box = $('inspector');
  box.hidden = selected === undefined;
  $('inspector-fields').replaceChildren();
  if (selected === undefined || !last) return;
  const layer = last.layers[selected[0]];
  if (!layer) return;
  const isOut = selected[0] === last.layers.length - 1;
  $('inspector-h').textContent =
    `${isOut ? 'Output' : `Layer ${String(selected[0] + 1)}`} · neuron ${String(selected[1] + 1)}`;
  const prevNames = selected[0] === 0 ? (data?.features ?? ['x1', 'x2']) : undefined;
  const fields: HTMLElement[] = [];
  for (let k = 0; k <= layer.inputs; k++) {
    const isBias = k === layer.inputs;
    const id = isBias ? 'neuron-bias' : `neuron-weight-${String(k)}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = isBias
      ? 'bias'
      : `w from ${prevNames ? (prevNames[k] ?? `x${String(k + 1)}`) : `L${String(selected[0])}·${String(k + 1)}`}`;
    const input = document.createElement('input');
    input.type = 'number';
    input.step = '0.1';
    input.id = id;
    input.dataset['testid'] = id;
    input.addEventListener('change', () => editNeuron(k, Number(input.value)));
    const wrap = document.createElement('div');
    wrap.append(label, input);
    fields.push(wrap);
  }
  $('inspector-fields').replaceChildren(...fields);
  fillInspector();
  box.scrollIntoView({ block: 'nearest' });
}

/** Shows the selected neuron's current weights, leaving alone a field being edited. */
function fillInspector(): void {
  if (!selected || !last) return;
  const layer = last.layers[selected[0]];
  if (!layer) return;
  const [, j] = selected;
  for (let k = 0; k <= layer.inputs; k++) {
    const isBias = k === layer.inputs;
    const input = document.getElementById(
      isBias ? 'neuron-bias' : `neuron-weight-${String(k)}`,
    ) as HTMLInputElement | null;
    if (!input || input === document.activeElement) continue;
    const v = isBias ? (layer.biases[j] ?? 0) : (layer.weights[j * layer.inputs + k] ?? 0);
    input.value = String(Number(v.toFixed(4)));
  }
  $('freeze', HTMLInputElement).checked = last.frozen.includes(`${String(selected[0])}:${String(j)}`);
}

function editNeuron(k: number, value: number): void {
  if (!selected || !last || !Number.isFinite(value)) return;
  const [l, j] = selected;
  const layer = last.layers[l];
  if (!layer) return;
  // Full-precision weights from the worker, with only the edited one replaced.
  const weights = Array.from(layer.weights.subarray(j * layer.inputs, (j + 1) * layer.inputs));
  let bias = layer.biases[j] ?? 0;
  if (k === layer.inputs) bias = value;
  else weights[k] = value;
  send({ type: 'setNeuron', layer: l, neuron: j, weights, bias });
}
$('freeze').addEventListener('change', () => {
  if (selected)
    send({
      type: 'freeze',
      layer: selected[0],
      neuron: selected[1],
      frozen: $('freeze', HTMLInputElement).checked,
    });
});
$('inspector-close').addEventListener('click', () => selectNeuron(undefined));

// ---- export / import / share ----

$('export').addEventListener('click', () => send({ type: 'export', purpose: 'download' }));
$('import', HTMLInputElement).addEventListener('change', () => {
  const input = $('import', HTMLInputElement);
  const file = input.files?.[0];
  if (!file) return;
  input.value = '';
  readUploadedModel(file).then(
    (json) => {
      setRunning(false);
      send({ type: 'import', json });
    },
    (e: unknown) => showError(`could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`),
  );
});
$('share').addEventListener('click', () => {
  void navigator.clipboard?.writeText(location.href).then(
    () => ($('share').textContent = 'Link copied'),
    () => ($('share').textContent = 'Copy the address bar'),
  );
});

// Saved in the browser (IndexedDB): the same JSON as the file, listed by name.
const savedList = $('saved-models', HTMLSelectElement);
async function refreshSaved(select?: string): Promise<void> {
  const names = await savedModelNames();
  savedList.replaceChildren(...names.map((n) => new Option(n, n)));
  if (select !== undefined) savedList.value = select;
  $('load-local', HTMLButtonElement).disabled = names.length === 0;
  $('delete-local', HTMLButtonElement).disabled = names.length === 0;
}
const storageError = (e: unknown): void =>
  showError(`browser storage: ${e instanceof Error ? e.message : String(e)} (Export/Import a file instead)`);
$('save-local').addEventListener('click', () => send({ type: 'export', purpose: 'store' }));
$('load-local').addEventListener('click', () => {
  const name = savedList.value;
  loadModel(name).then((json) => {
    if (json === undefined) {
      void refreshSaved();
      return;
    }
    setRunning(false);
    send({ type: 'import', json });
  }, storageError);
});
$('delete-local').addEventListener('click', () => {
  deleteModel(savedList.value).then(() => refreshSaved(), storageError);
});
function store(json: unknown, epoch: number): void {
  const savedAt = new Date().toISOString();
  const name = `${settings.dataset} · seed ${String(settings.seed)} · epoch ${String(epoch)} · ${savedAt.slice(0, 19).replace('T', ' ')}`;
  saveModel(name, json, serializeSettings(settings)).then(() => refreshSaved(name), storageError);
}

function download(json: unknown): void {
  downloadModel(json, `neurite-${settings.dataset}-seed${String(settings.seed)}.json`).catch((e: unknown) =>
    showError(`download: ${e instanceof Error ? e.message : String(e)}`),
  );
}

// ---- CSV upload ----

bindCsvUpload({
  fileChosen: () => {
    if (settings.dataset !== 'csv') update({ dataset: 'csv' });
  },
  use: (source) => {
    csv = source;
    // A new file restarts even when the settings are unchanged.
    lastKey = '';
    update({ dataset: 'csv' });
  },
  error: showError,
});

// ---- worker messages ----

function showError(message: string): void {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
}
function hideError(): void {
  $('error').hidden = true;
}

const fmt = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');

function architecture(): Parameters<Diagram['build']>[0] {
  const classes = data?.classes.length ?? 2;
  return {
    hidden: settings.layers,
    activation: settings.activation,
    outputs: classes === 2 ? 1 : classes,
    outputActivation: classes === 2 ? 'sigmoid' : 'softmax',
    activationChoices: HIDDEN_ACTIVATIONS,
    features: data?.features ?? ['x1', 'x2'],
  };
}

function onState(s: StateMessage): void {
  last = s;
  if (s.running !== running && !s.running) setRunning(false);
  // The network shown is the worker's, which after an import may differ from the settings.
  diagram.build({
    ...architecture(),
    hidden: s.layers.slice(0, -1).map((l) => l.units),
    activation: s.layers.slice(0, -1).map((l) => l.activation),
    outputs: s.layers[s.layers.length - 1]?.units ?? 1,
    outputActivation: s.layers[s.layers.length - 1]?.activation ?? 'sigmoid',
  });
  if (data) diagram.drawInputs(data.bounds);
  diagram.update(s);
  const m = s.metrics;
  $('epoch').textContent = String(m.epoch);
  $('train-loss').textContent = fmt(m.trainLoss, 4);
  $('test-loss').textContent = fmt(m.testLoss, 4);
  $('test-accuracy').textContent = fmt(m.testAccuracy, 3);
  $('probe-output').textContent = s.probe.map((v) => v.toFixed(6)).join(', ');
  drawBoundary($('boundary', HTMLCanvasElement), s.boundary, data, $('show-test', HTMLInputElement).checked);
  for (const h of s.history) lossChart.push(h.epoch, [h.trainLoss, h.testLoss]);
  if (s.evolution) {
    fitnessChart ??= new LineChart($('fitness-chart'), 'generation', [
      { label: 'best', stroke: '#2e9e54' },
      { label: 'mean', stroke: '#666', dash: [4, 4] },
    ]);
    for (const p of s.evolution.points) fitnessChart.push(p.generation, [p.best, p.mean]);
  }
  if (selected) {
    if (selected[0] >= s.layers.length || selected[1] >= (s.layers[selected[0]]?.units ?? 0)) selectNeuron(undefined);
    else fillInspector();
  }
  document.body.dataset['ready'] = 'true';
}

worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'data':
      data = m;
      $('output-info').textContent =
        m.classes.length === 2
          ? 'Two classes: one sigmoid output, binary cross-entropy loss.'
          : `${String(m.classes.length)} classes: softmax outputs, categorical cross-entropy loss.`;
      break;
    case 'ready':
      $('backend').textContent = m.backend;
      $('threads').textContent = `· ${String(m.threads)} thread${m.threads === 1 ? '' : 's'}`;
      $('isolation').textContent = m.isolated ? '(cross-origin isolated)' : '';
      $('weights-hash').textContent = m.weightsHash;
      ($('mode').querySelector('option[value="evolve"]') as HTMLOptionElement).disabled = !m.evolveAvailable;
      if (m.imported) {
        settings = {
          ...settings,
          layers: m.imported.layers,
          activation: m.imported.activation as Settings['activation'],
          dropout: m.imported.dropout,
        };
        lastKey = structuralKey(settings);
        history.replaceState(null, '', `?${serializeSettings(settings)}`);
        showSettings();
        lossChart.clear();
      }
      break;
    case 'state':
      onState(m);
      break;
    case 'export':
      if (m.purpose === 'store') store(m.json, m.epoch);
      else download(m.json);
      break;
    case 'error':
      setRunning(false);
      showError(m.message);
      break;
  }
});
worker.addEventListener('error', (e) => showError(`worker error: ${e.message}`));
$('show-test').addEventListener('change', () => {
  if (last)
    drawBoundary($('boundary', HTMLCanvasElement), last.boundary, data, $('show-test', HTMLInputElement).checked);
});

// Keyboard: space toggles play when focus is not in a form field.
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (e.key === ' ' && !['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(t.tagName)) {
    e.preventDefault();
    $('play').click();
  }
});

history.replaceState(null, '', `?${serializeSettings(settings)}`);
showSettings();
restart();
refreshSaved().catch(storageError);
