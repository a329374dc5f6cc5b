import { describe, expect, it } from 'vitest';
import {
  abSessionsNeeded,
  compareProportions,
  interleavingSessionsNeeded,
  normalCdf,
  signTest,
} from '../../src/lib/onlineStats';

describe('online experiment statistics', () => {
  it('normal distribution function at known points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });

  it('A/B: CTR difference with its 95 % interval and the z-test p-value', () => {
    // 60 of 100 against 50 of 100: se = √(0.24/100 + 0.25/100) = 0.07.
    const result = compareProportions({ successes: 60, trials: 100 }, { successes: 50, trials: 100 });
    expect(result.diff).toBeCloseTo(0.1, 12);
    expect(result.low).toBeCloseTo(-0.0371975, 6);
    expect(result.high).toBeCloseTo(0.2371975, 6);
    // Pooled 0.55: z = 0.1 / √(0.2475 · 0.02) = 1.4213.
    expect(result.pValue).toBeCloseTo(0.155218, 5);
    expect(compareProportions({ successes: 5, trials: 10 }, { successes: 0, trials: 0 }).pValue).toBe(1);
  });

  it('A/B: sessions needed at α 0.05 and power 0.8 (Fleiss: 388 per arm for 50 % against 60 %)', () => {
    expect(abSessionsNeeded(0.5, 0.6)).toBe(776);
    expect(abSessionsNeeded(0.6, 0.5)).toBe(776);
    expect(abSessionsNeeded(0.3, 0.3)).toBe(Infinity);
  });

  it('sign test: exact binomial, two-sided, ties left out', () => {
    // P(X ≤ 1 | n = 10) = 11/1024, doubled.
    expect(signTest(9, 1)).toBeCloseTo(22 / 1024, 12);
    expect(signTest(1, 9)).toBeCloseTo(22 / 1024, 12);
    expect(signTest(0, 3)).toBeCloseTo(0.25, 12);
    expect(signTest(5, 5)).toBe(1);
    expect(signTest(0, 0)).toBe(1);
    // Large counts stay finite (log-space binomial).
    expect(signTest(5200, 4800)).toBeGreaterThan(0);
    expect(signTest(5200, 4800)).toBeLessThan(0.0001);
  });

  it('interleaving: sessions needed from the win share and the share of decided sessions', () => {
    // p = 0.6: (1.96·0.5 + 0.8416·√0.24)² / 0.01 = 193.8 decided sessions, half the sessions decided.
    expect(interleavingSessionsNeeded(60, 40, 100)).toBe(388);
    expect(interleavingSessionsNeeded(60, 40, 0)).toBe(194);
    expect(interleavingSessionsNeeded(50, 50, 10)).toBe(Infinity);
  });
});
