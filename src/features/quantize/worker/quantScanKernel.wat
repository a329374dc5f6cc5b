;; The compact codes' scans in WebAssembly: one score per stored row, as the exact scan's
;; kernel (src/features/search/worker/exactScanKernel.wat) gives one dot product per row.
;; Both are integer arithmetic, so each result equals the plain JavaScript reference
;; (quantKernel.ts: int8DotsReference, hammingReference) exactly.
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
        (br $rows)))))
