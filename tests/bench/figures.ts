import { median, quantile } from '../../src/lib/stats';

/** A benchmark figure: the median of several runs, with the smallest and largest and how many. */
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

/** Latency over many queries: p50 and p95 with the extremes. */
export interface Latency extends Figure {
  p95: number;
}

export function latency(values: readonly number[]): Latency {
  return { ...figure(values), p95: quantile(values, 0.95) };
}

/** Bytes per millisecond to GB/s. */
export function gigabytesPerSecond(bytes: number, ms: number): number {
  return bytes / ms / 1e6;
}
