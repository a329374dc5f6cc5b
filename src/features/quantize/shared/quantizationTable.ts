import { evaluateRankings } from '../../../lib/offlineEvaluation';
import type { QuantizationResult, QuantizationRow } from './methods';

/** A method's row as the tab shows it: the worker's figures and the label metrics of its lists. */
export interface QuantizationTableRow extends QuantizationRow {
  /** Label mAP@k and nDCG@k over the sampled queries, relevance = same label (leave-one-out). */
  map: number;
  ndcg: number;
}

/**
 * Scores each method's lists by label with the offline evaluation's own code
 * (src/lib/offlineEvaluation.ts); `population` is every indexed id, of which the queries are a sample.
 */
export function quantizationTable(
  result: QuantizationResult,
  labelOf: ReadonlyMap<number, string>,
  population: readonly number[],
): QuantizationTableRow[] {
  return result.rows.map((row) => {
    const { overall } = evaluateRankings(result.queryIds, result.rankings[row.method], labelOf, result.k, population);
    return { ...row, map: overall.map, ndcg: overall.ndcg };
  });
}

export const QUANT_CSV_COLUMNS = [
  'method',
  'bytes_per_vector',
  'total_bytes',
  'train_ms',
  'p50_ms',
  'p95_ms',
  'recall',
  'needs_floats',
  'map',
  'ndcg',
  'k',
  'queries',
] as const;

export function quantizationCsv(rows: readonly QuantizationTableRow[], k: number, queries: number): string {
  const lines = rows.map((row) => {
    const values: Record<(typeof QUANT_CSV_COLUMNS)[number], string | number | boolean> = { ...row, k, queries };
    return QUANT_CSV_COLUMNS.map((column) => String(values[column])).join(',');
  });
  return [QUANT_CSV_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

/**
 * The methods on the memory–recall Pareto front: none other needs no more memory and reaches
 * at least its recall, one of the two strictly. Cheapest first.
 */
export function paretoFront<T extends { total_bytes: number; recall: number }>(rows: readonly T[]): T[] {
  const dominated = (row: T) =>
    rows.some(
      (other) =>
        other !== row &&
        other.total_bytes <= row.total_bytes &&
        other.recall >= row.recall &&
        (other.total_bytes < row.total_bytes || other.recall > row.recall),
    );
  return rows.filter((row) => !dominated(row)).sort((a, b) => a.total_bytes - b.total_bytes);
}

/** Bytes in binary units, to three significant figures. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toPrecision(3)} ${units[unit]}`;
}
