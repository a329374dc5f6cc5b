;; The exact scan's inner loop in WebAssembly SIMD: one dot product per stored row.
;; It sums in exactly the order of dot() in src/lib/exactSearch.ts — four float64
;; accumulators s0..s3 over elements i ≡ 0..3 (mod 4), the remainder added to s0, then
;; ((s0 + s1) + s2) + s3 — and float32 × float32 is exact in float64, so every score is
;; bit for bit the one the plain scan computes: only faster (two lanes per instruction,
;; no bounds checks).
(module
  (memory (export "memory") 1)
  ;; out[row] = vectors[row] · query, row = 0 .. count-1; byte offsets, 16-byte aligned.
  (func (export "scores") (param $vectors i32) (param $query i32) (param $dim i32) (param $count i32) (param $out i32)
    (local $row i32) (local $v i32) (local $i i32) (local $blocks i32) (local $rowBytes i32)
    (local $s01 v128) (local $s23 v128) (local $x v128) (local $y v128) (local $s0 f64)
    ;; Bytes covered four floats at a time, and bytes per row.
    (local.set $blocks (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $v (local.get $vectors))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $count)))
        (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s23 (v128.const f64x2 0 0))
        (local.set $i (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $blocks)))
            (local.set $x (v128.load (i32.add (local.get $v) (local.get $i))))
            (local.set $y (v128.load (i32.add (local.get $query) (local.get $i))))
            ;; Elements 0, 1 into (s0, s1); elements 2, 3 (moved to the low half) into (s2, s3).
            (local.set $s01 (f64x2.add (local.get $s01)
              (f64x2.mul (f64x2.promote_low_f32x4 (local.get $x)) (f64x2.promote_low_f32x4 (local.get $y)))))
            (local.set $s23 (f64x2.add (local.get $s23)
              (f64x2.mul
                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y) (local.get $y))))))
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
        (f64.store (local.get $out)
          (f64.add
            (f64.add
              (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
              (f64x2.extract_lane 0 (local.get $s23)))
            (f64x2.extract_lane 1 (local.get $s23))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $v (i32.add (local.get $v) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))))
