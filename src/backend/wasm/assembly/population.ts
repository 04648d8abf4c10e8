// @ts-nocheck -- AssemblyScript (compiled by asc, not tsc).
//
// Native version of the `populationForward` kernel (reference: src/backend/js/population.ts):
// the forward pass of a chunk of genomes of one fixed-topology network over the same input rows.
// Blocks are feature-major inside ([units][R] floats, R = rows rounded up to 4), so every neuron
// is `acc = bias; acc += w_p · x[p][r … r+3]` over four rows per f32x4 with the activation applied
// before the store; the last layer is stored row-major ([rows][units] per genome), as the
// reference writes it.
//
// arrays: x (rows × inputs, row-major), genomes (count × genomeLength), out (count × rows ×
// outputs), table (6 floats per layer: inputs, units, weight offset, bias offset, activation id,
// activation param), scratch (see populationScratch in src/backend/js/population.ts: xT, then two
// hidden-layer blocks, all in scratch A).
// attrs: rows, layers, genomeLength, widest (units of the widest layer).
import { fastTanh4 } from './activations';
import { arr, at, attrInt } from './addressing';

/** Activation ids run here (ActId): 0 linear, 3 relu, 9 fastTanh, 10 fastSigmoid; see native-kernels.ts. */
function act(v: v128, id: i32): v128 {
  if (id == 9) return fastTanh4(v);
  if (id == 10) {
    const half = f32x4.splat(0.5);
    return f32x4.add(f32x4.mul(fastTanh4(f32x4.mul(v, half)), half), half);
  }
  if (id == 3) return f32x4.max(v, f32x4.splat(0));
  return v;
}

/** Stores rows r … r+3 of neuron j: feature-major for hidden layers, row-major (valid rows only) for the last. */
function put(v: v128, dst: usize, r: i32, j: i32, n: i32, R: i32, rows: i32, last: bool): void {
  if (!last) {
    v128.store(at(dst, j * R + r), v);
    return;
  }
  if (r < rows) store<f32>(at(dst, r * n + j), f32x4.extract_lane(v, 0));
  if (r + 1 < rows) store<f32>(at(dst, (r + 1) * n + j), f32x4.extract_lane(v, 1));
  if (r + 2 < rows) store<f32>(at(dst, (r + 2) * n + j), f32x4.extract_lane(v, 2));
  if (r + 3 < rows) store<f32>(at(dst, (r + 3) * n + j), f32x4.extract_lane(v, 3));
}

export function populationForward(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const x = arr(arrays, 0);
  const genomes = arr(arrays, 1);
  const out = arr(arrays, 2);
  const table = arr(arrays, 3);
  const scratch = arr(arrays, 4);
  const rows = attrInt(attrs, 0);
  const layers = attrInt(attrs, 1);
  const glen = attrInt(attrs, 2);
  const widest = attrInt(attrs, 3);
  const inputs = <i32>load<f32>(table);
  const R = (rows + 3) & ~3;
  const xT = scratch;
  const bufA = at(xT, inputs * R);
  const bufB = at(bufA, widest * R);
  // The inputs, feature-major; padding rows are zero.
  for (let p = 0; p < inputs; p++)
    for (let r = 0; r < R; r++) store<f32>(at(xT, p * R + r), r < rows ? load<f32>(at(x, r * inputs + p)) : 0);
  const rowBytes = R << 2;
  for (let g = lo; g < hi; g++) {
    const gp = at(genomes, g * glen);
    let src = xT;
    for (let l = 0; l < layers; l++) {
      const t = at(table, l * 6);
      const k = <i32>load<f32>(t);
      const n = <i32>load<f32>(t, 4);
      const wo = <i32>load<f32>(t, 8);
      const bo = <i32>load<f32>(t, 12);
      const id = <i32>load<f32>(t, 16);
      const last = l == layers - 1;
      const dst = last ? at(out, g * rows * n) : (l & 1) != 0 ? bufB : bufA;
      for (let j = 0; j < n; j++) {
        const w = at(gp, wo + j * k);
        const b = f32x4.splat(load<f32>(at(gp, bo + j)));
        let r = 0;
        // 16 rows at a time: four accumulators share each weight splat.
        for (; r + 16 <= R; r += 16) {
          let a0 = b;
          let a1 = b;
          let a2 = b;
          let a3 = b;
          let xs = at(src, r);
          for (let p = 0; p < k; p++) {
            const wv = f32x4.splat(load<f32>(at(w, p)));
            a0 = f32x4.add(a0, f32x4.mul(wv, v128.load(xs)));
            a1 = f32x4.add(a1, f32x4.mul(wv, v128.load(xs, 16)));
            a2 = f32x4.add(a2, f32x4.mul(wv, v128.load(xs, 32)));
            a3 = f32x4.add(a3, f32x4.mul(wv, v128.load(xs, 48)));
            xs += rowBytes;
          }
          put(act(a0, id), dst, r, j, n, R, rows, last);
          put(act(a1, id), dst, r + 4, j, n, R, rows, last);
          put(act(a2, id), dst, r + 8, j, n, R, rows, last);
          put(act(a3, id), dst, r + 12, j, n, R, rows, last);
        }
        for (; r < R; r += 4) {
          let a0 = b;
          let xs = at(src, r);
          for (let p = 0; p < k; p++) {
            a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(at(w, p))), v128.load(xs)));
            xs += rowBytes;
          }
          put(act(a0, id), dst, r, j, n, R, rows, last);
        }
      }
      src = dst;
    }
  }
}

/**
 * Native version of the `populationAffine` kernel (reference: src/backend/js/population.ts): one
 * layer of genomes [lo, hi), dst[g][r][j] = bias_j + dot(src_r, w_j), in the reference's float64
 * arithmetic and order (`dot` in src/backend/js/gemm.ts: partial sums s0 … s3 over p, the
 * remainder into s0, then (s0 + s1) + (s2 + s3)), rounded to f32 once. Wasm f64 arithmetic is
 * IEEE double with no fused multiply-add, so every output is bit-identical to the reference's.
 * Two rows at a time share the weights' loads; scalar on purpose: an f64x2 version (promote +
 * shuffle per four inputs) ran 3× slower here.
 *
 * arrays: src (genome g's rows start at g · srcStride), genomes (count × genomeLength), dst
 * (count × rows × units). attrs: rows, genomeLength, k, units, weight offset, bias offset, srcStride.
 */
export function populationAffine(lo: i32, hi: i32, arrays: usize, attrs: usize): void {
  const src = arr(arrays, 0);
  const genomes = arr(arrays, 1);
  const dst = arr(arrays, 2);
  const rows = attrInt(attrs, 0);
  const glen = attrInt(attrs, 1);
  const k = attrInt(attrs, 2);
  const n = attrInt(attrs, 3);
  const wo = attrInt(attrs, 4);
  const bo = attrInt(attrs, 5);
  const srcStride = attrInt(attrs, 6);
  const k4 = k & ~3;
  for (let g = lo; g < hi; g++) {
    const gp = at(genomes, g * glen);
    const xg = at(src, g * srcStride);
    const zg = at(dst, g * rows * n);
    for (let j = 0; j < n; j++) {
      const w = at(gp, wo + j * k);
      const b = <f64>load<f32>(at(gp, bo + j));
      let x = xg;
      let z = at(zg, j);
      let r = 0;
      // Two rows at a time share each weight's load (as dot2 in src/backend/js/gemm.ts).
      for (; r + 1 < rows; r += 2) {
        const x1 = at(x, k);
        let s0: f64 = 0;
        let s1: f64 = 0;
        let s2: f64 = 0;
        let s3: f64 = 0;
        let t0: f64 = 0;
        let t1: f64 = 0;
        let t2: f64 = 0;
        let t3: f64 = 0;
        let p = 0;
        for (; p < k4; p += 4) {
          const w0 = <f64>load<f32>(at(w, p));
          const w1 = <f64>load<f32>(at(w, p + 1));
          const w2 = <f64>load<f32>(at(w, p + 2));
          const w3 = <f64>load<f32>(at(w, p + 3));
          s0 += <f64>load<f32>(at(x, p)) * w0;
          s1 += <f64>load<f32>(at(x, p + 1)) * w1;
          s2 += <f64>load<f32>(at(x, p + 2)) * w2;
          s3 += <f64>load<f32>(at(x, p + 3)) * w3;
          t0 += <f64>load<f32>(at(x1, p)) * w0;
          t1 += <f64>load<f32>(at(x1, p + 1)) * w1;
          t2 += <f64>load<f32>(at(x1, p + 2)) * w2;
          t3 += <f64>load<f32>(at(x1, p + 3)) * w3;
        }
        for (; p < k; p++) {
          const wp = <f64>load<f32>(at(w, p));
          s0 += <f64>load<f32>(at(x, p)) * wp;
          t0 += <f64>load<f32>(at(x1, p)) * wp;
        }
        store<f32>(z, <f32>(b + (s0 + s1 + (s2 + s3))));
        store<f32>(at(z, n), <f32>(b + (t0 + t1 + (t2 + t3))));
        x = at(x1, k);
        z = at(z, 2 * n);
      }
      if (r < rows) {
        let s0: f64 = 0;
        let s1: f64 = 0;
        let s2: f64 = 0;
        let s3: f64 = 0;
        let p = 0;
        for (; p < k4; p += 4) {
          s0 += <f64>load<f32>(at(x, p)) * <f64>load<f32>(at(w, p));
          s1 += <f64>load<f32>(at(x, p + 1)) * <f64>load<f32>(at(w, p + 1));
          s2 += <f64>load<f32>(at(x, p + 2)) * <f64>load<f32>(at(w, p + 2));
          s3 += <f64>load<f32>(at(x, p + 3)) * <f64>load<f32>(at(w, p + 3));
        }
        for (; p < k; p++) s0 += <f64>load<f32>(at(x, p)) * <f64>load<f32>(at(w, p));
        store<f32>(z, <f32>(b + (s0 + s1 + (s2 + s3))));
      }
    }
  }
}
