;; The compact codes' scans in WebAssembly: one score per stored row, as the exact scan's
;; kernel (src/features/search/worker/exactScanKernel.wat) gives one dot product per row.
;; int8Dots and hamming are integer arithmetic, so each equals its plain JavaScript reference
;; (quantKernel.ts: int8DotsReference, hammingReference) exactly; adcScores sums float32 values
;; in the same order as its reference (productQuantizer.ts: adcScores), so it is equal bit for bit too.
(module
  (memory (export "memory") 1)
  ;; SQ8: out[row] = Σ codes[row][i] · query[i] over int8 values, i32 sums; rows of
  ;; $rowBytes bytes (a multiple of 16, zero-padded), byte offsets 16-byte aligned.
  ;; Each 16-byte block is widened to two i16x8 halves and multiplied pairwise with
  ;; i32x4.dot_i16x8_s: exact, since |c·q| ≤ 128·127 and a row's sum stays far inside i32.
  (func (export "int8Dots") (param $codes i32) (param $query i32) (param $rowBytes i32) (param $count i32) (param $out i32)
    (local $row i32) (local $v i32) (local $i i32) (local $acc v128) (local $x v128) (local $y v128)
    (local.set $v (local.get $codes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $count)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (local.set $x (v128.load (i32.add (local.get $v) (local.get $i))))
            (local.set $y (v128.load (i32.add (local.get $query) (local.get $i))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $x)) (i16x8.extend_low_i8x16_s (local.get $y)))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $x)) (i16x8.extend_high_i8x16_s (local.get $y)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $block)))
        (i32.store (local.get $out)
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; Binary codes: out[row] = Hamming distance between codes[row] and query, 64 bits at a
  ;; time with i64.popcnt; rows of $rowBytes bytes (a multiple of 8, zero-padded).
  (func (export "hamming") (param $codes i32) (param $query i32) (param $rowBytes i32) (param $count i32) (param $out i32)
    (local $row i32) (local $v i32) (local $i i32) (local $sum i64)
    (local.set $v (local.get $codes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $count)))
        (local.set $sum (i64.const 0))
        (local.set $i (i32.const 0))
        (block $wordsDone
          (loop $word
            (br_if $wordsDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (local.set $sum (i64.add (local.get $sum)
              (i64.popcnt (i64.xor
                (i64.load (i32.add (local.get $v) (local.get $i)))
                (i64.load (i32.add (local.get $query) (local.get $i)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $word)))
        (i32.store (local.get $out) (i32.wrap_i64 (local.get $sum)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; PQ's asymmetric distance (ADC): out[row] = Σⱼ table[j·256 + codes[row][j]] in float32.
  ;; Rows of $stride bytes (a multiple of 4; padding codes point at zero table rows), the
  ;; table $stride × 256 f32. The look-ups are gathers, so scalar loads; four sub-spaces
  ;; are summed at once in the four f32x4 lanes (lane l takes j ≡ l mod 4), one vector add
  ;; per four codes instead of a chain of four scalar ones, and the lanes are added as
  ;; (l0 + l1) + (l2 + l3) at the end.
  (func (export "adcScores") (param $codes i32) (param $table i32) (param $stride i32) (param $count i32) (param $out i32)
    (local $row i32) (local $v i32) (local $j i32) (local $t i32) (local $word i32) (local $acc v128) (local $x v128)
    (local.set $v (local.get $codes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $count)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (local.set $t (local.get $table))
        (block $groupsDone
          (loop $group
            (br_if $groupsDone (i32.ge_u (local.get $j) (local.get $stride)))
            ;; Four codes in one little-endian load: code j in the low byte.
            (local.set $word (i32.load (i32.add (local.get $v) (local.get $j))))
            (local.set $x (f32x4.splat (f32.load
              (i32.add (local.get $t) (i32.shl (i32.and (local.get $word) (i32.const 255)) (i32.const 2))))))
            (local.set $x (f32x4.replace_lane 1 (local.get $x) (f32.load offset=1024
              (i32.add (local.get $t) (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 255)) (i32.const 2))))))
            (local.set $x (f32x4.replace_lane 2 (local.get $x) (f32.load offset=2048
              (i32.add (local.get $t) (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 255)) (i32.const 2))))))
            (local.set $x (f32x4.replace_lane 3 (local.get $x) (f32.load offset=3072
              (i32.add (local.get $t) (i32.shl (i32.shr_u (local.get $word) (i32.const 24)) (i32.const 2))))))
            (local.set $acc (f32x4.add (local.get $acc) (local.get $x)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (i32.const 4096)))
            (br $group)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (local.get $stride)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))))
