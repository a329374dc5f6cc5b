/**
 * Result lists of several engines side by side, rank by rank: row r holds each engine's r-th
 * result, so a difference reads across a row. One engine is the reference (the exact scan): a
 * reference result another engine did not return is marked, in its own row, with that engine's
 * name; a result of another engine that the reference did not return is marked where it is.
 */

export interface AlignedCell<T> {
  engine: string;
  hit: T;
  /** 1-based. */
  rank: number;
  /** Another engine's result that the reference did not return. */
  notInReference: boolean;
  /** On a reference result: the engines that did not return it. */
  missedBy: string[];
}

export interface AlignedRow<T> {
  /** 1-based. */
  rank: number;
  /** One per engine, in the engines' order; null where an engine returned fewer results. */
  cells: (AlignedCell<T> | null)[];
}

export interface EngineHits<T> {
  engine: string;
  hits: readonly T[];
}

export function alignByRank<T extends { id: number }>(
  columns: readonly EngineHits<T>[],
  reference: string,
): AlignedRow<T>[] {
  const idsOf = new Map(columns.map((c) => [c.engine, new Set(c.hits.map((h) => h.id))]));
  const referenceIds = idsOf.get(reference) ?? null;
  const others = columns.filter((c) => c.engine !== reference).map((c) => c.engine);
  const rows = Math.max(0, ...columns.map((c) => c.hits.length));
  return Array.from({ length: rows }, (_, i) => ({
    rank: i + 1,
    cells: columns.map(({ engine, hits }) => {
      const hit = hits[i];
      if (hit === undefined) return null;
      const isReference = engine === reference;
      return {
        engine,
        hit,
        rank: i + 1,
        notInReference: !isReference && referenceIds !== null && !referenceIds.has(hit.id),
        missedBy: isReference ? others.filter((other) => !idsOf.get(other)!.has(hit.id)) : [],
      };
    }),
  }));
}
