import { describe, expect, it } from 'vitest';
import { alignByRank } from '../../src/lib/rankAlignment';

const hits = (...ids: number[]) => ids.map((id) => ({ id }));

describe('result columns aligned by rank', () => {
  it('puts each engine’s r-th result in row r, in the engines’ order', () => {
    const rows = alignByRank(
      [
        { engine: 'exact', hits: hits(1, 2, 3) },
        { engine: 'hnsw', hits: hits(1, 3, 2) },
      ],
      'exact',
    );
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.cells.map((c) => c?.hit.id))).toEqual([
      [1, 1],
      [2, 3],
      [3, 2],
    ]);
    // Same set, other order: nothing missed, nothing extra.
    expect(rows.flatMap((r) => r.cells).every((c) => c && !c.notInReference && c.missedBy.length === 0)).toBe(true);
  });

  it('marks a missed reference result and an extra result in the rows where they occur', () => {
    const rows = alignByRank(
      [
        { engine: 'exact', hits: hits(1, 2, 3, 4) },
        { engine: 'hnsw', hits: hits(1, 2, 4, 9) },
      ],
      'exact',
    );
    // Exact's 3 (row 3) was missed by HNSW; HNSW's 9 (row 4) is not in the exact top k.
    expect(rows[2].cells[0]).toMatchObject({ engine: 'exact', hit: { id: 3 }, rank: 3, missedBy: ['hnsw'] });
    expect(rows[3].cells[1]).toMatchObject({ engine: 'hnsw', hit: { id: 9 }, rank: 4, notInReference: true });
    expect(rows[3].cells[0]!.missedBy).toEqual([]);
    expect(rows[2].cells[1]!.notInReference).toBe(false);
  });

  it('takes any number of engines, naming each that missed a reference result', () => {
    const rows = alignByRank(
      [
        { engine: 'exact', hits: hits(1, 2) },
        { engine: 'hnsw', hits: hits(1, 5) },
        { engine: 'pq', hits: hits(7, 1) },
      ],
      'exact',
    );
    expect(rows[1].cells[0]!.missedBy).toEqual(['hnsw', 'pq']);
    expect(rows[0].cells[0]!.missedBy).toEqual([]);
    expect(rows[0].cells[2]!.notInReference).toBe(true);
  });

  it('leaves a cell empty where an engine returned fewer results', () => {
    const rows = alignByRank(
      [
        { engine: 'exact', hits: hits(1, 2, 3) },
        { engine: 'hnsw', hits: hits(1) },
      ],
      'exact',
    );
    expect(rows).toHaveLength(3);
    expect(rows[2].cells[1]).toBeNull();
    expect(alignByRank([{ engine: 'exact', hits: [] }], 'exact')).toEqual([]);
  });
});
