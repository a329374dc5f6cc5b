import { seededRandom } from './syntheticVectors';

/** efSearch values a sweep tries: k itself, then powers of two above it, up to `max`. */
export function efSearchLadder(k: number, max = 512): number[] {
  const ladder = [k];
  for (let ef = 16; ef <= max; ef *= 2) if (ef > k) ladder.push(ef);
  return ladder;
}

/** A reproducible sample of `count` ids (all of them when there are fewer), in sampled order. */
export function seededSample<T>(items: readonly T[], count: number, seed: number): T[] {
  const pool = [...items];
  const random = seededRandom(seed);
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, take);
}

/** The sweep's CSV columns, in the order the testing contract fixes. */
export const SWEEP_CSV_COLUMNS = [
  'M',
  'efConstruction',
  'efSearch',
  'k',
  'recall',
  'qps',
  'p50_ms',
  'p95_ms',
  // Appended: how the queries were drawn, so a CSV read alone says what its recall means.
  'queries',
  'self_matches',
  // Appended: which engine answered, hnswlib-wasm or pgvector (ef_search for efSearch, m for M).
  'engine',
] as const;

export type SweepCsvRow = Record<(typeof SWEEP_CSV_COLUMNS)[number], number | string>;

export function sweepCsv(rows: readonly SweepCsvRow[]): string {
  const lines = rows.map((row) => SWEEP_CSV_COLUMNS.map((column) => String(row[column])).join(','));
  return [SWEEP_CSV_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

/** The first setting whose recall reaches the target: where a curve crosses it. */
export function firstReaching<T extends { recall: number }>(points: readonly T[], target: number): T | null {
  return points.find((p) => p.recall >= target) ?? null;
}

/**
 * Slope of log(y) against log(x) by least squares: how a cost grows with N on a log–log
 * plot (1 = linear, 0 = flat).
 */
export function logLogSlope(points: readonly { x: number; y: number }[]): number | null {
  const usable = points.filter((p) => p.x > 0 && p.y > 0);
  if (usable.length < 2) return null;
  const xs = usable.map((p) => Math.log(p.x));
  const ys = usable.map((p) => Math.log(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? null : num / den;
}
