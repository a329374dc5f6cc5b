import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/bridge/workerClient';
import { DEFAULT_CLICK_KNOBS } from '../../src/lib/clickModels';
import { seededRandom } from '../../src/lib/syntheticVectors';
import { ONLINE_WORKER, type SimulationRequest } from '../../src/features/online/shared/protocol';
import { onlineWorker } from '../../src/features/online/worker/onlineWorker';
import { portWorker } from '../fixtures/portWorker';

/** 20 labels × 15 images; a perfect ranker lists the query's label first, a random one anything. */
const LABELS = 20;
const PER_LABEL = 15;
const K = 10;
const queryIds = Array.from({ length: LABELS * PER_LABEL }, (_, i) => i);
const labelOf = new Map(queryIds.map((id) => [id, `label-${id % LABELS}`]));
const others = (q: number) => queryIds.filter((id) => id !== q);
const perfect = queryIds.map((q) =>
  others(q)
    .filter((id) => labelOf.get(id) === labelOf.get(q))
    .slice(0, K),
);
const shuffled = (ids: number[], random: () => number) => {
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};
const randomRanker = (seed: number) => {
  const random = seededRandom(seed);
  return queryIds.map((q) => shuffled(others(q), random).slice(0, K));
};

const request = (change: Partial<SimulationRequest>): SimulationRequest => ({
  queryIds,
  labelOf,
  a: perfect,
  b: randomRanker(1),
  names: { a: 'perfect', b: 'random' },
  knobs: DEFAULT_CLICK_KNOBS,
  zipf: 0,
  seed: 1,
  sessions: 1000,
  ...change,
});

describe('simulated online experiments (the online worker behind the worker client)', () => {
  const online = new WorkerClient(() => portWorker(ONLINE_WORKER, onlineWorker()), ONLINE_WORKER);
  afterAll(() => online.terminate());

  for (const model of ['pbm', 'cascade'] as const) {
    it(`${model}: A/B and interleaving both prefer a perfect ranker to a random one; interleaving needs fewer sessions`, async () => {
      const progress: number[] = [];
      const output = await online.simulate(
        request({ knobs: { ...DEFAULT_CLICK_KNOBS, model }, sessions: 2000 }),
        (done) => progress.push(done),
      );
      expect(output).not.toBeNull();
      const { result, clicks } = output!;
      // Progress reports cross the port on their own; those that arrived count up in sessions.
      expect(progress.every((done, i) => done <= 2000 && (i === 0 || done > progress[i - 1]))).toBe(true);
      expect(result.a.sessions + result.b.sessions).toBe(2000);
      expect(result.a.ctr).toBeGreaterThan(result.b.ctr);
      expect(result.ab.low).toBeGreaterThan(0);
      expect(result.interleaving.aWins).toBeGreaterThan(result.interleaving.bWins);
      expect(result.interleaving.pValue).toBeLessThan(0.001);
      expect(result.interleaving.sessionsNeeded).toBeLessThan(result.ab.sessionsNeeded);
      // Both reach significance within a few dozen sessions on so large a gap; the planned sample
      // sizes (power 0.8) say which needs fewer. The closer pair below compares when each got there.
      expect(result.ab.significantFrom).not.toBeNull();
      expect(result.interleaving.significantFrom).not.toBeNull();
      // Dwell time is longer on the perfect ranker's (relevant) clicks.
      expect(result.a.dwellSeconds).toBeGreaterThan(result.b.dwellSeconds);
      // Every click is logged with the examination probability of its rank.
      expect(clicks.length).toBe(
        result.a.clicks + result.b.clicks + clicks.filter((c) => c.ranker.includes('+')).length,
      );
      for (const click of clicks.filter((c) => model === 'pbm' && c.ranker === 'perfect')) {
        expect(click.propensity).toBeCloseTo(1 / click.rank, 12);
      }
    });
  }

  it('on a closer pair, interleaving reaches significance in fewer sessions than the A/B test', async () => {
    // A ranker that puts two random images in place of the last relevant ones.
    const random = seededRandom(9);
    const weaker = perfect.map((list, q) => {
      const intruders = shuffled(others(q), random).filter((id) => !list.includes(id));
      return [...list.slice(0, 3), ...intruders.slice(0, 2), ...list.slice(3, K - 2)];
    });
    const output = await online.simulate(request({ b: weaker, sessions: 20_000 }), () => {});
    const { ab, interleaving } = output!.result;
    expect(interleaving.aWins).toBeGreaterThan(interleaving.bWins);
    expect(interleaving.significantFrom).not.toBeNull();
    expect(interleaving.significantFrom!).toBeLessThan(ab.significantFrom ?? Infinity);
    expect(interleaving.sessionsNeeded).toBeLessThan(ab.sessionsNeeded);
  });

  it('two identical rankers: neither method declares a winner more often than its 5 % false-positive rate', async () => {
    const seeds = 200;
    let abPositives = 0;
    let interleavingPositives = 0;
    const same = randomRanker(4);
    for (let seed = 1; seed <= seeds; seed++) {
      const output = await online.simulate(request({ a: same, b: same, seed, sessions: 400 }), () => {});
      if (output!.result.ab.pValue < 0.05) abPositives++;
      if (output!.result.interleaving.pValue < 0.05) interleavingPositives++;
    }
    // Expected at most 10 of 200; 20 would be 4.3 standard deviations above it.
    expect(abPositives).toBeLessThanOrEqual(20);
    expect(interleavingPositives).toBeLessThanOrEqual(20);
    console.log(`false positives over ${seeds} seeds: A/B ${abPositives}, interleaving ${interleavingPositives}`);
  });

  it('a cancelled simulation resolves null', async () => {
    const abort = new AbortController();
    const running = online.simulate(request({ sessions: 2_000_000 }), () => abort.abort(), abort.signal);
    expect(await running).toBeNull();
  });
});
