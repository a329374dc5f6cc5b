import { describe, expect, it } from 'vitest';
import { annRecallAtK } from '../../src/lib/annRecall';

describe('annRecallAtK', () => {
  it('is the share of the exact top-k that the approximate list also holds', () => {
    expect(annRecallAtK([1, 2, 3, 4], [4, 3, 2, 1])).toBe(1);
    expect(annRecallAtK([1, 2, 3, 4], [1, 2, 9, 8])).toBe(0.5);
    expect(annRecallAtK([1, 2, 3, 4], [5, 6, 7, 8])).toBe(0);
  });

  it('ignores order and counts duplicates in the approximate list once', () => {
    expect(annRecallAtK([1, 2], [2, 2])).toBe(0.5);
  });

  it('is 1 when there is nothing to find', () => {
    expect(annRecallAtK([], [1, 2])).toBe(1);
  });
});
