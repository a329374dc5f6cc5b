;; The exact scan's inner loop in WebAssembly SIMD: one dot product per stored row.
;; It sums in exactly the order of dot() in src/lib/exactSearch.ts — four float64
;; accumulators s0..s3 over elements i ≡ 0..3 (mod 4), the remainder added to s0, then
;; ((s0 + s1) + s2) + s3 — and float32 × float32 is exact in float64, so every score is
;; bit for bit the one the plain scan computes: only faster (two lanes per instruction,
;; no bounds checks).
;;
;; Why two rows at a time: each float64 sum waits for its previous add (about 4 cycles), so
;; one row's two chains left the core idle most of the time — 3.2 GB/s on a machine that
;; copies at 7–12 GB/s. Two rows share each query load and keep four independent sums in
;; flight: 14 GB/s there, the order of each row's sums unchanged. Halves are loaded with
;; v128.load64_zero rather than shuffled out of a 16-byte load: 1.5× faster on its own.
(module
  (memory (export "memory") 1)
  ;; One row's dot product, the remainder (dim mod 4) added to s0.
  (func $dot (param $v i32) (param $query i32) (param $blocks i32) (param $rowBytes i32) (result f64)
    (local $i i32) (local $s01 v128) (local $s23 v128) (local $s0 f64)
    (block $blocksDone
      (loop $block
        (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $blocks)))
        (local.set $s01 (f64x2.add (local.get $s01)
          (f64x2.mul
            (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $v) (local.get $i))))
            (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $query) (local.get $i)))))))
        (local.set $s23 (f64x2.add (local.get $s23)
          (f64x2.mul
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $v) (local.get $i))))
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $query) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
        (local.set $s0 (f64.add (local.get $s0)
          (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $v) (local.get $i))))
            (f64.promote_f32 (f32.load (i32.add (local.get $query) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
    (f64.add
      (f64.add
        (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
        (f64x2.extract_lane 0 (local.get $s23)))
      (f64x2.extract_lane 1 (local.get $s23))))
  (func (export "scores") (param $vectors i32) (param $query i32) (param $dim i32) (param $count i32) (param $out i32)
    (local $row i32) (local $v i32) (local $w i32) (local $i i32) (local $blocks i32) (local $rowBytes i32)
    (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128) (local $q01 v128) (local $q23 v128)
    (local $a0 f64) (local $b0 f64) (local $q f64)
    (local.set $blocks (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $v (local.get $vectors))
    ;; Two rows at a time: each query block loaded once, four independent sums in flight.
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (i32.add (local.get $row) (i32.const 1)) (local.get $count)))
        (local.set $w (i32.add (local.get $v) (local.get $rowBytes)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $b01 (v128.const f64x2 0 0))
        (local.set $b23 (v128.const f64x2 0 0))
        (local.set $i (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $blocks)))
            (local.set $q01 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $query) (local.get $i)))))
            (local.set $q23 (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $query) (local.get $i)))))
            (local.set $a01 (f64x2.add (local.get $a01)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $v) (local.get $i)))) (local.get $q01))))
            (local.set $a23 (f64x2.add (local.get $a23)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $v) (local.get $i)))) (local.get $q23))))
            (local.set $b01 (f64x2.add (local.get $b01)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $w) (local.get $i)))) (local.get $q01))))
            (local.set $b23 (f64x2.add (local.get $b23)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $w) (local.get $i)))) (local.get $q23))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $block)))
        (local.set $a0 (f64x2.extract_lane 0 (local.get $a01)))
        (local.set $b0 (f64x2.extract_lane 0 (local.get $b01)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (local.set $q (f64.promote_f32 (f32.load (i32.add (local.get $query) (local.get $i)))))
            (local.set $a0 (f64.add (local.get $a0)
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $v) (local.get $i)))) (local.get $q))))
            (local.set $b0 (f64.add (local.get $b0)
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $w) (local.get $i)))) (local.get $q))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $tail)))
        (f64.store (local.get $out)
          (f64.add (f64.add (f64.add (local.get $a0) (f64x2.extract_lane 1 (local.get $a01)))
            (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))
        (f64.store offset=8 (local.get $out)
          (f64.add (f64.add (f64.add (local.get $b0) (f64x2.extract_lane 1 (local.get $b01)))
            (f64x2.extract_lane 0 (local.get $b23))) (f64x2.extract_lane 1 (local.get $b23))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $v (i32.add (local.get $w) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $row) (local.get $count))
      (then (f64.store (local.get $out) (call $dot (local.get $v) (local.get $query) (local.get $blocks) (local.get $rowBytes)))))))
