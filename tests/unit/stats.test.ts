import { describe, expect, it } from 'vitest';
import { median, quantile } from '../../src/lib/stats';
import { formatDuration, progressFigures } from '../../src/lib/progress';

describe('stats', () => {
  it('median of odd and even counts, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('p95 interpolates between closest ranks', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.95)).toBeCloseTo(10.5);
  });
});

describe('progress', () => {
  it('gives rate and time left', () => {
    expect(progressFigures(50, 200, 10_000)).toEqual({ done: 50, total: 200, rate: 5, etaSeconds: 30 });
    expect(progressFigures(0, 200, 0).etaSeconds).toBeNull();
  });
  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(12.2)).toBe('13 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
  });
});
