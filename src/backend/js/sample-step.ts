import { ActId, type SampleStep, type SampleStepPlan } from '../types.js';

/** Largest stack (parameters) compiled into a step: straight-line code grows with it. */
export const SAMPLE_STEP_MAX_PARAMS = 256;

/**
 * From this pre-activation on, the float32 sigmoid is exactly 1 and the steps skip its exp:
 * e^−18 < 1.6e−8, so 1 / (1 + e^−z) > 1 − 2e−8 lies above 1 − 2^−25 (the midpoint between 1 and
 * the float32 below it) and rounds to 1, whatever the last bits of exp (test/backend/js/sample-step
 * checks every float32 from 18 to 20). Saturated units are common with unscaled inputs: seed
 * 002's hidden units sit at z ≈ 27 and 104, two of W1's three exps a step. Float64 steps, whose
 * values are not rounded, keep the exp.
 */
export const SIGMOID_IS_ONE = 18;

/** Activation ids the generated code writes out; any other makes {@link compileSampleStep} decline. */
const ACTS: ReadonlySet<number> = new Set([
  ActId.linear,
  ActId.sigmoid,
  ActId.tanh,
  ActId.relu,
  ActId.leakyRelu,
  ActId.softmax,
]);

/** Steps already compiled, by plan: networks of one architecture share one function (and its JIT state). */
const cache = new Map<string, SampleStep>();
/** Set when the runtime forbids `new Function` (a Content-Security-Policy without 'unsafe-eval'). */
let evalBlocked = false;

type Factory = (exp: (x: number) => number, tanh: (x: number) => number, fr: (x: number) => number) => SampleStep;

/**
 * The per-sample training step of one small dense stack as one generated function, monomorphic
 * for its sizes, activations, loss and update: the reference kernels' arithmetic written out
 * operation for operation (`samplePass` forward, the backend `loss`, `samplePass` backward, then
 * the `sgd` kernel), with every value rounded where the reference stores it in a Float32Array.
 * So it is bit-identical to the general path (test/model/sample-step.test.ts) while a `train`
 * call runs one function instead of ~15: the cold start (a fresh process's first thousands of
 * calls run in V8's interpreter and baseline tiers) and the warm path both pay per function.
 *
 * The step checks the rows as `toVector` does and returns `undefined` for any that fails (the
 * caller then takes the general path, which throws the precise error). A non-finite loss is
 * returned before any parameter changes. Returns `undefined` when it cannot compile: an activation
 * outside the written-out set, more than {@link SAMPLE_STEP_MAX_PARAMS} parameters, or a runtime
 * that forbids code generation (the caller keeps the non-generated `samplePass` path).
 */
export function compileSampleStep(plan: SampleStepPlan, f64: boolean): SampleStep | undefined {
  if (evalBlocked || !plan.layers.every((l) => ACTS.has(l.act))) return undefined;
  const params = plan.layers.reduce((s, l) => s + l.units * (l.inputs + 1), 0);
  if (params > SAMPLE_STEP_MAX_PARAMS) return undefined;
  const key = `${f64 ? 'f64' : 'f32'} ${stepKey(plan)}`;
  let step = cache.get(key);
  if (step === undefined) {
    const source = stepSource(plan, f64);
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: one function per architecture
      const factory = new Function('exp', 'tanh', 'fr', source) as Factory;
      step = factory(Math.exp, Math.tanh, Math.fround);
    } catch {
      evalBlocked = true;
      return undefined;
    }
    cache.set(key, step);
  }
  return step;
}

/** A string that differs between plans whose steps differ (the loss too, for steps that write it out). */
export function stepKey(plan: SampleStepPlan): string {
  return `${String(plan.update)} ${String(plan.fusedLast)} ${String(plan.scale)} ${String(plan.loss)} ${plan.layers
    .map(
      (l) =>
        `${String(l.inputs)},${String(l.units)},${String(l.act)},${String(l.param)},${String(l.weightOffset)},${String(l.biasOffset)}`,
    )
    .join(';')}`;
}

/** The body of the factory: `return function step(P, G, input, target, lr, L) { … }`. */
function stepSource(plan: SampleStepPlan, f64: boolean): string {
  const R = (e: string): string => (f64 ? `(${e})` : `fr(${e})`);
  const lines: string[] = [];
  const emit = (s: string): number => lines.push(s);
  const layers = plan.layers;
  const last = layers.length - 1;
  const inputs = layers[0]!.inputs;
  const outputs = layers[last]!.units;

  // toVector's checks, without a call: v - v is 0 exactly for finite numbers.
  const rowCheck = (name: string, n: number): string =>
    `if (${name} == null || typeof ${name} !== 'object' || ${name}.length !== ${String(n)}) return undefined;`;
  emit(rowCheck('input', inputs));
  emit(rowCheck('target', outputs));
  const load = (row: string, n: number, prefix: string): string[] => {
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = `${prefix}${String(i)}`;
      emit(`const ${v}r = ${row}[${String(i)}];`);
      emit(`if (typeof ${v}r !== 'number' || ${v}r - ${v}r !== 0) return undefined;`);
      emit(`const ${v} = ${R(`${v}r`)};`);
      names.push(v);
    }
    return names;
  };
  let x = load('input', inputs, 'x');
  const t = load('target', outputs, 't');

  // Forward: z = b + dot(x, w) as `dot` sums (four accumulators), then the activation.
  const xs: string[][] = [x];
  const zs: string[][] = [];
  const ys: string[][] = [];
  layers.forEach((l, li) => {
    const k = l.inputs;
    const z: string[] = [];
    for (let j = 0; j < l.units; j++) {
      const acc = ['0', '0', '0', '0'];
      let p = 0;
      const term = (q: number): string => {
        const w = `w${String(li)}_${String(j)}_${String(q)}`;
        emit(`const ${w} = P[${String(l.weightOffset + j * k + q)}];`);
        return `${x[q]!} * ${w}`;
      };
      for (; p + 3 < k; p += 4) for (let a = 0; a < 4; a++) acc[a] = `(${acc[a]!} + ${term(p + a)})`;
      for (; p < k; p++) acc[0] = `(${acc[0]!} + ${term(p)})`;
      const b = `b${String(li)}_${String(j)}`;
      emit(`const ${b} = P[${String(l.biasOffset + j)}];`);
      const name = `z${String(li)}_${String(j)}`;
      // Below four inputs `dot` returns s0 + 0 + (0 + 0), which is s0: a chain of sums from +0 is
      // never −0 (round-to-nearest gives −0 only for −0 + −0), and x + 0 is x for every other x.
      const sum = k < 4 ? acc[0]! : `${acc[0]!} + ${acc[1]!} + (${acc[2]!} + ${acc[3]!})`;
      emit(`const ${name} = ${R(`${b} + (${sum})`)};`);
      z.push(name);
    }
    zs.push(z);
    const y = z.map((_, j) => `y${String(li)}_${String(j)}`);
    if (l.act === ActId.softmax) softmaxForward(emit, R, li, z, y);
    else z.forEach((zj, j) => emit(`const ${y[j]!} = ${actForward(l.act, l.param, zj, R, f64)};`));
    ys.push(y);
    x = y;
    xs.push(y);
  });

  // The loss as the backend's `loss` computes it: scale · Σ f, gradient scale · df (or p − t fused).
  // 1 · v is v for every v (−0 and NaN included): the common scale of one output costs nothing.
  const times = plan.scale === 1 ? '' : `${String(plan.scale)} * `;
  const out = ys[last]!;
  emit('let sum = 0;');
  out.forEach((p, j) => emit(`sum += L.f(${p}, ${t[j]!});`));
  emit(`const loss = ${times}sum;`);
  emit('if (loss - loss !== 0) return loss;');
  let d = out.map((p, j) => {
    const name = `g${String(last)}_${String(j)}`;
    emit(`const ${name} = ${R(`${times}${plan.fusedLast ? `(${p} - ${t[j]!})` : `L.df(${p}, ${t[j]!})`}`)};`);
    return name;
  });

  // Backward, last layer first: activation derivative, dW and db, dX with the old weights, update.
  for (let li = last; li >= 0; li--) {
    const l = layers[li]!;
    const k = l.inputs;
    const y = ys[li]!;
    const z = zs[li]!;
    const xin = xs[li]!;
    if (!(plan.fusedLast && li === last)) {
      const dd = d.map((_, j) => `d${String(li)}_${String(j)}`);
      if (l.act === ActId.softmax) softmaxBackward(emit, R, li, y, d, dd);
      else d.forEach((dj, j) => emit(`const ${dd[j]!} = ${actBackward(l.act, l.param, z[j]!, y[j]!, dj, R)};`));
      d = dd;
    }
    const prev: string[] = [];
    for (let q = 0; q < k && li > 0; q++) {
      const name = `g${String(li - 1)}_${String(q)}`;
      let e = '0';
      d.forEach((dj, j) => {
        e = R(`${e} + ${dj} * w${String(li)}_${String(j)}_${String(q)}`);
      });
      emit(`const ${name} = ${e};`);
      prev.push(name);
    }
    d.forEach((dj, j) => {
      for (let q = 0; q < k; q++) {
        const at = String(l.weightOffset + j * k + q);
        const g = R(`0 + ${dj} * ${xin[q]!}`);
        emit(plan.update ? `P[${at}] = w${String(li)}_${String(j)}_${String(q)} - lr * ${g};` : `G[${at}] = ${g};`);
      }
      const at = String(l.biasOffset + j);
      const g = R(`0 + ${dj}`);
      emit(plan.update ? `P[${at}] = b${String(li)}_${String(j)} - lr * ${g};` : `G[${at}] = ${g};`);
    });
    d = prev;
  }
  emit('return loss;');
  return `'use strict';\nreturn function sampleStep(P, G, input, target, lr, L) {\n${lines.join('\n')}\n};`;
}

/** `actForward`'s expression for one value (the result rounded as the reference stores it). */
function actForward(id: number, a: number, z: string, R: (e: string) => string, f64: boolean): string {
  switch (id) {
    case ActId.sigmoid:
      return f64 ? R(`1 / (1 + exp(-${z}))`) : `(${z} >= ${String(SIGMOID_IS_ONE)} ? 1 : ${R(`1 / (1 + exp(-${z}))`)})`;
    case ActId.tanh:
      return R(`tanh(${z})`);
    case ActId.relu:
      return `(${z} < 0 ? 0 : ${z})`;
    case ActId.leakyRelu:
      return R(`${z} < 0 ? ${String(a)} * ${z} : ${z}`);
    default:
      return z;
  }
}

/** `actBackward`'s expression for one value. */
function actBackward(id: number, a: number, z: string, y: string, d: string, R: (e: string) => string): string {
  switch (id) {
    case ActId.sigmoid:
      return R(`${d} * ${y} * (1 - ${y})`);
    case ActId.tanh:
      return R(`${d} * (1 - ${y} * ${y})`);
    case ActId.relu:
      return `(${z} > 0 ? ${d} : 0 * ${d})`;
    case ActId.leakyRelu:
      return R(`${d} * (${z} < 0 ? ${String(a)} : 1)`);
    default:
      return d;
  }
}

/** `softmaxRows` on one row, written out: the max (NaN wins), exponentials summed unrounded, the scale. */
function softmaxForward(
  emit: (s: string) => number,
  R: (e: string) => string,
  li: number,
  z: string[],
  y: string[],
): void {
  const m = `m${String(li)}`;
  const s = `s${String(li)}`;
  emit(`let ${m} = -Infinity;`);
  for (const zj of z) emit(`if (${zj} > ${m} || ${zj} !== ${zj}) ${m} = ${zj};`);
  emit(`let ${s} = 0;`);
  z.forEach((zj, j) => {
    emit(`const e${String(li)}_${String(j)} = exp(${zj} - ${m});`);
    emit(`${s} += e${String(li)}_${String(j)};`);
  });
  emit(`const i${String(li)} = 1 / ${s};`);
  y.forEach((yj, j) => emit(`const ${yj} = ${R(`${R(`e${String(li)}_${String(j)}`)} * i${String(li)}`)};`));
}

/** `softmaxBackward` on one row: dx = y (dy − Σ dy·y). */
function softmaxBackward(
  emit: (s: string) => number,
  R: (e: string) => string,
  li: number,
  y: string[],
  d: string[],
  out: string[],
): void {
  const s = `q${String(li)}`;
  emit(`let ${s} = 0;`);
  d.forEach((dj, j) => emit(`${s} += ${dj} * ${y[j]!};`));
  out.forEach((o, j) => emit(`const ${o} = ${R(`${y[j]!} * (${d[j]!} - ${s})`)};`));
}
