// Colours and canvas drawing: heat maps of the output and of single neurons, and the data points.
import type { DataMessage } from './protocol.ts';

type Rgb = [number, number, number];

/** Class colours, class 0 first: orange and blue as in TensorFlow Playground, then more. */
export const CLASS_COLORS: readonly Rgb[] = [
  [232, 113, 10],
  [8, 119, 189],
  [46, 158, 84],
  [142, 68, 173],
  [200, 40, 60],
];
const NEUTRAL: Rgb = [246, 247, 248];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

/** Diverging colour of v in [-1, 1]: orange for negative, light grey at 0, blue for positive. */
export function diverging(v: number): Rgb {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return t < 0 ? mix(NEUTRAL, CLASS_COLORS[0]!, -t) : mix(NEUTRAL, CLASS_COLORS[1]!, t);
}

export function cssColor(c: Rgb): string {
  return `rgb(${c.map((x) => Math.round(x)).join(',')})`;
}

/** Scales a neuron's map to [-1, 1] the way its activation's range suggests. */
export function normalise(map: Float32Array, activation: string): Float32Array {
  const out = new Float32Array(map.length);
  if (activation === 'sigmoid' || activation === 'softmax') {
    map.forEach((v, i) => (out[i] = 2 * v - 1));
    return out;
  }
  if (activation === 'tanh') return Float32Array.from(map);
  let max = 0;
  for (const v of map) max = Math.max(max, Math.abs(v));
  map.forEach((v, i) => (out[i] = max > 0 ? v / max : 0));
  return out;
}

const scratch = new Map<number, HTMLCanvasElement>();
function offscreen(size: number): HTMLCanvasElement {
  let c = scratch.get(size);
  if (!c) {
    c = document.createElement('canvas');
    c.width = c.height = size;
    scratch.set(size, c);
  }
  return c;
}

/** Paints per-cell colours of a size × size grid, smoothly scaled to the whole canvas. */
function paintGrid(canvas: HTMLCanvasElement, size: number, colorAt: (i: number) => Rgb, alpha = 1): void {
  const small = offscreen(size);
  const sctx = small.getContext('2d')!;
  const img = sctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const c = colorAt(i);
    img.data[i * 4] = c[0];
    img.data[i * 4 + 1] = c[1];
    img.data[i * 4 + 2] = c[2];
    img.data[i * 4 + 3] = 255 * alpha;
  }
  sctx.putImageData(img, 0, 0);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

/** A neuron's activation map. */
export function drawMap(canvas: HTMLCanvasElement, size: number, map: Float32Array, activation: string): void {
  const v = normalise(map, activation);
  paintGrid(canvas, size, (i) => diverging(v[i] ?? 0));
}

/** Colour of one output cell: probability of class 1 (one output) or the winning class's confidence. */
function outputColor(values: Float32Array, outputs: number, i: number): Rgb {
  if (outputs === 1) return diverging(2 * (values[i] ?? 0.5) - 1);
  let best = 0;
  for (let k = 1; k < outputs; k++) if ((values[i * outputs + k] ?? 0) > (values[i * outputs + best] ?? 0)) best = k;
  const p = values[i * outputs + best] ?? 0;
  const conf = Math.max(0, (p - 1 / outputs) / (1 - 1 / outputs));
  return mix(NEUTRAL, CLASS_COLORS[best % CLASS_COLORS.length]!, conf);
}

/** The decision boundary heat map plus the training (and optionally test) points. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  boundary: { size: number; outputs: number; values: Float32Array },
  data: DataMessage | undefined,
  showTest: boolean,
): void {
  paintGrid(canvas, boundary.size, (i) => outputColor(boundary.values, boundary.outputs, i), 1);
  if (!data) return;
  const ctx = canvas.getContext('2d')!;
  const [x0, x1, y0, y1] = data.bounds;
  const w = canvas.width;
  const h = canvas.height;
  const r = Math.max(2.5, w / 130);
  const plot = (xy: Float32Array, label: Int32Array, test: boolean): void => {
    for (let i = 0; i < label.length; i++) {
      const px = (((xy[2 * i] as number) - x0) / (x1 - x0)) * w;
      const py = (1 - ((xy[2 * i + 1] as number) - y0) / (y1 - y0)) * h;
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = cssColor(CLASS_COLORS[(label[i] ?? 0) % CLASS_COLORS.length]!);
      ctx.fill();
      ctx.lineWidth = test ? 1.6 : 1;
      ctx.strokeStyle = test ? '#111' : '#fff';
      ctx.stroke();
    }
  };
  plot(data.train.xy, data.train.label, false);
  if (showTest) plot(data.test.xy, data.test.label, true);
  // Axes through the origin and the probe point.
  ctx.strokeStyle = 'rgba(0,0,0,0.18)';
  ctx.lineWidth = 1;
  const ox = ((0 - x0) / (x1 - x0)) * w;
  const oy = (1 - (0 - y0) / (y1 - y0)) * h;
  ctx.beginPath();
  ctx.moveTo(ox, 0);
  ctx.lineTo(ox, h);
  ctx.moveTo(0, oy);
  ctx.lineTo(w, oy);
  ctx.stroke();
  const px = ((0.5 - x0) / (x1 - x0)) * w;
  const py = (1 - (0.5 - y0) / (y1 - y0)) * h;
  ctx.strokeStyle = '#111';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(px - 6, py);
  ctx.lineTo(px + 6, py);
  ctx.moveTo(px, py - 6);
  ctx.lineTo(px, py + 6);
  ctx.stroke();
}
