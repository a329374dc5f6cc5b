import { describe, expect, it } from 'vitest';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import type { TrainingData } from '../../src/features/train/shared/training';
import { simulateClicks } from '../../datasets/simulatedClicks';

const COUNT = 120;
const data: TrainingData = {
  vectors: clusteredVectors({ count: COUNT, dim: 16, clusters: 4, spread: 0.6, seed: 2 }),
  dim: 16,
  ids: Array.from({ length: COUNT }, (_, i) => 1000 + i),
  labels: Array.from({ length: COUNT }, (_, i) => `c${i % 4}`),
  clicks: [],
  views: null,
  modelId: 'synthetic',
  preprocessing: 'none',
  catalogueId: 'synthetic',
};

describe('simulateClicks (npm run train --simulate-clicks)', () => {
  const clicks = simulateClicks(data, 2000, 1, 10);
  const labelOf = new Map(data.ids.map((id, row) => [id, data.labels[row]]));

  it('logs simulated clicks on this catalogue, in the top 10, never on the query itself', () => {
    expect(clicks.length).toBeGreaterThan(500);
    for (const click of clicks) {
      expect(click).toMatchObject({ catalogue: 'synthetic', source: 'sim' });
      expect(click.ranker).toMatch(/^exact/); // the A/B user's list, or the interleaved list of exact with itself
      expect(click.rank).toBeGreaterThanOrEqual(1);
      expect(click.rank).toBeLessThanOrEqual(10);
      expect(click.resultId).not.toBe(click.queryId);
      expect(click.propensity).toBeGreaterThan(0);
    }
  });

  it('clicks same-label results more often than their share of the lists, and top ranks more often', () => {
    const sameLabel = clicks.filter((c) => labelOf.get(c.queryId!) === labelOf.get(c.resultId)).length;
    expect(sameLabel / clicks.length).toBeGreaterThan(0.8);
    const at = (rank: number) => clicks.filter((c) => c.rank === rank).length;
    expect(at(1)).toBeGreaterThan(at(10));
  });

  it('is seeded', () => {
    const again = simulateClicks(data, 2000, 1, 10).map(({ time: _, ...rest }) => rest);
    expect(again).toEqual(clicks.map(({ time: _, ...rest }) => rest));
  });
});
