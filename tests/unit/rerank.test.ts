import { describe, expect, it } from 'vitest';
import { candidateCount, isActive, maximalMarginalRelevance, rerank, type RerankRules } from '../../src/lib/rerank';
import { DEFAULT_PARAMS, formatParams, parseParams } from '../../src/lib/params';
import { rerankRules, toggled } from '../../src/lib/rerankRules';
import { TAG_VOCABULARY } from '../../src/lib/tags';
import type { CatalogueItem, Neighbour } from '../../src/lib/types';

/** A unit vector at `degrees` in the plane: the cosine of two is the cosine of their angle. */
function at(degrees: number): Float32Array {
  const r = (degrees * Math.PI) / 180;
  return new Float32Array([Math.cos(r), Math.sin(r)]);
}

const QUERY = at(0);
/** id → angle from the query; candidates come best first, score = cosine to the query. */
const ANGLES: Record<number, number> = { 1: 0, 2: 2, 3: 20, 4: 22, 5: -40, 6: 60 };
const vectors = new Map(Object.entries(ANGLES).map(([id, deg]) => [Number(id), at(deg)]));
const vectorOf = (id: number) => vectors.get(id)!;
const candidates: Neighbour[] = Object.keys(ANGLES)
  .map(Number)
  .map((id) => ({ id, score: QUERY[0] * vectorOf(id)[0] + QUERY[1] * vectorOf(id)[1] }))
  .sort((a, b) => b.score - a.score);
const ids = (list: Neighbour[]) => list.map((n) => n.id);
const none: RerankRules = { excluded: new Map(), dedupThreshold: null, mmrLambda: null };

describe('re-ranking', () => {
  it('passes the first k candidates through untouched when no rule is on', () => {
    expect(ids(candidates)).toEqual([1, 2, 3, 4, 5, 6]);
    const out = rerank(candidates, 3, none, vectorOf);
    expect(ids(out.kept)).toEqual([1, 2, 3]);
    expect(out.removed).toEqual([]);
    expect(out.kept[1].score).toBeCloseTo(Math.cos((2 * Math.PI) / 180), 6);
  });

  it('removes a candidate above the threshold against a higher-ranked kept result, and says which', () => {
    // cos 2° = 0.9994 (1~2, 3~4), cos 20° = 0.940 (1~3): a threshold of 0.99 takes out 2 and 4 only.
    const out = rerank(candidates, 4, { ...none, dedupThreshold: 0.99 }, vectorOf);
    expect(ids(out.kept)).toEqual([1, 3, 5, 6]);
    expect(out.removed).toMatchObject([
      { id: 2, rank: 2, reason: 'near-duplicate', duplicateOf: 1 },
      { id: 4, rank: 4, reason: 'near-duplicate', duplicateOf: 3 },
    ]);
    expect(out.removed[0].similarity).toBeCloseTo(Math.cos((2 * Math.PI) / 180), 6);
    expect(out).toMatchObject({ candidates: 6, afterFilters: 6 });
  });

  it('keeps pairs exactly at the threshold ("above" is strict) and removes more as it drops', () => {
    const cos20 = Math.cos((20 * Math.PI) / 180);
    expect(ids(rerank(candidates, 6, { ...none, dedupThreshold: cos20 + 1e-6 }, vectorOf).kept)).toEqual([1, 3, 5, 6]);
    // At 0.9 the 20° pairs go too: 3 is near 1, 4 near 1 (22°).
    expect(ids(rerank(candidates, 6, { ...none, dedupThreshold: 0.9 }, vectorOf).kept)).toEqual([1, 5, 6]);
  });

  it('stops once k distinct results are kept when there is no MMR', () => {
    const out = rerank(candidates, 2, { ...none, dedupThreshold: 0.99 }, vectorOf);
    expect(ids(out.kept)).toEqual([1, 3]);
    expect(ids(out.removed)).toEqual([2]);
  });

  it('filters private, flagged and hidden-label images before anything else, whatever their rank', () => {
    const items: CatalogueItem[] = [1, 2, 3, 4, 5, 6].map((id) => ({
      id,
      file: `${id}.jpg`,
      label: id % 2 ? 'odd' : 'even',
      width: 1,
      height: 1,
      hash: '',
    }));
    const rules = rerankRules({ ...DEFAULT_PARAMS, hide: ['even'], private: [1, 2], flagged: [5, 1] }, items)!;
    expect([...rules.excluded.entries()].sort()).toEqual([
      [1, 'private'],
      [2, 'private'],
      [4, 'hidden-label'],
      [5, 'flagged'],
      [6, 'hidden-label'],
    ]);
    const out = rerank(candidates, 3, rules, vectorOf);
    expect(ids(out.kept)).toEqual([3]);
    expect(out.removed.map((r) => [r.id, r.reason])).toEqual([
      [1, 'private'],
      [2, 'private'],
      [4, 'hidden-label'],
      [5, 'flagged'],
      [6, 'hidden-label'],
    ]);
    expect(out.afterFilters).toBe(1);
  });

  it('keeps only results tagged with a class the words name; other rules win, and no tags means no filter', () => {
    const items: CatalogueItem[] = [1, 2, 3].map((id) => ({
      id,
      file: `${id}.jpg`,
      label: '',
      width: 1,
      height: 1,
      hash: '',
    }));
    const cheetah = TAG_VOCABULARY.findIndex((name) => name.startsWith('cheetah'));
    const tagsOf = (id: number) =>
      id === 1 ? [{ cls: cheetah, p: 0.9 }] : id === 2 ? [{ cls: 0, p: 0.9 }] : undefined;
    const rules = rerankRules({ ...DEFAULT_PARAMS, tagged: 'Cheet', flagged: [3] }, items, tagsOf)!;
    expect([...rules.excluded.entries()].sort()).toEqual([
      [2, 'untagged'],
      [3, 'flagged'],
    ]);
    expect(rerankRules({ ...DEFAULT_PARAMS, tagged: 'cheetah' }, items)!.excluded.size).toBe(0);
  });

  it('MMR with λ = 1 is the similarity order; a low λ brings the far candidates forward', () => {
    expect(ids(maximalMarginalRelevance(candidates, 6, 1, vectorOf))).toEqual([1, 2, 3, 4, 5, 6]);
    // λ = 0.3: after 1 (at 0°), a candidate at θ is worth 0.3·cos θ − 0.7·cos θ, so the farthest,
    // 6 (60°), comes next; then 5 (−40°: 0.3·0.766 − 0.7·0.766 = −0.31) beats 3 (20°: 0.3·0.940 − 0.7·0.940 = −0.38).
    expect(ids(maximalMarginalRelevance(candidates, 3, 0.3, vectorOf))).toEqual([1, 6, 5]);
    const out = rerank(candidates, 3, { ...none, mmrLambda: 0.3 }, vectorOf);
    expect(ids(out.kept)).toEqual([1, 6, 5]);
    expect(out.removed).toEqual([]);
  });

  it('with MMR, near-duplicates of a pick are removed in the same pass, naming the pick', () => {
    // λ = 0.9 keeps close to the similarity order: 1, then 2 would come, but it is a near-copy of 1.
    const out = rerank(candidates, 3, { ...none, dedupThreshold: 0.99, mmrLambda: 0.9 }, vectorOf);
    expect(ids(out.kept)).toEqual([1, 3, 5]);
    expect(out.removed).toMatchObject([
      { id: 2, reason: 'near-duplicate', duplicateOf: 1 },
      { id: 4, reason: 'near-duplicate', duplicateOf: 3 },
    ]);
    expect(out.times.dedupMs).toBe(0);
    expect(out.times.mmrMs).toBeGreaterThanOrEqual(0);
  });

  it('MMR ranks with the higher-ranked candidate first on a tie', () => {
    const twins: Neighbour[] = [
      { id: 3, score: 0.5 },
      { id: 4, score: 0.5 },
    ];
    expect(ids(maximalMarginalRelevance(twins, 2, 0.7, vectorOf))).toEqual([3, 4]);
  });

  it('times each step and never returns more than k', () => {
    const out = rerank(
      candidates,
      2,
      { excluded: new Map([[6, 'flagged']]), dedupThreshold: 0.5, mmrLambda: 0.5 },
      vectorOf,
    );
    expect(out.kept.length).toBeLessThanOrEqual(2);
    const { filterMs, dedupMs, mmrMs, totalMs } = out.times;
    for (const ms of [filterMs, dedupMs, mmrMs]) expect(ms).toBeGreaterThanOrEqual(0);
    expect(totalMs).toBeCloseTo(filterMs + dedupMs + mmrMs, 6);
    const plain = rerank(candidates, 2, { ...none, dedupThreshold: 0.5 }, vectorOf).times;
    expect(plain.mmrMs).toBe(0);
  });

  it('over-fetches 3k candidates while a rule is on, never more than N', () => {
    expect(candidateCount(10, 1000, true)).toBe(30);
    expect(candidateCount(10, 1000, false)).toBe(10);
    expect(candidateCount(10, 25, true)).toBe(25);
    expect(candidateCount(10, 4, false)).toBe(4);
    expect(isActive(null)).toBe(false);
    expect(isActive(none)).toBe(false);
    expect(isActive({ ...none, mmrLambda: 1 })).toBe(true);
    expect(rerankRules({ ...DEFAULT_PARAMS, rerank: false, dedup: 0.9 }, [])).toBeNull();
  });
});

describe('re-ranking settings in the URL', () => {
  it('round-trips every knob, with labels that need escaping', () => {
    const settings = {
      rerank: false,
      dedup: 0.93,
      mmr: 0.4,
      hide: ['a,b', 'naïve café'],
      private: [3, 1],
      flagged: [7],
    };
    expect(parseParams(formatParams({ ...DEFAULT_PARAMS, ...settings }))).toMatchObject(settings);
    expect(formatParams(DEFAULT_PARAMS)).toBe('');
  });

  it('clamps thresholds to [0, 1] and drops malformed ids', () => {
    const s = parseParams('?dedup=1.7&mmr=-2&private=1,x,-3,2.5,4,4&hide=');
    expect(s).toMatchObject({ dedup: 1, mmr: 0, private: [1, 4], hide: [] });
    expect(parseParams('?dedup=abc').dedup).toBeNull();
  });

  it('toggles a value in a list', () => {
    expect(toggled([1, 2], 3)).toEqual([1, 2, 3]);
    expect(toggled([1, 2], 1)).toEqual([2]);
  });
});
