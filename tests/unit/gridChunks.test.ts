import { describe, expect, test } from 'vitest';
import { gridChunks } from '../../src/lib/gridChunks';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('gridChunks', () => {
  test('every run but the last fills whole rows, and the runs keep every item in order', () => {
    const chunks = gridChunks(ids(2369), 9, 100);
    expect(chunks.slice(0, -1).every((c) => c.items.length % 9 === 0)).toBe(true);
    expect(chunks.flatMap((c) => c.items)).toEqual(ids(2369));
    expect(chunks[0].items.length).toBe(99);
    expect(chunks.map((c) => c.start)).toEqual(chunks.map((_, i) => i * 99));
  });

  test('rows count the short last row', () => {
    const chunks = gridChunks(ids(25), 4, 8);
    expect(chunks.map((c) => [c.items.length, c.rows])).toEqual([
      [8, 2],
      [8, 2],
      [8, 2],
      [1, 1],
    ]);
  });

  test('more columns than tiles per run still makes runs of one whole row', () => {
    const chunks = gridChunks(ids(30), 12, 5);
    expect(chunks.map((c) => c.items.length)).toEqual([12, 12, 6]);
  });

  test('no items, no runs; a zero or fractional column count is read as at least one', () => {
    expect(gridChunks([], 5, 100)).toEqual([]);
    expect(gridChunks(ids(3), 0, 2).map((c) => c.items.length)).toEqual([2, 1]);
  });
});
