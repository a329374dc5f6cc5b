import { describe, expect, it } from 'vitest';
import { credit, teamDraft } from '../../src/lib/interleaving';
import { querySampler } from '../../src/lib/onlineSimulation';
import { seededRandom } from '../../src/lib/syntheticVectors';

const heads = () => 0.1;
const tails = () => 0.9;

describe('team-draft interleaving', () => {
  it('drafts in turns, the coin picking who goes first, never showing a result twice', () => {
    expect(teamDraft([1, 2, 3, 4], [2, 1, 5, 6], 4, heads)).toEqual({ ids: [1, 2, 3, 5], teams: ['a', 'b', 'a', 'b'] });
    expect(teamDraft([1, 2, 3, 4], [2, 1, 5, 6], 4, tails)).toEqual({ ids: [2, 1, 5, 3], teams: ['b', 'a', 'b', 'a'] });
  });

  it('identical rankings give the ranking itself, split between the teams', () => {
    const merged = teamDraft([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], 6, seededRandom(1));
    expect(merged.ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merged.teams.filter((t) => t === 'a')).toHaveLength(3);
  });

  it('goes on with the other ranking when one runs out', () => {
    expect(teamDraft([1], [1, 2, 3], 3, heads)).toEqual({ ids: [1, 2, 3], teams: ['a', 'b', 'b'] });
    expect(teamDraft([], [], 3, heads)).toEqual({ ids: [], teams: [] });
  });

  it('credits the session to the team with more clicks', () => {
    const merged = { ids: [1, 2, 3, 5], teams: ['a', 'b', 'a', 'b'] as const };
    const list = { ids: merged.ids, teams: [...merged.teams] };
    expect(credit(list, [1, 3])).toBe('a');
    expect(credit(list, [2])).toBe('b');
    expect(credit(list, [1, 2])).toBe('tie');
    expect(credit(list, [])).toBe('tie');
  });
});

describe('query popularity', () => {
  it('samples uniformly, or with Zipf weights 1/rank^s', () => {
    const uniform = querySampler(4, 0, seededRandom(2));
    const seen = new Set(Array.from({ length: 200 }, uniform));
    expect(seen.size).toBe(4);

    const counts = new Map<number, number>();
    const skewed = querySampler(50, 1, seededRandom(3));
    for (let i = 0; i < 60_000; i++) {
      const q = skewed();
      counts.set(q, (counts.get(q) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    // With s = 1 the top query gets about twice the second's traffic and three times the third's.
    expect(sorted[0] / sorted[1]).toBeGreaterThan(1.8);
    expect(sorted[0] / sorted[1]).toBeLessThan(2.2);
    expect(sorted[0] / sorted[2]).toBeGreaterThan(2.7);
    expect(sorted[0] / sorted[2]).toBeLessThan(3.3);
  });
});
