import type { Rect } from './crop';
import type { Neighbour } from './types';

/*
 * Object-level index entries: besides one vector per catalogue image, the index may hold one
 * vector per detected object (a crop of the image), so a crop query finds the object inside a
 * busy image. Each entry is linked to its parent image and its box. A result list never shows an
 * image twice: hits are collapsed to one row per parent image, the best score winning.
 *
 * An entry's id encodes its parent, so the search worker can collapse without a table:
 * OBJECT_ID_BASE + parent × MAX_OBJECTS_PER_IMAGE + slot. Image ids are catalogue positions (and
 * the next free position for images added later), far below OBJECT_ID_BASE, so the two never
 * collide; and every id stays inside an Int32 (the exact store's ids) and hnswlib's 32-bit labels.
 */

/** Ids from here on are object entries. */
export const OBJECT_ID_BASE = 2 ** 30;

/** At most this many boxes of one image become entries (the best scoring ones). */
export const MAX_OBJECTS_PER_IMAGE = 8;

/** The largest image id that can have object entries. */
export const MAX_PARENT_ID = Math.floor((2 ** 31 - 1 - OBJECT_ID_BASE) / MAX_OBJECTS_PER_IMAGE) - 1;

export function isObjectEntry(id: number): boolean {
  return id >= OBJECT_ID_BASE;
}

/** The id of box `slot` of image `parent`. */
export function objectEntryId(parent: number, slot: number): number {
  if (!Number.isInteger(parent) || parent < 0 || parent > MAX_PARENT_ID) {
    throw new RangeError(`image id ${parent} cannot have object entries (0 to ${MAX_PARENT_ID})`);
  }
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_OBJECTS_PER_IMAGE) {
    throw new RangeError(`object slot ${slot} is outside 0 to ${MAX_OBJECTS_PER_IMAGE - 1}`);
  }
  return OBJECT_ID_BASE + parent * MAX_OBJECTS_PER_IMAGE + slot;
}

/** The image an id belongs to: itself for an image, its parent for an object entry. */
export function parentOf(id: number): number {
  return isObjectEntry(id) ? Math.floor((id - OBJECT_ID_BASE) / MAX_OBJECTS_PER_IMAGE) : id;
}

/** One result row after collapsing: the parent image, its best score, and the entry that scored it when it was an object. */
export interface CollapsedHit extends Neighbour {
  /** The object entry whose score this is; absent when the image's own vector scored best. */
  entry?: number;
}

/**
 * A ranked hit list (best first) as one row per parent image, in order of each image's best
 * hit: a later hit on an image already listed is dropped. Keeps the first `k` rows.
 */
export function collapseToParents(hits: readonly Neighbour[], k = Infinity): CollapsedHit[] {
  const seen = new Set<number>();
  const rows: CollapsedHit[] = [];
  for (const hit of hits) {
    if (rows.length >= k) break;
    const parent = parentOf(hit.id);
    if (seen.has(parent)) continue;
    seen.add(parent);
    rows.push(isObjectEntry(hit.id) ? { id: parent, score: hit.score, entry: hit.id } : { ...hit });
  }
  return rows;
}

/** Only the image hits of a ranked list: what offline evaluation ranks. */
export function imagesOnly<T extends Neighbour>(hits: readonly T[]): T[] {
  return hits.filter((hit) => !isObjectEntry(hit.id));
}

/**
 * Searches with `search(n)` (a top-n list, best first) until `keep` of its hits leave at least
 * k rows or all `total` vectors were asked for: asks for 2k, then twice as many each time, so the
 * result equals keeping from the full ranking.
 */
export function searchUntil<T>(
  search: (n: number) => Neighbour[],
  keep: (hits: Neighbour[]) => T[],
  k: number,
  total: number,
): T[] {
  let n = Math.min(total, Math.max(1, 2 * k));
  for (;;) {
    const rows = keep(search(n));
    if (rows.length >= k || n >= total) return rows.slice(0, k);
    n = Math.min(total, n * 2);
  }
}

/** The object entries of the catalogue: which image and box each belongs to. */
export class ObjectEntries {
  private readonly boxes = new Map<number, Rect>();
  private readonly byParent = new Map<number, number[]>();

  /** Entries in the index. */
  get count(): number {
    return this.boxes.size;
  }

  /** Images with at least one entry. */
  get parents(): number[] {
    return [...this.byParent.keys()];
  }

  /**
   * Allocates one entry per box (best first; at most MAX_OBJECTS_PER_IMAGE) for an image without
   * entries; returns their ids, in the order of the boxes.
   */
  add(parent: number, boxes: readonly Rect[]): number[] {
    if (this.byParent.has(parent)) throw new Error(`image ${parent} already has object entries`);
    const ids = boxes.slice(0, MAX_OBJECTS_PER_IMAGE).map((box, slot) => {
      const id = objectEntryId(parent, slot);
      this.boxes.set(id, { ...box });
      return id;
    });
    if (ids.length > 0) this.byParent.set(parent, ids);
    return ids;
  }

  has(parent: number): boolean {
    return this.byParent.has(parent);
  }

  /** The entry's box in its image's natural pixels; null for an image id or an unknown entry. */
  boxOf(id: number): Rect | null {
    const box = this.boxes.get(id);
    return box ? { ...box } : null;
  }

  entriesOf(parent: number): number[] {
    return [...(this.byParent.get(parent) ?? [])];
  }

  /** Forgets an image's entries (it was deleted): returns their ids, to remove from the indexes. */
  removeParent(parent: number): number[] {
    const ids = this.byParent.get(parent) ?? [];
    this.byParent.delete(parent);
    for (const id of ids) this.boxes.delete(id);
    return ids;
  }

  /** Forgets every entry (the knob was turned off): returns their ids. */
  clear(): number[] {
    const ids = [...this.boxes.keys()];
    this.boxes.clear();
    this.byParent.clear();
    return ids;
  }
}

/** A box on a square thumbnail that shows the image's centre square (CSS `object-fit: cover`), in % of its side. */
export interface ThumbnailBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a box (natural pixels) falls on a square `object-fit: cover` thumbnail of an image of
 * `size`: the centre square of side min(width, height) fills it. Clipped to the thumbnail; null
 * when nothing of the box is inside it.
 */
export function boxOnCoverSquare(box: Rect, size: { width: number; height: number }): ThumbnailBox | null {
  const side = Math.min(size.width, size.height);
  if (!(side > 0)) return null;
  const offsetX = (size.width - side) / 2;
  const offsetY = (size.height - side) / 2;
  const clip = (v: number) => Math.min(100, Math.max(0, v));
  const left = clip(((box.x - offsetX) / side) * 100);
  const top = clip(((box.y - offsetY) / side) * 100);
  const right = clip(((box.x + box.w - offsetX) / side) * 100);
  const bottom = clip(((box.y + box.h - offsetY) / side) * 100);
  if (right <= left || bottom <= top) return null;
  return { left, top, width: right - left, height: bottom - top };
}
