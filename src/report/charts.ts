import type { TopLevelSpec } from 'vega-lite';
import type { History } from '../index.js';

/** A Vega-Lite spec (kept loose: the library's own types are large and this module builds only a few). */
export type VlSpec = Record<string, unknown>;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const CONFIG = {
  font: FONT,
  view: { stroke: '#ddd' },
  axis: { labelColor: '#333', titleColor: '#333', gridColor: '#eee', titleFontWeight: 'normal' },
  legend: { orient: 'bottom', labelColor: '#333', titleColor: '#333' },
  title: { fontSize: 14, anchor: 'start', color: '#111' },
};

/**
 * Vega and Vega-Lite, loaded on the first chart: importing them takes ~300 ms, which every command
 * paid at start (`--version` included) when they were imported with this module.
 */
let renderer: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/**
 * Renders a Vega-Lite spec to a standalone SVG string in Node (Vega's headless `renderer: 'none'`
 * view), so reports need no JavaScript or network access to show the chart.
 */
export async function renderSvg(spec: VlSpec): Promise<string> {
  renderer ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, vl] = await renderer;
  const compiled = vl.compile({ config: CONFIG, background: 'white', ...spec } as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One point of a curve. */
interface Point {
  readonly epoch: number;
  readonly value: number;
  readonly series: string;
}

function curve(values: readonly number[] | undefined, series: string): Point[] {
  return (values ?? []).map((value, i) => ({ epoch: i + 1, value, series })).filter((p) => Number.isFinite(p.value));
}

function lineSpec(title: string, yTitle: string, points: readonly Point[], logY: boolean, width = 520): VlSpec {
  const epochs = Math.max(1, ...points.map((p) => p.epoch));
  return {
    title,
    width,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: epochs <= 40, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 }, scale: { domainMin: 1 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        scale: logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'series', type: 'nominal', title: null, sort: null },
      tooltip: [{ field: 'series' }, { field: 'epoch' }, { field: 'value', format: '.4g' }],
    },
  };
}

/** True when values span more than a factor of 20 and are all positive: then a log axis reads better. */
function wantsLog(points: readonly Point[]): boolean {
  const v = points.map((p) => p.value);
  if (v.length === 0 || v.some((x) => x <= 0)) return false;
  return Math.max(...v) / Math.min(...v) > 20;
}

/** Training and validation loss per epoch. */
export function lossChartSpec(history: History, title = 'Loss per epoch'): VlSpec {
  const points = [...curve(history.loss, 'training loss'), ...curve(history.valLoss, 'validation loss')];
  return lineSpec(title, 'loss', points, wantsLog(points));
}

/** Training and validation accuracy per epoch, or undefined when accuracy was not tracked. */
export function accuracyChartSpec(history: History): VlSpec | undefined {
  const points = [
    ...curve(history.metrics['accuracy'], 'training accuracy'),
    ...curve(history.metrics['valAccuracy'], 'validation accuracy'),
  ];
  if (points.length === 0) return undefined;
  return lineSpec('Accuracy per epoch', 'accuracy', points, false);
}

/**
 * One named loss curve per variant, for `neurite compare`. Variants with a `valLoss` also get their
 * validation curve, dashed, in the same colour as their training curve.
 */
export function compareChartSpec(
  variants: readonly { name: string; loss: readonly number[]; valLoss?: readonly number[] | undefined }[],
  title: string,
): VlSpec {
  const training = variants.flatMap((v) => curve(v.loss, v.name).map((p) => ({ ...p, kind: 'training' })));
  const validation = variants.flatMap((v) => curve(v.valLoss, v.name).map((p) => ({ ...p, kind: 'validation' })));
  const points = [...training, ...validation];
  if (validation.length === 0) return lineSpec(title, 'training loss', training, wantsLog(training), 620);
  const spec = lineSpec(title, 'loss', points, wantsLog(points), 620);
  const encoding = spec['encoding'] as Record<string, unknown>;
  return {
    ...spec,
    encoding: {
      ...encoding,
      strokeDash: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: {
          domain: ['training', 'validation'],
          range: [
            [1, 0],
            [6, 4],
          ],
        },
        legend: {
          symbolType: 'stroke',
          symbolStrokeColor: '#555',
          symbolStrokeWidth: 2,
          symbolSize: 300,
          symbolFillColor: 'transparent',
        },
      },
      tooltip: [{ field: 'series' }, { field: 'kind' }, { field: 'epoch' }, { field: 'value', format: '.4g' }],
    },
  };
}

/** A heat map of `matrix[actual][predicted]` with the counts written in the cells. */
export function confusionChartSpec(classes: readonly string[], matrix: readonly (readonly number[])[]): VlSpec {
  const values = matrix.flatMap((row, a) =>
    row.map((count, p) => ({ actual: classes[a], predicted: classes[p], count, correct: a === p })),
  );
  const max = Math.max(1, ...values.map((v) => v.count));
  const size = Math.min(420, Math.max(160, classes.length * 36));
  const order = [...classes];
  return {
    title: 'Confusion matrix (rows: actual, columns: predicted)',
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'actual', type: 'ordinal', sort: order },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, max] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', fontSize: classes.length > 12 ? 8 : 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${String(max / 2)}`, value: 'white' }, value: '#222' },
        },
      },
    ],
  };
}

/** At most this many points in a scatter (every k-th row beyond it), so the SVG stays small. */
const MAX_POINTS = 2000;

function sampled<T>(rows: readonly T[]): T[] {
  if (rows.length <= MAX_POINTS) return [...rows];
  const step = rows.length / MAX_POINTS;
  return Array.from({ length: MAX_POINTS }, (_, i) => rows[Math.floor(i * step)] as T);
}

/** Predicted against actual values, with the y = x line a perfect model would sit on. */
export function predictedActualChartSpec(
  actual: readonly number[],
  predicted: readonly number[],
  target: string,
): VlSpec {
  const points = sampled(actual.map((a, i) => ({ actual: a, predicted: predicted[i] as number })));
  const all = [...actual, ...predicted];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const scale = { domain: [lo, hi], nice: true, zero: false };
  return {
    title: `Predicted vs actual: ${target} (on the line y = x is perfect)`,
    width: 360,
    height: 360,
    layer: [
      {
        data: {
          values: [
            { actual: lo, predicted: lo },
            { actual: hi, predicted: hi },
          ],
        },
        mark: { type: 'line', color: '#9ca3af', strokeDash: [6, 4] },
        encoding: {
          x: { field: 'actual', type: 'quantitative', scale },
          y: { field: 'predicted', type: 'quantitative', scale },
        },
      },
      {
        data: { values: points },
        mark: { type: 'circle', size: 18, opacity: 0.6, color: '#2563eb' },
        encoding: {
          x: { field: 'actual', type: 'quantitative', title: `actual ${target}`, scale },
          y: { field: 'predicted', type: 'quantitative', title: `predicted ${target}`, scale },
          tooltip: [
            { field: 'actual', format: '.4g' },
            { field: 'predicted', format: '.4g' },
          ],
        },
      },
    ],
  };
}

/** Residuals (actual − predicted) against the prediction, with the zero line: structure here is error left to learn. */
export function residualChartSpec(actual: readonly number[], predicted: readonly number[], target: string): VlSpec {
  const points = sampled(
    actual.map((a, i) => ({ predicted: predicted[i] as number, residual: a - (predicted[i] as number) })),
  );
  return {
    title: `Residuals: ${target} (actual − predicted)`,
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: points },
        mark: { type: 'circle', size: 18, opacity: 0.6, color: '#dc2626' },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: `predicted ${target}`, scale: { zero: false } },
          y: { field: 'residual', type: 'quantitative', title: 'residual' },
          tooltip: [
            { field: 'predicted', format: '.4g' },
            { field: 'residual', format: '.4g' },
          ],
        },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#6b7280' },
        encoding: { y: { field: 'zero', type: 'quantitative' } },
      },
    ],
  };
}
