import { describe, expect, it } from 'vitest';
import { DEFAULT_CLICK_KNOBS } from '../../src/lib/clickModels';
import { OnlineExperiment, type ExperimentSetup } from '../../src/lib/onlineSimulation';

// Four images of two labels; arm a ranks the query's own label first, arm b the other label.
const labelOf = new Map([
  [0, 'x'],
  [1, 'x'],
  [2, 'y'],
  [3, 'y'],
]);
const queryIds = [0, 1, 2, 3];
const good = [
  [1, 2, 3],
  [0, 2, 3],
  [3, 0, 1],
  [2, 0, 1],
];
const bad = [
  [2, 3, 1],
  [2, 3, 0],
  [0, 1, 3],
  [0, 1, 2],
];
const setup = (change: Partial<ExperimentSetup> = {}): ExperimentSetup => ({
  queryIds,
  labelOf,
  a: good,
  b: bad,
  names: { a: 'good', b: 'bad' },
  knobs: DEFAULT_CLICK_KNOBS,
  zipf: 0,
  seed: 3,
  ...change,
});

describe('an online experiment, session by session', () => {
  it('counts every session once per method and records p-values at 1, 2, 3, … then ~5 % steps', () => {
    const experiment = new OnlineExperiment(setup());
    const clicks = experiment.run(600).length + experiment.run(400).length;
    const result = experiment.result();
    expect(result.sessions).toBe(1000);
    expect(result.a.sessions + result.b.sessions).toBe(1000);
    const { aWins, bWins, ties } = result.interleaving;
    expect(aWins + bWins + ties).toBe(1000);
    expect(clicks).toBeGreaterThan(result.a.clicks + result.b.clicks);
    const at = result.curve.map((c) => c.sessions);
    expect(at.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(at.at(-1)).toBe(1000);
    at.slice(1).forEach((n, i) => expect(n).toBeGreaterThan(at[i]));
    expect(at.length).toBeLessThan(120);
    // The better arm wins, and stays significant to the end.
    expect(aWins).toBeGreaterThan(bWins);
    expect(result.interleaving.significantFrom).not.toBeNull();
    expect(
      result.curve
        .filter((c) => c.sessions >= result.interleaving.significantFrom!)
        .every((c) => c.interleavingP < 0.05),
    ).toBe(true);
    // CTR by rank: the relevant first rank is clicked most in arm a.
    expect(result.a.ctrByRank[0]).toBeGreaterThan(result.a.ctrByRank[2]);
  });

  it('is reproducible from its seed', () => {
    const run = (seed: number) => {
      const experiment = new OnlineExperiment(setup({ seed }));
      experiment.run(300);
      return experiment.result();
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5).interleaving).not.toEqual(run(6).interleaving);
  });

  it('with identical arms, "significant from" is null whenever the run ends above α', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const experiment = new OnlineExperiment(setup({ b: good, seed }));
      experiment.run(300);
      const { ab, interleaving } = experiment.result();
      expect(ab.significantFrom === null).toBe(ab.pValue >= 0.05);
      expect(interleaving.significantFrom === null).toBe(interleaving.pValue >= 0.05);
    }
  });
});
