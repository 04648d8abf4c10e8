;; The population forward kernel of neurite/evolve (see packed-wasm.ts), WebAssembly SIMD.
;;
;; Activations are feature-major: a layer's block is [units][R] floats (R = rows rounded up to 4),
;; so every neuron is `acc = bias; acc += w_p · x[p][r … r+3]` over four rows per f32x4, and the
;; activation is applied to the accumulator before it is stored. The last layer is stored
;; row-major ([R][units] per genome) so each genome's outputs are one contiguous rows × units view.
;;
;; Regenerate packed-kernel.generated.ts after editing:
;;   npx wasm-as --enable-simd -O3 src/evolve/packed-kernel.wat -o /tmp/k.wasm
;;   then embed base64 of /tmp/k.wasm (see the header of packed-kernel.generated.ts).
(module
  (memory (export "memory") 1 32768)

  ;; tanh by Eigen's float32 rational approximation (13/6), clamped at ±7.90531; NaN propagates.
  (func $tanh (param $x v128) (result v128)
    (local $x2 v128) (local $p v128) (local $q v128)
    (local.set $x
      (f32x4.max
        (f32x4.min (local.get $x) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805))
        (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
    (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2)
      (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16))
      (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p))
      (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p))
      (v128.const f32x4 5.12229709037114e-8 5.12229709037114e-8 5.12229709037114e-8 5.12229709037114e-8)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p))
      (v128.const f32x4 1.48572235717979e-5 1.48572235717979e-5 1.48572235717979e-5 1.48572235717979e-5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p))
      (v128.const f32x4 6.37261928875436e-4 6.37261928875436e-4 6.37261928875436e-4 6.37261928875436e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $x2) (local.get $p))
      (v128.const f32x4 4.89352455891786e-3 4.89352455891786e-3 4.89352455891786e-3 4.89352455891786e-3)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2)
      (v128.const f32x4 1.19825839466702e-6 1.19825839466702e-6 1.19825839466702e-6 1.19825839466702e-6))
      (v128.const f32x4 1.18534705686654e-4 1.18534705686654e-4 1.18534705686654e-4 1.18534705686654e-4)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (local.get $q))
      (v128.const f32x4 2.268434632439e-3 2.268434632439e-3 2.268434632439e-3 2.268434632439e-3)))
    (local.set $q (f32x4.add (f32x4.mul (local.get $x2) (local.get $q))
      (v128.const f32x4 4.89352518554385e-3 4.89352518554385e-3 4.89352518554385e-3 4.89352518554385e-3)))
    (f32x4.div (f32x4.mul (local.get $x) (local.get $p)) (local.get $q)))

  ;; act: 0 linear, 1 tanh, 2 sigmoid (½·tanh(x/2) + ½), 3 relu.
  (func $act (param $v v128) (param $act i32) (result v128)
    (if (result v128) (i32.eq (local.get $act) (i32.const 1))
      (then (call $tanh (local.get $v)))
      (else
        (if (result v128) (i32.eq (local.get $act) (i32.const 2))
          (then
            (f32x4.add
              (f32x4.mul
                (call $tanh (f32x4.mul (local.get $v) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (v128.const f32x4 0.5 0.5 0.5 0.5))
              (v128.const f32x4 0.5 0.5 0.5 0.5)))
          (else
            (if (result v128) (i32.eq (local.get $act) (i32.const 3))
              (then (f32x4.max (local.get $v) (v128.const f32x4 0 0 0 0)))
              (else (local.get $v))))))))

  ;; Stores rows r … r+3 of neuron j: feature-major (dst + (j·R + r)·4) for hidden layers,
  ;; row-major (dst + ((r + i)·n + j)·4) for the last layer.
  (func $store (param $v v128) (param $dst i32) (param $r i32) (param $j i32) (param $n i32) (param $R i32) (param $last i32)
    (local $t i32) (local $step i32)
    (if (local.get $last)
      (then
        (local.set $step (i32.shl (local.get $n) (i32.const 2)))
        (local.set $t (i32.add (local.get $dst)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $n)) (local.get $j)) (i32.const 2))))
        (f32.store (local.get $t) (f32x4.extract_lane 0 (local.get $v)))
        (local.set $t (i32.add (local.get $t) (local.get $step)))
        (f32.store (local.get $t) (f32x4.extract_lane 1 (local.get $v)))
        (local.set $t (i32.add (local.get $t) (local.get $step)))
        (f32.store (local.get $t) (f32x4.extract_lane 2 (local.get $v)))
        (local.set $t (i32.add (local.get $t) (local.get $step)))
        (f32.store (local.get $t) (f32x4.extract_lane 3 (local.get $v))))
      (else
        (v128.store
          (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $R)) (local.get $r)) (i32.const 2)))
          (local.get $v)))))

  ;; Forward pass of `count` genomes (each `glen` floats, packed from byte `genomes`) over the
  ;; input block `x` ([inputs][R]). `table` holds 5 i32 per layer: inputs, units, weight offset,
  ;; bias offset (in floats, within a genome), activation code. Hidden layers alternate between
  ;; scratch blocks `bufA` and `bufB`; the last layer goes to `out` + g·R·units·4, row-major.
  (func (export "forward")
    (param $count i32) (param $layers i32) (param $table i32) (param $x i32) (param $R i32)
    (param $genomes i32) (param $glen i32) (param $bufA i32) (param $bufB i32) (param $out i32)
    (local $g i32) (local $l i32) (local $gp i32) (local $src i32) (local $dst i32)
    (local $k i32) (local $n i32) (local $wo i32) (local $bo i32) (local $act i32) (local $last i32)
    (local $j i32) (local $r i32) (local $p i32) (local $w i32) (local $xs i32)
    (local $acc v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $wv v128) (local $b v128) (local $t i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $R) (i32.const 2)))
    (local.set $g (i32.const 0))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_u (local.get $g) (local.get $count)))
      (local.set $gp (i32.add (local.get $genomes) (i32.shl (i32.mul (local.get $g) (local.get $glen)) (i32.const 2))))
      (local.set $src (local.get $x))
      (local.set $l (i32.const 0))
      (block $ldone (loop $lloop
        (br_if $ldone (i32.ge_u (local.get $l) (local.get $layers)))
        (local.set $t (i32.add (local.get $table) (i32.mul (local.get $l) (i32.const 20))))
        (local.set $k (i32.load (local.get $t)))
        (local.set $n (i32.load offset=4 (local.get $t)))
        (local.set $wo (i32.load offset=8 (local.get $t)))
        (local.set $bo (i32.load offset=12 (local.get $t)))
        (local.set $act (i32.load offset=16 (local.get $t)))
        (local.set $last (i32.eq (local.get $l) (i32.sub (local.get $layers) (i32.const 1))))
        (local.set $dst
          (if (result i32) (local.get $last)
            (then (i32.add (local.get $out)
              (i32.shl (i32.mul (i32.mul (local.get $g) (local.get $R)) (local.get $n)) (i32.const 2))))
            (else (if (result i32) (i32.and (local.get $l) (i32.const 1))
              (then (local.get $bufB)) (else (local.get $bufA))))))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $w (i32.add (local.get $gp)
            (i32.shl (i32.add (local.get $wo) (i32.mul (local.get $j) (local.get $k))) (i32.const 2))))
          (local.set $b (f32x4.splat (f32.load
            (i32.add (local.get $gp) (i32.shl (i32.add (local.get $bo) (local.get $j)) (i32.const 2))))))
          (local.set $r (i32.const 0))
          ;; 16 rows at a time: four accumulators share each weight splat.
          (block $r16done (loop $r16loop
            (br_if $r16done (i32.gt_u (i32.add (local.get $r) (i32.const 16)) (local.get $R)))
            (local.set $acc (local.get $b))
            (local.set $acc1 (local.get $b))
            (local.set $acc2 (local.get $b))
            (local.set $acc3 (local.get $b))
            (local.set $xs (i32.add (local.get $src) (i32.shl (local.get $r) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $p16done (loop $p16loop
              (br_if $p16done (i32.ge_u (local.get $p) (local.get $k)))
              (local.set $wv (f32x4.splat (f32.load (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 2))))))
              (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $wv) (v128.load (local.get $xs)))))
              (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $wv) (v128.load offset=16 (local.get $xs)))))
              (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $wv) (v128.load offset=32 (local.get $xs)))))
              (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $wv) (v128.load offset=48 (local.get $xs)))))
              (local.set $xs (i32.add (local.get $xs) (local.get $rowBytes)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $p16loop)))
            (call $store (call $act (local.get $acc) (local.get $act)) (local.get $dst) (local.get $r) (local.get $j) (local.get $n) (local.get $R) (local.get $last))
            (call $store (call $act (local.get $acc1) (local.get $act)) (local.get $dst) (i32.add (local.get $r) (i32.const 4)) (local.get $j) (local.get $n) (local.get $R) (local.get $last))
            (call $store (call $act (local.get $acc2) (local.get $act)) (local.get $dst) (i32.add (local.get $r) (i32.const 8)) (local.get $j) (local.get $n) (local.get $R) (local.get $last))
            (call $store (call $act (local.get $acc3) (local.get $act)) (local.get $dst) (i32.add (local.get $r) (i32.const 12)) (local.get $j) (local.get $n) (local.get $R) (local.get $last))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $r16loop)))
          ;; The remaining rows, four at a time.
          (block $rdone (loop $rloop
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $R)))
            (local.set $acc (local.get $b))
            (local.set $xs (i32.add (local.get $src) (i32.shl (local.get $r) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $pdone (loop $ploop
              (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
              (local.set $acc (f32x4.add (local.get $acc)
                (f32x4.mul
                  (f32x4.splat (f32.load (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 2)))))
                  (v128.load (local.get $xs)))))
              (local.set $xs (i32.add (local.get $xs) (local.get $rowBytes)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $ploop)))
            (call $store (call $act (local.get $acc) (local.get $act)) (local.get $dst) (local.get $r) (local.get $j) (local.get $n) (local.get $R) (local.get $last))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $rloop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jloop)))
        (local.set $src (local.get $dst))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $lloop)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $gloop)))))
