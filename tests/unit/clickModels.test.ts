import { describe, expect, it } from 'vitest';
import {
  clickProbabilities,
  dwellSeconds,
  examinationProbabilities,
  simulateSession,
  type ClickModelKnobs,
} from '../../src/lib/clickModels';
import { ipsWeight } from '../../src/lib/clickLog';
import { median } from '../../src/lib/stats';
import { seededRandom } from '../../src/lib/syntheticVectors';

const knobs = (change: Partial<ClickModelKnobs> = {}): ClickModelKnobs => ({
  model: 'pbm',
  decay: 1,
  clickIrrelevant: 0.05,
  missRelevant: 0.3,
  ...change,
});
const list = [true, false, true];

describe('click models', () => {
  it('position-based: examined 1/r^η, clicked when examined and attractive', () => {
    expect(examinationProbabilities(list, knobs())).toEqual([1, 0.5, 1 / 3]);
    const p = clickProbabilities(list, knobs());
    expect(p[0]).toBeCloseTo(0.7, 12);
    expect(p[1]).toBeCloseTo(0.025, 12);
    expect(p[2]).toBeCloseTo(0.7 / 3, 12);
    expect(examinationProbabilities(list, knobs({ decay: 2 }))[2]).toBeCloseTo(1 / 9, 12);
    expect(examinationProbabilities(list, knobs({ decay: 0 }))).toEqual([1, 1, 1]);
  });

  it('cascade: a rank is reached when every result above it was passed over', () => {
    const cascade = knobs({ model: 'cascade' });
    const examined = examinationProbabilities(list, cascade);
    expect(examined[0]).toBe(1);
    expect(examined[1]).toBeCloseTo(0.3, 12);
    expect(examined[2]).toBeCloseTo(0.3 * 0.95, 12);
    const p = clickProbabilities(list, cascade);
    expect(p[1]).toBeCloseTo(0.015, 12);
    expect(p[2]).toBeCloseTo(0.285 * 0.7, 12);
  });

  for (const model of ['pbm', 'cascade'] as const) {
    it(`${model}: simulated sessions click each rank as often as the model says`, () => {
      const random = seededRandom(7);
      const sessions = 40_000;
      const counts = [0, 0, 0];
      let multi = 0;
      for (let s = 0; s < sessions; s++) {
        const clicks = simulateSession(list, knobs({ model }), random);
        if (clicks.length > 1) multi++;
        for (const c of clicks) counts[c.rank - 1]++;
      }
      const expected = clickProbabilities(list, knobs({ model }));
      counts.forEach((count, i) => expect(Math.abs(count / sessions - expected[i])).toBeLessThan(0.01));
      // The cascade user leaves after the first click; the position-based one may click again.
      if (model === 'cascade') expect(multi).toBe(0);
      else expect(multi).toBeGreaterThan(0);
    });
  }

  it('logs the examination probability of the clicked rank, whose inverse is the IPS weight', () => {
    const random = seededRandom(3);
    const deep = [false, false, false, true];
    const all = Array.from({ length: 2000 }, () => simulateSession(deep, knobs({ clickIrrelevant: 0 }), random)).flat();
    expect(all.length).toBeGreaterThan(0);
    for (const click of all) {
      expect(click.rank).toBe(4);
      expect(click.propensity).toBe(0.25);
      expect(ipsWeight({ propensity: click.propensity } as never)).toBe(4);
    }
  });

  it('dwell time is longer after a relevant click (log-normal medians 30 s and 5 s)', () => {
    const random = seededRandom(5);
    const relevant = Array.from({ length: 4000 }, () => dwellSeconds(true, random));
    const irrelevant = Array.from({ length: 4000 }, () => dwellSeconds(false, random));
    expect(median(relevant)).toBeGreaterThan(27);
    expect(median(relevant)).toBeLessThan(33);
    expect(median(irrelevant)).toBeGreaterThan(4.5);
    expect(median(irrelevant)).toBeLessThan(5.5);
    expect(Math.min(...irrelevant)).toBeGreaterThan(0);
  });
});
