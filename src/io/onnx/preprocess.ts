// A table model's fitted pipeline as ONNX operators, so the exported model takes raw numbers:
// numeric columns are imputed (NaN → the training fill), scaled ((x − center) / scale, the form
// every scaling method is stored in) and, where the pipeline adds one, given their "was missing"
// indicator; regression outputs are mapped back to the target's units. Text never reaches an ONNX
// float tensor, so categorical, two-valued and date columns (one-hot of text, parsed dates) cannot
// be expressed: such a pipeline is refused unless the caller exports the network alone.
import { NeuriteError } from '../../core/errors.js';
import type { NumericStep, Pipeline } from '../../data/pipeline/index.js';
import type { GraphBuilder } from './graph-builder.js';

/** Why each of the pipeline's steps cannot be written as ONNX operators (empty: all can). */
export function inexpressibleSteps(p: Pipeline): string[] {
  const why: Record<string, string> = {
    categorical: 'one-hot encoding of text categories',
    boolean: 'a two-valued text column mapped to 0/1',
    date: 'dates parsed from text',
  };
  return p.steps.filter((s) => s.kind !== 'numeric').map((s) => `${s.column} (${why[s.kind] ?? s.kind})`);
}

/** The raw input columns of an exportable pipeline, in the order of the ONNX input's features. */
export function rawColumns(p: Pipeline): string[] {
  return p.steps.map((s) => s.column);
}

/** Refuses a pipeline with steps ONNX cannot express, naming them and the way out. */
export function assertExpressible(p: Pipeline): void {
  const bad = inexpressibleSteps(p);
  if (bad.length === 0) return;
  throw new NeuriteError(
    'UNSUPPORTED',
    `this model's preprocessing cannot be written as ONNX operators: ${bad.join(', ')}; ONNX float tensors carry numbers only. ` +
      `Export the network alone with { preprocessing: 'none' } (its inputs are then the pipeline's encoded features, listed in the file's metadata)`,
  );
}

/** Appends the input-side steps to `x` ([batch, raw columns]); returns the network's input. */
export function writePreprocessing(b: GraphBuilder, p: Pipeline, x: string): string {
  const steps = p.steps as readonly NumericStep[];
  const k = steps.length;
  const nan = b.op('IsNaN', [x]);
  const filled = b.op('Where', [
    nan,
    b.constant(
      'fill',
      [k],
      steps.map((s) => s.fill),
    ),
    x,
  ]);
  const centered = b.op('Sub', [
    filled,
    b.constant(
      'center',
      [k],
      steps.map((s) => s.scale.center),
    ),
  ]);
  const scaled = b.op('Div', [
    centered,
    b.constant(
      'scale',
      [k],
      steps.map((s) => s.scale.scale),
    ),
  ]);
  if (!steps.some((s) => s.indicator)) return scaled;
  // [scaled | indicators], then the features in the pipeline's order.
  const both = b.op('Concat', [scaled, b.op('Cast', [nan], { to: 1 })], { axis: 1 });
  const order: number[] = [];
  steps.forEach((s, i) => {
    order.push(i);
    if (s.indicator) order.push(k + i);
  });
  return b.op('Gather', [both, b.int64s('features', order)], { axis: 1 });
}

/** Appends the output-side steps (regression targets back to their units); returns the model's output. */
export function writePostprocessing(b: GraphBuilder, p: Pipeline, y: string): string {
  const t = p.target;
  if (t.kind !== 'values') return y;
  const scaled = b.op('Mul', [
    y,
    b.constant(
      'target.scale',
      [t.scales.length],
      t.scales.map((s) => s.scale),
    ),
  ]);
  return b.op('Add', [
    scaled,
    b.constant(
      'target.center',
      [t.scales.length],
      t.scales.map((s) => s.center),
    ),
  ]);
}
