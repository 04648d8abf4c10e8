// The per-sample training step of one small stack as a WebAssembly function generated for it:
// the same operations, in the same order and rounded at the same points, as the JS step of
// src/backend/js/sample-step.ts (and so as the reference kernels). Why a second one: before V8
// optimises the JS step, each of its ~150 float operations allocates a heap number (1.75 kB a
// step), so a fresh process's first 4,000 steps (seed 002, W1 cold) spent half their time in the
// interpreter and the garbage collector. A wasm function runs unboxed from its first call
// (Liftoff compiles it in microseconds) and allocates nothing. Once V8 has optimised the JS step
// it is the faster one (W1: ~50–58 against ~64 ns a step), so the backend hands over to it
// (step-handover.ts).
import type { FloatArray } from '../../core/matrix.js';
import { SAMPLE_STEP_MAX_PARAMS, SIGMOID_IS_ONE } from '../js/sample-step.js';
import { ActId, LossId, type SampleStep, type SampleStepPlan } from '../types.js';

/** Bytes of a module section. */
type Code = number[];
/** An expression: pushes its instructions, in evaluation order, onto the code. */
type Expr = (o: Code) => void;

/** The opcodes the step uses (WebAssembly core specification, §5.4). */
const OP = {
  localGet: 0x20,
  localSet: 0x21,
  f64Const: 0x44,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f32Store: 0x38,
  demote: 0xb6,
  promote: 0xbb,
  add: 0xa0,
  sub: 0xa1,
  mul: 0xa2,
  div: 0xa3,
  neg: 0x9a,
  ne: 0x62,
  lt: 0x63,
  gt: 0x64,
  ge: 0x66,
  select: 0x1b,
  call: 0x10,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  return: 0x0f,
} as const;
const F64 = 0x7c;
const I32 = 0x7f;
/** Parameters of the step: byte offsets of P, G and the staged rows (f64), and the learning rate. */
const [PARAM_P, PARAM_G, PARAM_S, PARAM_LR] = [0, 1, 2, 3];

const SUPPORTED_ACTS: ReadonlySet<number> = new Set([
  ActId.linear,
  ActId.sigmoid,
  ActId.tanh,
  ActId.relu,
  ActId.leakyRelu,
]);

/** Appends n as unsigned LEB128 to o (and returns o). */
function uleb(n: number, o: Code = []): Code {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    o.push(b);
  } while (n !== 0);
  return o;
}

// Module assembly with concat, not spreads: a spread walks the iterator protocol, which in a cold
// process (the interpreter) made building this ~900-byte module cost milliseconds.
const vec = (items: Code[]): Code => uleb(items.length).concat(...items);
const name = (s: string): Code => vec(Array.from(new TextEncoder().encode(s), (c) => [c]));
const section = (id: number, payload: Code): Code => [id].concat(uleb(payload.length), payload);

const f64Bits = new DataView(new ArrayBuffer(8));
const num =
  (v: number): Expr =>
  (o) => {
    f64Bits.setFloat64(0, v, true);
    o.push(OP.f64Const);
    for (let i = 0; i < 8; i++) o.push(f64Bits.getUint8(i));
  };
const get =
  (i: number): Expr =>
  (o) => {
    o.push(OP.localGet);
    uleb(i, o);
  };
const op =
  (code: number) =>
  (a: Expr, b: Expr): Expr =>
  (o) => {
    a(o);
    b(o);
    o.push(code);
  };
const add = op(OP.add);
const sub = op(OP.sub);
const mul = op(OP.mul);
const div = op(OP.div);
const lt = op(OP.lt);
const gt = op(OP.gt);
const ge = op(OP.ge);
/** `c ? a : b`, evaluating only the branch taken. */
const cond =
  (c: Expr, a: Expr, b: Expr): Expr =>
  (o) => {
    c(o);
    o.push(OP.if, F64);
    a(o);
    o.push(OP.else);
    b(o);
    o.push(OP.end);
  };
/** `c ? a : b` on values without side effects. */
const select =
  (a: Expr, b: Expr, c: Expr): Expr =>
  (o) => {
    a(o);
    b(o);
    c(o);
    o.push(OP.select);
  };
const call =
  (f: number, a: Expr): Expr =>
  (o) => {
    a(o);
    o.push(OP.call, f);
  };
const neg =
  (a: Expr): Expr =>
  (o) => {
    a(o);
    o.push(OP.neg);
  };
/** Math.fround: the value a Float32Array would store. */
const R =
  (e: Expr): Expr =>
  (o) => {
    e(o);
    o.push(OP.demote, OP.promote);
  };

/** The function body under construction: f64 locals numbered after the four parameters. */
class Body {
  readonly code: Code = [];
  locals = 0;

  /** Evaluates `e` once into a new local; returns the local's index. */
  let(e: Expr): number {
    const i = 4 + this.locals++;
    e(this.code);
    this.code.push(OP.localSet);
    uleb(i, this.code);
    return i;
  }
}

/** P[i] as a double. */
const loadParam =
  (i: number): Expr =>
  (o) => {
    o.push(OP.localGet, PARAM_P, OP.f32Load, 2);
    uleb(i * 4, o);
    o.push(OP.promote);
  };
/** The i-th staged row value (inputs, then targets) as the caller passed it. */
const loadRow =
  (i: number): Expr =>
  (o) => {
    o.push(OP.localGet, PARAM_S, OP.f64Load, 3);
    uleb(i * 8, o);
  };
/** Stores e, rounded to f32, at element i of the array at parameter `base` (P or G). */
const store =
  (base: number, i: number, e: Expr): Expr =>
  (o) => {
    o.push(OP.localGet, base);
    e(o);
    o.push(OP.demote, OP.f32Store, 2);
    uleb(i * 4, o);
  };

/** Function indices of the imported Math functions the step calls. */
interface Imports {
  exp: number;
  tanh: number;
}

/** `actForward` of the JS step, for one value. */
function actForward(id: number, a: number, z: Expr, fns: Imports): Expr {
  switch (id) {
    case ActId.sigmoid:
      // 1 from SIGMOID_IS_ONE on (see there); NaN takes the exp, as in the JS step.
      return cond(ge(z, num(SIGMOID_IS_ONE)), num(1), R(div(num(1), add(num(1), call(fns.exp, neg(z))))));
    case ActId.tanh:
      return R(call(fns.tanh, z));
    case ActId.relu:
      return select(num(0), z, lt(z, num(0)));
    case ActId.leakyRelu:
      return R(select(mul(num(a), z), z, lt(z, num(0))));
    default:
      return z;
  }
}

/** `actBackward` of the JS step, for one value. */
function actBackward(id: number, a: number, z: Expr, y: Expr, d: Expr): Expr {
  switch (id) {
    case ActId.sigmoid:
      return R(mul(mul(d, y), sub(num(1), y)));
    case ActId.tanh:
      return R(mul(d, sub(num(1), mul(y, y))));
    case ActId.relu:
      return select(d, mul(num(0), d), gt(z, num(0)));
    case ActId.leakyRelu:
      return R(mul(d, select(num(a), num(1), lt(z, num(0)))));
    default:
      return d;
  }
}

/**
 * Whether {@link sampleStepModule} writes this plan out: the activations above, the squared-error
 * losses (whose term and derivative it writes as `losses.ts` defines them), no fused output.
 */
export function wasmStepSupports(plan: SampleStepPlan): boolean {
  return (
    (plan.loss === LossId.mse || plan.loss === LossId.ssr) &&
    !plan.fusedLast &&
    plan.layers.every((l) => SUPPORTED_ACTS.has(l.act))
  );
}

/**
 * The module of one plan's step: imports `env.memory` (shared or not, as the backend's) and
 * `m.exp`, `m.tanh` when used (Math.exp and Math.tanh, so the values are the JS step's), exports
 * `step(p, g, s, lr) → loss`. The rows are staged as f64 at byte offset `s` (inputs, then targets).
 * A non-finite loss returns before any parameter or gradient is written.
 */
export function sampleStepModule(plan: SampleStepPlan, shared: boolean, maxPages: number): Uint8Array<ArrayBuffer> {
  const b = new Body();
  const layers = plan.layers;
  const last = layers.length - 1;
  const inputs = layers[0]!.inputs;
  const outputs = layers[last]!.units;
  const v = get;
  const uses = (act: number): boolean => layers.some((l) => l.act === act);
  // Only the Math functions the stack calls are imported (each import costs a wrapper to compile).
  const math = [...(uses(ActId.sigmoid) ? ['exp'] : []), ...(uses(ActId.tanh) ? ['tanh'] : [])];
  const fns: Imports = { exp: math.indexOf('exp'), tanh: math.indexOf('tanh') };

  let x = Array.from({ length: inputs }, (_, i) => b.let(R(loadRow(i))));
  const t = Array.from({ length: outputs }, (_, j) => b.let(R(loadRow(inputs + j))));

  // Forward: z = b + dot(x, w) with `dot`'s four accumulators, then the activation.
  const xs: number[][] = [x];
  const zs: number[][] = [];
  const ys: number[][] = [];
  const ws: number[][][] = [];
  const bs: number[][] = [];
  layers.forEach((l, li) => {
    const k = l.inputs;
    const z: number[] = [];
    ws.push([]);
    bs.push([]);
    for (let j = 0; j < l.units; j++) {
      const w: number[] = [];
      const acc: Expr[] = [num(0), num(0), num(0), num(0)];
      const term = (q: number): Expr => {
        w[q] = b.let(loadParam(l.weightOffset + j * k + q));
        return mul(v(x[q]!), v(w[q]));
      };
      let p = 0;
      for (; p + 3 < k; p += 4) for (let a = 0; a < 4; a++) acc[a] = add(acc[a]!, term(p + a));
      for (; p < k; p++) acc[0] = add(acc[0]!, term(p));
      ws[li]!.push(w);
      const bias = b.let(loadParam(l.biasOffset + j));
      bs[li]!.push(bias);
      const sum = k < 4 ? acc[0]! : add(add(acc[0]!, acc[1]!), add(acc[2]!, acc[3]!));
      z.push(b.let(R(add(v(bias), sum))));
    }
    zs.push(z);
    const y = z.map((zj) => (l.act === ActId.linear ? zj : b.let(actForward(l.act, l.param, v(zj), fns))));
    ys.push(y);
    x = y;
    xs.push(y);
  });

  // The loss: scale · Σ (p − t)², gradient scale · 2(p − t) (losses.ts's mse and ssr).
  const scaled = (e: Expr): Expr => (plan.scale === 1 ? e : mul(num(plan.scale), e));
  const out = ys[last]!;
  let sum = num(0);
  out.forEach((p, j) => {
    const r = sub(v(p), v(t[j]!));
    sum = add(sum, mul(r, r));
  });
  const loss = b.let(scaled(sum));
  sub(v(loss), v(loss))(b.code);
  num(0)(b.code);
  b.code.push(OP.ne, OP.if, 0x40);
  v(loss)(b.code);
  b.code.push(OP.return, OP.end);
  let d = out.map((p, j) => b.let(R(scaled(mul(num(2), sub(v(p), v(t[j]!)))))));

  // Backward, last layer first: activation derivative, dX with the old weights, then dW and db.
  for (let li = last; li >= 0; li--) {
    const l = layers[li]!;
    const y = ys[li]!;
    const z = zs[li]!;
    const xin = xs[li]!;
    d = d.map((dj, j) => (l.act === ActId.linear ? dj : b.let(actBackward(l.act, l.param, v(z[j]!), v(y[j]!), v(dj)))));
    const prev: number[] = [];
    for (let q = 0; q < l.inputs && li > 0; q++) {
      let e = num(0);
      d.forEach((dj, j) => {
        e = R(add(e, mul(v(dj), v(ws[li]![j]![q]!))));
      });
      prev.push(b.let(e));
    }
    d.forEach((dj, j) => {
      const put = (at: number, old: number, g: Expr): void => {
        (plan.update ? store(PARAM_P, at, sub(v(old), mul(v(PARAM_LR), g))) : store(PARAM_G, at, g))(b.code);
      };
      for (let q = 0; q < l.inputs; q++)
        put(l.weightOffset + j * l.inputs + q, ws[li]![j]![q]!, R(add(num(0), mul(v(dj), v(xin[q]!)))));
      put(l.biasOffset + j, bs[li]![j]!, R(add(num(0), v(dj))));
    });
    d = prev;
  }
  v(loss)(b.code);

  const unary = [0x60, 1, F64, 1, F64];
  const stepType = [0x60, 4, I32, I32, I32, F64, 1, F64];
  const limits = [shared ? 0x03 : 0x01, 0].concat(uleb(maxPages));
  const locals = b.locals > 0 ? [uleb(b.locals).concat(F64)] : [];
  const body = vec(locals).concat(b.code, OP.end);
  const imports = [name('env').concat(name('memory'), 0x02, limits)].concat(
    math.map((f) => name('m').concat(name(f), 0x00, 0)),
  );
  return new Uint8Array(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00].concat(
      section(1, vec([unary, stepType])),
      section(2, vec(imports)),
      section(3, vec([[1]])),
      section(7, vec([name('step').concat(0x00, math.length)])),
      section(10, vec([uleb(body.length).concat(body)])),
    ),
  );
}

/** What {@link wasmSampleStep} needs from its backend. */
export interface StepHost {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly maxPages: number;
  /** A block of `bytes` bytes of `memory` (byte offset), or -1. */
  reserve(bytes: number): number;
  /** Byte offset of an array living in `memory`, else -1. */
  offsetOf(a: FloatArray): number;
}

/**
 * The plan's step as a {@link SampleStep} over arrays in `host.memory`, or `undefined` when the
 * plan is outside what {@link sampleStepModule} writes, or the runtime refuses to compile it (a
 * browser main thread limits synchronous compilation): the caller then keeps the JS step. The
 * rows are checked as the JS step checks them while they are staged; `L` is not called (the
 * plan's loss is written out).
 */
export function wasmSampleStep(plan: SampleStepPlan, host: StepHost): SampleStep | undefined {
  const params = plan.layers.reduce((s, l) => s + l.units * (l.inputs + 1), 0);
  if (params > SAMPLE_STEP_MAX_PARAMS || !wasmStepSupports(plan)) return undefined;
  const inputs = plan.layers[0]!.inputs;
  const outputs = plan.layers[plan.layers.length - 1]!.units;
  const at = host.reserve((inputs + outputs) * 8);
  if (at < 0) return undefined;
  let fn: (p: number, g: number, s: number, lr: number) => number;
  try {
    const mod = new WebAssembly.Module(sampleStepModule(plan, host.shared, host.maxPages));
    const imports = { env: { memory: host.memory }, m: { exp: Math.exp, tanh: Math.tanh } };
    fn = new WebAssembly.Instance(mod, imports).exports['step'] as typeof fn;
  } catch {
    return undefined;
  }
  // A view made now stays valid: a shared memory's old buffers alias the grown one, and an
  // unshared one never grows (see backend.ts).
  const staged = new Float64Array(host.memory.buffer, at, inputs + outputs);
  const stage = (row: unknown, n: number, first: number): boolean => {
    if (row == null || typeof row !== 'object' || (row as { length?: unknown }).length !== n) return false;
    for (let i = 0; i < n; i++) {
      const value = (row as Record<number, unknown>)[i];
      if (typeof value !== 'number' || value - value !== 0) return false;
      staged[first + i] = value;
    }
    return true;
  };
  let lastP: FloatArray | undefined;
  let lastG: FloatArray | undefined;
  let p = -1;
  let g = -1;
  return (P, G, input, target, lr) => {
    if (P !== lastP || G !== lastG) {
      [lastP, lastG, p, g] = [P, G, host.offsetOf(P), host.offsetOf(G)];
    }
    if (p < 0 || g < 0 || !stage(input, inputs, 0) || !stage(target, outputs, inputs)) return undefined;
    return fn(p, g, at, lr);
  };
}
