import { annRecallAtK } from '../../src/lib/annRecall';
import { median, quantile } from '../../src/lib/stats';

/** A benchmark figure: the median of several runs, with the smallest and largest and how many (1: a single run). */
export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function figure(values: readonly number[]): Figure {
  if (values.length === 0) throw new Error('a figure needs at least one run');
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`a run gave a non-finite value: ${values.join(', ')}`);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * A figure the app may not give on every load (a readout this build lacks, a browser that cannot
 * measure it): undefined when any run lacks it, so the report says it is missing instead of the
 * bench stopping.
 */
export function optionalFigure(values: readonly (number | null)[]): Figure | undefined {
  if (values.length === 0 || values.some((v) => v === null || !Number.isFinite(v))) return undefined;
  return figure(values as number[]);
}

/** Latency over many queries: p50 and p95 with the extremes. */
export interface Latency extends Figure {
  p95: number;
}

export function latency(values: readonly number[]): Latency {
  return { ...figure(values), p95: quantile(values, 0.95) };
}

/**
 * A ratio measured pair by pair — e.g. exact ÷ HNSW time of the same query, timed side by side —
 * summarised by the median of the per-pair ratios and their spread. Not the ratio of two medians
 * of separate blocks: load that hits one block and not the other cancels out within a pair.
 */
export interface PairedRatio {
  median: number;
  p5: number;
  p95: number;
  min: number;
  max: number;
  pairs: number;
}

export function pairedRatio(numerators: readonly number[], denominators: readonly number[]): PairedRatio {
  if (numerators.length !== denominators.length)
    throw new Error(`paired ratio: ${numerators.length} numerators against ${denominators.length} denominators`);
  if (numerators.length === 0) throw new Error('a paired ratio needs at least one pair');
  const ratios = numerators.map((n, i) => n / denominators[i]);
  const bad = ratios.findIndex((r) => !Number.isFinite(r) || r <= 0);
  if (bad >= 0)
    throw new Error(
      `pair ${bad} gave ${numerators[bad]} ÷ ${denominators[bad]}: not a positive finite ratio (a timer too coarse for the work?)`,
    );
  return {
    median: median(ratios),
    p5: quantile(ratios, 0.05),
    p95: quantile(ratios, 0.95),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    pairs: ratios.length,
  };
}

/**
 * ANN recall@k of a query that is itself in the index. Both engines were asked for k + 1
 * neighbours; the query is dropped from each list and the first k that remain are compared, so
 * the query finding itself (at distance 0, in both lists) does not count as a hit.
 */
export function recallWithoutQuery(
  queryId: number,
  exactIds: readonly number[],
  approximateIds: readonly number[],
  k: number,
): number {
  const others = (ids: readonly number[]) => ids.filter((id) => id !== queryId).slice(0, k);
  return annRecallAtK(others(exactIds), others(approximateIds));
}

/** Bytes per millisecond to GB/s. */
export function gigabytesPerSecond(bytes: number, ms: number): number {
  return bytes / ms / 1e6;
}
