import { describe, expect, it } from 'vitest';
import { gridWindow } from '../../src/lib/gridWindow';

describe('gridWindow', () => {
  it('renders the rows in view plus the overscan, and pads for the rest', () => {
    // 10,000 items, 6 per row, rows 100 px apart, 800 px of view scrolled to 50,000 px.
    const w = gridWindow(10_000, 6, 100, 50_000, 800, 2);
    expect(w).toEqual({ first: 498 * 6, last: 510 * 6, padTop: 49_800, padBottom: (1667 - 510) * 100 });
    // Rendered rows + padding keep the whole grid's height.
    expect(w.padTop + ((w.last - w.first) / 6) * 100 + w.padBottom).toBe(1667 * 100);
  });

  it('clamps at the top and at the bottom, where the last row may be short', () => {
    expect(gridWindow(10, 4, 100, 0, 1000, 3)).toEqual({ first: 0, last: 10, padTop: 0, padBottom: 0 });
    const end = gridWindow(10_001, 6, 100, 1e9, 800, 2);
    expect(end.last).toBe(10_001);
    expect(end.padBottom).toBe(0);
    expect(end.last - end.first).toBeGreaterThanOrEqual(6 * 8);
  });

  it('survives a layout not measured yet', () => {
    expect(gridWindow(100, 0, 0, 0, 0, 1)).toEqual({ first: 0, last: 1, padTop: 0, padBottom: 99 });
    expect(gridWindow(0, 5, 120, 0, 800, 2)).toEqual({ first: 0, last: 0, padTop: 0, padBottom: 0 });
  });
});
