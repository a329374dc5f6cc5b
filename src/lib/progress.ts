export interface ProgressFigures {
  done: number;
  total: number;
  /** Items per second since the start. */
  rate: number;
  /** Seconds left at that rate; null until there is a rate. */
  etaSeconds: number | null;
}

export function progressFigures(done: number, total: number, elapsedMs: number): ProgressFigures {
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  return { done, total, rate, etaSeconds: rate > 0 ? (total - done) / rate : null };
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.ceil(seconds - minutes * 60)} s`;
}
