/**
 * ANN recall@k: the share of the exact top-k that the approximate search also returned.
 * Not to be confused with label-based recall@k (an offline ranking metric).
 */
export function annRecallAtK(exactIds: readonly number[], approximateIds: readonly number[]): number {
  if (exactIds.length === 0) return 1;
  const found = new Set(approximateIds);
  let hits = 0;
  for (const id of exactIds) if (found.has(id)) hits++;
  return hits / exactIds.length;
}
