import type { NeuralNetwork } from '../index.js';

/** Options of {@link networkSvg}. */
export interface NetworkSvgOptions {
  /** At most this many neurons are drawn per layer (default 12); larger layers show a sample. */
  readonly maxPerLayer?: number;
  /** Names of the inputs, shown next to the input nodes when they are few. */
  readonly inputNames?: readonly string[];
  /** Names of the outputs. */
  readonly outputNames?: readonly string[];
}

/** What was drawn, so the report can say when layers were sampled. */
export interface NetworkDrawing {
  readonly svg: string;
  /** Layers (0 = inputs) drawn as a sample, with their full size. */
  readonly sampled: readonly { layer: number; size: number; shown: number }[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Evenly spaced indices, always including the first and last neuron. For inputs the sample is
 * chosen by the largest total |weight| going out, so the drawn inputs are the ones the first layer
 * actually uses (for MNIST: centre pixels rather than the blank border).
 */
function sample(size: number, max: number, importance?: Float64Array): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  if (importance !== undefined) {
    return Array.from({ length: size }, (_, i) => i)
      .sort((a, b) => (importance[b] as number) - (importance[a] as number))
      .slice(0, max)
      .sort((a, b) => a - b);
  }
  return Array.from({ length: max }, (_, k) => Math.round((k * (size - 1)) / (max - 1)));
}

/**
 * Draws the network as the seed posts do: neurons as circles in columns, one edge per weight,
 * blue for positive and red for negative, width and opacity growing with |w| (scaled per layer so
 * every layer stays readable). Layers larger than `maxPerLayer` show a sample of their neurons.
 */
export function networkSvg(net: NeuralNetwork, options: NetworkSvgOptions = {}): NetworkDrawing {
  const max = options.maxPerLayer ?? 12;
  const sizes = [net.inputSize, ...net.layers.map((l) => l.units)];
  const first = net.layers[0];
  let inputImportance: Float64Array | undefined;
  if (first !== undefined && net.inputSize > max) {
    inputImportance = new Float64Array(net.inputSize);
    for (let j = 0; j < first.units; j++) {
      for (let i = 0; i < first.inputs; i++) {
        inputImportance[i] = (inputImportance[i] as number) + Math.abs(first.weights[j * first.inputs + i] as number);
      }
    }
  }
  const shown = sizes.map((s, l) => sample(s, max, l === 0 ? inputImportance : undefined));
  const labelled = (l: number): readonly string[] | undefined =>
    l === 0 ? options.inputNames : l === sizes.length - 1 ? options.outputNames : undefined;
  const colGap = 170;
  const rowGap = 34;
  const padX = 110;
  const padY = 40;
  const tallest = Math.max(...shown.map((s) => s.length));
  const width = padX * 2 + colGap * (sizes.length - 1);
  const height = padY * 2 + rowGap * (tallest - 1) + 30;
  const pos = shown.map((idx, l) =>
    idx.map((_n, k) => ({
      x: padX + l * colGap,
      y: padY + 20 + ((tallest - idx.length) * rowGap) / 2 + k * rowGap,
    })),
  );
  const parts: string[] = [];
  net.layers.forEach((layer, li) => {
    const from = shown[li] as number[];
    const to = shown[li + 1] as number[];
    let maxAbs = 1e-12;
    for (const j of to)
      for (const i of from) maxAbs = Math.max(maxAbs, Math.abs(layer.weights[j * layer.inputs + i] as number));
    to.forEach((j, b) => {
      from.forEach((i, a) => {
        const w = layer.weights[j * layer.inputs + i] as number;
        const t = Math.abs(w) / maxAbs;
        if (t < 0.02) return;
        const p = (pos[li] as { x: number; y: number }[])[a] as { x: number; y: number };
        const q = (pos[li + 1] as { x: number; y: number }[])[b] as { x: number; y: number };
        parts.push(
          `<line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${q.x.toFixed(1)}" y2="${q.y.toFixed(1)}" stroke="${w >= 0 ? '#2563eb' : '#dc2626'}" stroke-width="${(0.3 + 3.2 * t).toFixed(2)}" stroke-opacity="${(0.15 + 0.7 * t).toFixed(2)}"><title>w[${String(li)}][${String(j)}][${String(i)}] = ${w.toPrecision(4)}</title></line>`,
        );
      });
    });
  });
  const sampled: { layer: number; size: number; shown: number }[] = [];
  sizes.forEach((size, l) => {
    const idx = shown[l] as number[];
    if (idx.length < size) sampled.push({ layer: l, size, shown: idx.length });
    const act = l === 0 ? 'input' : (net.layers[l - 1]?.activation.name ?? '');
    const header = `${l === 0 ? 'inputs' : l === sizes.length - 1 ? 'outputs' : `hidden ${String(l)}`} (${String(size)})`;
    const x = padX + l * colGap;
    parts.push(`<text x="${String(x)}" y="${String(padY - 8)}" text-anchor="middle" class="h">${esc(header)}</text>`);
    parts.push(`<text x="${String(x)}" y="${String(height - 10)}" text-anchor="middle" class="a">${esc(act)}</text>`);
    const names = labelled(l);
    idx.forEach((n, k) => {
      const p = (pos[l] as { x: number; y: number }[])[k] as { x: number; y: number };
      const bias = l === 0 ? undefined : (net.layers[l - 1]?.biases[n] as number);
      const fill = bias === undefined ? '#f3f4f6' : bias >= 0 ? '#dbeafe' : '#fee2e2';
      const tip =
        bias === undefined
          ? `input ${String(n)}`
          : `layer ${String(l - 1)} neuron ${String(n)}, bias ${bias.toPrecision(4)}`;
      parts.push(
        `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="9" fill="${fill}" stroke="#374151" stroke-width="1.2"><title>${esc(tip)}</title></circle>`,
      );
      const name = names?.[n];
      if (name !== undefined && idx.length <= 24) {
        const left = l === 0;
        parts.push(
          `<text x="${(p.x + (left ? -14 : 14)).toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="${left ? 'end' : 'start'}" class="n">${esc(name.length > 14 ? `${name.slice(0, 13)}…` : name)}</text>`,
        );
      } else if (idx.length < size && (l === 0 || l === sizes.length - 1)) {
        parts.push(
          `<text x="${(p.x + (l === 0 ? -14 : 14)).toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="${l === 0 ? 'end' : 'start'}" class="n">#${String(n)}</text>`,
        );
      }
    });
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" class="network">`,
    '<style>.h{font:600 12px system-ui,sans-serif;fill:#111}.a{font:11px system-ui,sans-serif;fill:#555}.n{font:10px system-ui,sans-serif;fill:#444}</style>',
    `<rect width="${String(width)}" height="${String(height)}" fill="white"/>`,
    ...parts,
    '</svg>',
  ].join('');
  return { svg, sampled };
}
