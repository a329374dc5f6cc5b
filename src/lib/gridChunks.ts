/** A run of consecutive grid items that fills whole rows (the last run may end in a short row). */
export interface GridChunk<T> {
  /** The index of its first item: stable while the items before it do not change. */
  start: number;
  /** How many rows it fills. */
  rows: number;
  items: T[];
}

/**
 * Cuts items into runs of whole rows of `columns`, about `tilesPerChunk` items each, so runs laid out
 * one under the other read as one grid: no run but the last ends in a short row.
 */
export function gridChunks<T>(items: readonly T[], columns: number, tilesPerChunk: number): GridChunk<T>[] {
  const cols = Math.max(1, Math.floor(columns));
  const size = cols * Math.max(1, Math.round(tilesPerChunk / cols));
  const chunks: GridChunk<T>[] = [];
  for (let start = 0; start < items.length; start += size) {
    const run = items.slice(start, start + size);
    chunks.push({ start, rows: Math.ceil(run.length / cols), items: run });
  }
  return chunks;
}
