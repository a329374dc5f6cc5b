import { describe, expect, it } from 'vitest';
import { figure, optionalFigure, pairedRatio, recallWithoutQuery } from '../bench/figures';
import { median } from '../../src/lib/stats';

describe('bench figures', () => {
  it('a figure of one run says so', () => {
    expect(figure([31_100])).toEqual({ median: 31_100, min: 31_100, max: 31_100, runs: 1 });
    expect(() => figure([1, NaN])).toThrow(/non-finite/);
  });

  it('a figure the app may not give is missing, not fatal, when one run lacks it', () => {
    expect(optionalFigure([2, 1, 3])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(optionalFigure([2, null, 3])).toBeUndefined();
    expect(optionalFigure([2, NaN])).toBeUndefined();
    expect(optionalFigure([])).toBeUndefined();
  });

  it('a paired ratio is the median of per-pair ratios, with its spread', () => {
    // Exact and HNSW timed side by side; a burst of load hits both sides of pair 2.
    const exact = [50, 52, 300, 49, 51];
    const hnsw = [2.5, 2.6, 15, 2.45, 2.55];
    const r = pairedRatio(exact, hnsw);
    expect(r.median).toBeCloseTo(20, 10);
    expect(r.min).toBeCloseTo(20, 10);
    expect(r.max).toBeCloseTo(20, 10);
    expect(r.pairs).toBe(5);
  });

  it('is not the ratio of the two medians', () => {
    const exact = [10, 20, 30];
    const hnsw = [1, 4, 1];
    expect(median(exact) / median(hnsw)).toBe(20);
    // Per query: 10×, 5×, 30×.
    expect(pairedRatio(exact, hnsw)).toMatchObject({ median: 10, min: 5, max: 30, pairs: 3 });
  });

  it('p5 and p95 interpolate between the per-pair ratios', () => {
    const hnsw = Array.from({ length: 21 }, () => 1);
    const exact = Array.from({ length: 21 }, (_, i) => 10 + i);
    const r = pairedRatio(exact, hnsw);
    expect(r.median).toBe(20);
    expect(r.p5).toBe(11);
    expect(r.p95).toBe(29);
    expect([r.min, r.max]).toEqual([10, 30]);
  });

  it('refuses unpaired or degenerate timings', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/2 numerators against 1/);
    expect(() => pairedRatio([], [])).toThrow(/at least one pair/);
    expect(() => pairedRatio([1, 2], [1, 0])).toThrow(/pair 1/);
  });

  it('recall without the query drops it from both lists and compares the next k', () => {
    // Query 7 finds itself first in both lists; without it, HNSW found 2 of the exact 3.
    expect(recallWithoutQuery(7, [7, 1, 2, 3], [7, 1, 3, 9], 3)).toBeCloseTo(2 / 3, 10);
    // With the query counted, the same lists would score 3 of 4 (0.75).
    // HNSW that misses the query itself is not penalised for it: its first k others are compared.
    expect(recallWithoutQuery(7, [7, 1, 2, 3], [1, 2, 3, 9], 3)).toBe(1);
    // A tie can put a twin before the query: only the query's own id is dropped.
    expect(recallWithoutQuery(7, [8, 7, 1, 2], [7, 8, 1, 5], 3)).toBeCloseTo(2 / 3, 10);
  });
});
