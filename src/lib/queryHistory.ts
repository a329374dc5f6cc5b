import type { Rect } from './crop';

/** A query the user ran, enough to run it again. */
export interface HistoryEntry {
  /** Catalogue id, or null for an image the user gave (kept as its bytes). */
  id: number | null;
  name: string;
  label: string | null;
  source: string | Blob;
  crop: Rect | null;
}

/** Queries kept to step back through; the oldest fall off. */
export const HISTORY_LENGTH = 20;

function sameCrop(a: Rect | null, b: Rect | null): boolean {
  return a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);
}

export function sameQuery(a: HistoryEntry, b: HistoryEntry): boolean {
  const sameImage = a.id !== null || b.id !== null ? a.id === b.id : a.source === b.source;
  return sameImage && sameCrop(a.crop, b.crop);
}

/** The history (newest first) after running `entry`: it moves to the front, once. */
export function recordQuery(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...history.filter((e) => !sameQuery(e, entry))].slice(0, HISTORY_LENGTH);
}

/** Steps back: the current query (the front) is dropped and the one before it is next. */
export function stepBack(history: readonly HistoryEntry[]): { history: HistoryEntry[]; previous: HistoryEntry | null } {
  if (history.length < 2) return { history: [...history], previous: null };
  return { history: history.slice(1), previous: history[1] };
}
