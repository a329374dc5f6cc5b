import { logLogSlope } from './experiments';

/** One efSearch tried at one N: mean ANN recall@k over the queries and the median query time. */
export interface EfRung {
  efSearch: number;
  recall: number;
  hnswMs: number;
}

/** The rung an N reports, and whether its recall reached the target. */
export interface EfChoice extends EfRung {
  reachedTarget: boolean;
}

/**
 * The smallest efSearch whose recall reaches the target. When none does, the last (largest)
 * one tried, flagged `reachedTarget: false`, so no figure claims a recall it did not reach.
 * Null when nothing was tried.
 */
export function chooseEfSearch(rungs: readonly EfRung[], target: number): EfChoice | null {
  const reached = rungs.find((rung) => rung.recall >= target);
  if (reached) return { ...reached, reachedTarget: true };
  const last = rungs.at(-1);
  return last ? { ...last, reachedTarget: false } : null;
}

/** What the Scale lab plots and fits, per measured N. */
export interface ScaleFigureRow {
  n: number;
  exactMs: number;
  hnswMs: number;
  buildMs: number;
  reachedTarget: boolean;
}

export interface Point {
  x: number;
  y: number;
}

export interface ScaleFigures {
  exact: Point[];
  /** HNSW query time at the recall target: only the Ns that reached it. */
  hnsw: Point[];
  /** HNSW query time at the largest efSearch tried, for the Ns that never reached the target. */
  hnswShort: Point[];
  build: Point[];
  /** Log–log slopes; the HNSW query slope is fitted on `hnsw` alone. Null below two points. */
  slopes: { exact: number | null; hnsw: number | null; build: number | null };
}

/** The chart's series and fitted slopes: a row short of the recall target stays out of the HNSW fit. */
export function scaleFigures(rows: readonly ScaleFigureRow[]): ScaleFigures {
  const point = (y: (row: ScaleFigureRow) => number) => (row: ScaleFigureRow) => ({ x: row.n, y: y(row) });
  const exact = rows.map(point((r) => r.exactMs));
  const hnsw = rows.filter((r) => r.reachedTarget).map(point((r) => r.hnswMs));
  const hnswShort = rows.filter((r) => !r.reachedTarget).map(point((r) => r.hnswMs));
  const build = rows.map(point((r) => r.buildMs));
  return {
    exact,
    hnsw,
    hnswShort,
    build,
    slopes: { exact: logLogSlope(exact), hnsw: logLogSlope(hnsw), build: logLogSlope(build) },
  };
}

/** Exact time over HNSW time at the recall target; null when HNSW did not reach it (no fair comparison). */
export function speedUp(row: Pick<ScaleFigureRow, 'exactMs' | 'hnswMs' | 'reachedTarget'>): number | null {
  if (!row.reachedTarget || !(row.hnswMs > 0)) return null;
  return row.exactMs / row.hnswMs;
}
