import { describe, expect, it } from 'vitest';
import { wasmThreadsPay } from '../../src/lib/wasmThreads';

describe('wasmThreadsPay', () => {
  it('keeps the single-threaded SIMD binary until tfjs would run two threads (4 cores)', () => {
    expect([1, 2, 3].map(wasmThreadsPay)).toEqual([false, false, false]);
    expect([4, 5, 8, 16].map(wasmThreadsPay)).toEqual([true, true, true, true]);
  });
});
