import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/lib/formatCount';

describe('formatCount', () => {
  it("writes whole numbers as toLocaleString('en') does", () => {
    const samples = [0, 7, 999, 1000, 2369, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890, -5, -1234, -1_000_000];
    for (const n of samples) expect(formatCount(n)).toBe(n.toLocaleString('en'));
  });

  it('rounds to a whole number first', () => {
    expect(formatCount(1234.6)).toBe('1,235');
    expect(formatCount(-0.4)).toBe('0');
  });

  it('leaves what is not finite as it is', () => {
    expect(formatCount(Infinity)).toBe('Infinity');
    expect(formatCount(NaN)).toBe('NaN');
  });
});
