import { describe, expect, it } from 'vitest';
import { batches, clickPairs, labelPairs } from '../../src/lib/contrastivePairs';
import type { ClickEvent } from '../../src/lib/clickLog';
import { dotProduct, infoNceLoss, l2Normalise } from '../../src/lib/infoNce';
import { splitRows } from '../../src/lib/trainingSplit';
import { seededRandom } from '../../src/lib/syntheticVectors';
import { decodeHead, encodeHead, projectVectors, type ProjectionHead } from '../../src/lib/projectionHead';
import { evaluateRows } from '../../src/lib/splitEvaluation';
import { augmentPairs, randomResizedCrop } from '../../src/lib/augmentViews';

const labels = [...Array(10).fill('a'), ...Array(6).fill('b'), ...Array(4).fill('c')] as string[];

describe('splitRows', () => {
  it('stratified: each class on both sides in proportion, every row once, seeded', () => {
    const split = splitRows(labels, { testFraction: 0.5, mode: 'stratified', seed: 3 });
    expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    const count = (rows: number[], label: string) => rows.filter((r) => labels[r] === label).length;
    expect([count(split.test, 'a'), count(split.test, 'b'), count(split.test, 'c')]).toEqual([5, 3, 2]);
    expect(splitRows(labels, { testFraction: 0.5, mode: 'stratified', seed: 3 })).toEqual(split);
    expect(splitRows(labels, { testFraction: 0.5, mode: 'stratified', seed: 4 })).not.toEqual(split);
  });

  it('stratified keeps one image of a two-image class on each side even at a small fraction', () => {
    const split = splitRows(['x', 'x', 'y', 'y', 'y'], { testFraction: 0.1, mode: 'stratified', seed: 1 });
    expect(split.test.length).toBe(2);
    expect(new Set(split.test.map((r) => ['x', 'x', 'y', 'y', 'y'][r]))).toEqual(new Set(['x', 'y']));
  });

  it('class-disjoint: no label on both sides, whole classes moved', () => {
    const split = splitRows(labels, { testFraction: 0.5, mode: 'class-disjoint', seed: 2 });
    const trainLabels = new Set(split.train.map((r) => labels[r]));
    const testLabels = new Set(split.test.map((r) => labels[r]));
    expect([...trainLabels].filter((l) => testLabels.has(l))).toEqual([]);
    expect(trainLabels.size + testLabels.size).toBe(3);
    expect(split.train.length + split.test.length).toBe(labels.length);
  });

  it('refuses a fraction outside (0, 1)', () => {
    expect(() => splitRows(labels, { testFraction: 1, mode: 'stratified', seed: 1 })).toThrow(/test fraction/);
  });
});

describe('pair sampling', () => {
  it('labels: one pair per row of a label with another row, same label, never itself, rows only', () => {
    const rows = [0, 1, 2, 10, 11, 16];
    const pairs = labelPairs(rows, labels, seededRandom(1));
    expect(pairs.map((p) => p.anchor).sort((a, b) => a - b)).toEqual([0, 1, 2, 10, 11]);
    for (const p of pairs) {
      expect(labels[p.positive]).toBe(labels[p.anchor]);
      expect(p.positive).not.toBe(p.anchor);
      expect(rows).toContain(p.positive);
    }
    const groupOf = new Map(pairs.map((p) => [labels[p.anchor], p.group]));
    expect(new Set(groupOf.values()).size).toBe(2);
    expect(labelPairs(rows, labels, seededRandom(1))).toEqual(pairs);
  });

  const click = (queryId: number | null, resultId: number, propensity: number | null): ClickEvent => ({
    catalogue: 'c',
    source: 'sim',
    queryId,
    ranker: 'exact',
    rank: 1,
    resultId,
    time: 0,
    dwellMs: null,
    propensity,
  });

  it('clicks: (query, clicked result) pairs inside the rows, uploads and self-clicks dropped, IPS weights', () => {
    const rowOfId = new Map([
      [100, 0],
      [101, 1],
      [102, 2],
      [103, 3],
    ]);
    const events = [
      click(100, 101, 0.5),
      click(null, 101, 0.5),
      click(100, 100, 1),
      click(101, 103, 0.25),
      click(102, 100, null),
    ];
    const plain = clickPairs(events, rowOfId, [0, 1, 2], false, seededRandom(1));
    expect(plain.map((p) => [p.anchor, p.positive, p.weight]).sort()).toEqual([
      [0, 1, 1],
      [2, 0, 1],
    ]);
    const weighted = clickPairs(events, rowOfId, [0, 1, 2, 3], true, seededRandom(1));
    expect(weighted.map((p) => [p.anchor, p.positive, p.weight]).sort()).toEqual([
      [0, 1, 2],
      [1, 3, 4],
      [2, 0, 1],
    ]);
  });

  it('batches drop a last batch of one pair (no negative to contrast with)', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(batches([1, 2, 3], 2)).toEqual([[1, 2]]);
  });
});

describe('infoNceLoss', () => {
  it('matches the value worked out by hand', () => {
    // Two pairs, orthogonal: logits [[1/τ, 0], [0, 1/τ]] → ℓ = log(1 + e^(−1/τ)).
    const a = [
      [1, 0],
      [0, 1],
    ];
    expect(infoNceLoss(a, a, [0, 1], 0.5)).toBeCloseTo(Math.log(1 + Math.exp(-2)), 12);
    // Identical positives: the anchor cannot tell them apart → log 2.
    expect(
      infoNceLoss(
        a,
        [
          [1, 0],
          [1, 0],
        ],
        [0, 1],
        1,
      ),
    ).toBeCloseTo((Math.log(Math.exp(1) + Math.exp(1)) - 1 + (Math.log(2) - 0)) / 2, 12);
  });

  it('leaves out pairs of the same group and weighs pairs', () => {
    const a = [l2Normalise([1, 0.2]), l2Normalise([1, -0.2]), [0, 1]];
    // Anchor 1 shares a group with pair 0: pair 0 is not its negative, as if the batch held pairs 1 and 2 only.
    expect(infoNceLoss(a, a, [0, 0, 1], 0.1, [0, 1, 0])).toBeCloseTo(
      infoNceLoss([a[1], a[2]], [a[1], a[2]], [0, 1], 0.1, [1, 0]),
      12,
    );
    // Anchor 2 is alone in its group: both other pairs are its negatives.
    expect(infoNceLoss(a, a, [0, 0, 1], 0.1, [0, 0, 1])).toBeCloseTo(infoNceLoss(a, a, [0, 1, 2], 0.1, [0, 0, 1]), 12);
    // Weights: the mean of the per-pair losses, weighted.
    const each = [0, 1, 2].map((i) =>
      infoNceLoss(
        a,
        a,
        [0, 0, 1],
        0.1,
        [0, 1, 2].map((j) => (j === i ? 1 : 0)),
      ),
    );
    expect(infoNceLoss(a, a, [0, 0, 1], 0.1, [1, 2, 3])).toBeCloseTo((each[0] + 2 * each[1] + 3 * each[2]) / 6, 12);
    expect(infoNceLoss(a, a, [0, 0, 1], 0.1, [1, 0, 0])).toBeCloseTo(
      infoNceLoss([a[0], a[2]], [a[0], a[2]], [0, 1], 0.1, [1, 0]),
      12,
    );
  });

  it('falls when the anchor moves towards its positive (the gradient direction)', () => {
    const p = [l2Normalise([1, 0, 0]), l2Normalise([0, 1, 0]), l2Normalise([0, 0, 1])];
    const anchor = (t: number) => l2Normalise([1 - t, t, 0.3]);
    const loss = (t: number) => infoNceLoss([anchor(t), p[1], p[2]], p, [0, 1, 2], 0.2);
    expect(loss(0)).toBeLessThan(loss(0.2));
    expect(loss(0.2)).toBeLessThan(loss(0.4));
    expect(dotProduct(anchor(0), p[0])).toBeGreaterThan(dotProduct(anchor(0.4), p[0]));
  });
});

describe('projection head', () => {
  const head: ProjectionHead = {
    modelId: 'm',
    preprocessing: 'p',
    catalogueId: 'c',
    settings: {
      positives: 'labels',
      split: 'stratified',
      testFraction: 0.5,
      epochs: 1,
      temperature: 0.1,
      dim: 2,
      layers: 2,
      learningRate: 0.001,
      batchSize: 2,
      seed: 1,
      ips: false,
    },
    layers: [
      { inputDim: 3, outputDim: 2, weights: Float32Array.from([1, 0, 0, 1, 1, -1]), bias: Float32Array.from([0, 0]) },
      { inputDim: 2, outputDim: 2, weights: Float32Array.from([1, 1, 0, 2]), bias: Float32Array.from([0, 1]) },
    ],
  };

  it('applies dense layers with ReLU between and normalises the output', () => {
    // x = (1, 2, 3): layer 1 → (1+3, 2−3) = (4, −1) → ReLU (4, 0); layer 2 → (4, 4+1) → /√41.
    const out = projectVectors(head, Float32Array.from([1, 2, 3]));
    expect(out[0]).toBeCloseTo(4 / Math.sqrt(41), 6);
    expect(out[1]).toBeCloseTo(5 / Math.sqrt(41), 6);
  });

  it('round-trips through its file and refuses a broken one', () => {
    const back = decodeHead(encodeHead(head));
    expect(back.settings).toEqual(head.settings);
    expect(Array.from(back.layers[1].weights)).toEqual([1, 1, 0, 2]);
    expect(() => decodeHead('{"format":"other"}')).toThrow(/not a head file/);
  });
});

describe('evaluateRows', () => {
  it('ranks only the given rows against each other', () => {
    // Rows 0,1 label a near each other; row 2 (label a) far away but outside the rows; row 3 label b.
    const vectors = Float32Array.from([1, 0, 0.99, 0.141, 1, 0, 0, 1]);
    const summary = evaluateRows(vectors, 2, [0, 1, 3], ['a', 'a', 'a', 'b'], 1);
    expect(summary.queries).toBe(3);
    // Queries 0 and 1 find each other first; query 3 (R = 0) scores 0.
    expect(summary.overall.precision).toBeCloseTo(2 / 3, 12);
  });
});

describe('augmented views', () => {
  it('crops whole regions inside the image, 35–100 % of its area, aspect 3:4 to 4:3 (up to rounding and edges)', () => {
    const random = seededRandom(8);
    for (let i = 0; i < 200; i++) {
      const crop = randomResizedCrop(300, 200, random);
      expect(crop.x).toBeGreaterThanOrEqual(0);
      expect(crop.y).toBeGreaterThanOrEqual(0);
      expect(crop.x + crop.w).toBeLessThanOrEqual(300);
      expect(crop.y + crop.h).toBeLessThanOrEqual(200);
      expect(Number.isInteger(crop.x + crop.y + crop.w + crop.h)).toBe(true);
      expect((crop.w * crop.h) / (300 * 200)).toBeGreaterThan(0.3);
    }
  });

  it("pairs each image's two views, laid out after the catalogue's rows, grouped by the image", () => {
    expect(augmentPairs(10, [3, 7])).toEqual([
      { anchor: 10, positive: 11, group: 3, weight: 1 },
      { anchor: 12, positive: 13, group: 7, weight: 1 },
    ]);
  });
});
