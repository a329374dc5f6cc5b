import { describe, expect, it } from 'vitest';
import { chooseEfSearch, scaleFigures, speedUp, type ScaleFigureRow } from '../../src/lib/scaleFigures';

describe('the Scale lab never claims a recall it did not reach', () => {
  const ladder = [
    { efSearch: 10, recall: 0.71, hnswMs: 0.1 },
    { efSearch: 16, recall: 0.86, hnswMs: 0.15 },
    { efSearch: 32, recall: 0.96, hnswMs: 0.25 },
    { efSearch: 64, recall: 0.99, hnswMs: 0.4 },
  ];

  it('reports the smallest efSearch reaching the target', () => {
    expect(chooseEfSearch(ladder, 0.95)).toEqual({ efSearch: 32, recall: 0.96, hnswMs: 0.25, reachedTarget: true });
    expect(chooseEfSearch(ladder, 0.71)).toMatchObject({ efSearch: 10, reachedTarget: true });
  });

  it('flags the last rung tried when none reaches the target', () => {
    expect(chooseEfSearch(ladder.slice(0, 2), 0.95)).toEqual({
      efSearch: 16,
      recall: 0.86,
      hnswMs: 0.15,
      reachedTarget: false,
    });
    expect(chooseEfSearch([], 0.95)).toBeNull();
  });

  const row = (n: number, hnswMs: number, reachedTarget = true): ScaleFigureRow => ({
    n,
    exactMs: n / 1000,
    hnswMs,
    buildMs: n,
    reachedTarget,
  });

  it('leaves a row short of the target out of the HNSW slope, and draws it apart', () => {
    // HNSW at the target grows as √N here; the 100k row never reached it and was searched far
    // longer (the largest efSearch), which would steepen the fitted slope if it were counted.
    const rows = [row(1_000, 0.1), row(10_000, 0.1 * Math.sqrt(10)), row(100_000, 50, false)];
    const figures = scaleFigures(rows);
    expect(figures.hnsw.map((p) => p.x)).toEqual([1_000, 10_000]);
    expect(figures.hnswShort).toEqual([{ x: 100_000, y: 50 }]);
    expect(figures.slopes.hnsw).toBeCloseTo(0.5, 10);
    // Exact and build times do not depend on the recall target: every measured N counts.
    expect(figures.exact).toHaveLength(3);
    expect(figures.slopes.exact).toBeCloseTo(1, 10);
    expect(figures.slopes.build).toBeCloseTo(1, 10);
    // Counting the short row as the old chart did would have given a very different slope.
    const all = scaleFigures(rows.map((r) => ({ ...r, reachedTarget: true })));
    expect(all.slopes.hnsw!).toBeGreaterThan(1.2);
  });

  it('has no HNSW slope with fewer than two rows at the target', () => {
    expect(scaleFigures([row(1_000, 0.1), row(10_000, 3, false)]).slopes.hnsw).toBeNull();
  });

  it('gives a speed-up only at the target', () => {
    expect(speedUp({ exactMs: 10, hnswMs: 0.5, reachedTarget: true })).toBe(20);
    expect(speedUp({ exactMs: 10, hnswMs: 0.5, reachedTarget: false })).toBeNull();
    expect(speedUp({ exactMs: 10, hnswMs: 0, reachedTarget: true })).toBeNull();
  });
});
