import { describe, expect, it } from 'vitest';
import {
  MAX_OBJECTS_PER_IMAGE,
  MAX_PARENT_ID,
  OBJECT_ID_BASE,
  ObjectEntries,
  boxOnCoverSquare,
  collapseToParents,
  imagesOnly,
  isObjectEntry,
  objectEntryId,
  parentOf,
  searchUntil,
} from '../../src/lib/objectEntries';
import type { Neighbour } from '../../src/lib/types';

const box = (x: number) => ({ x, y: 1, w: 10, h: 20 });

describe('object entry ids', () => {
  it('never collide with image ids and lead back to their parent', () => {
    const ids = new Set<number>();
    for (const parent of [0, 1, 2, 2368, 99_999]) {
      for (let slot = 0; slot < MAX_OBJECTS_PER_IMAGE; slot++) {
        const id = objectEntryId(parent, slot);
        expect(isObjectEntry(id)).toBe(true);
        expect(parentOf(id)).toBe(parent);
        expect(ids.has(id)).toBe(false);
        ids.add(id);
      }
      expect(isObjectEntry(parent)).toBe(false);
      expect(parentOf(parent)).toBe(parent);
    }
  });

  it('stay inside an Int32 and refuse parents or slots out of range', () => {
    expect(objectEntryId(MAX_PARENT_ID, MAX_OBJECTS_PER_IMAGE - 1)).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(MAX_PARENT_ID).toBeLessThan(OBJECT_ID_BASE);
    expect(() => objectEntryId(MAX_PARENT_ID + 1, 0)).toThrow(RangeError);
    expect(() => objectEntryId(-1, 0)).toThrow(RangeError);
    expect(() => objectEntryId(3, MAX_OBJECTS_PER_IMAGE)).toThrow(RangeError);
  });
});

describe('ObjectEntries', () => {
  it('links each entry to its parent and box', () => {
    const entries = new ObjectEntries();
    const ids = entries.add(7, [box(1), box(2)]);
    expect(ids).toEqual([objectEntryId(7, 0), objectEntryId(7, 1)]);
    expect(entries.count).toBe(2);
    expect(entries.boxOf(ids[1])).toEqual(box(2));
    expect(entries.boxOf(7)).toBeNull();
    expect(entries.entriesOf(7)).toEqual(ids);
    expect(entries.entriesOf(8)).toEqual([]);
    expect(entries.parents).toEqual([7]);
    expect(() => entries.add(7, [box(3)])).toThrow(/already/);
  });

  it('keeps at most MAX_OBJECTS_PER_IMAGE boxes of an image, the first (best) ones', () => {
    const entries = new ObjectEntries();
    const ids = entries.add(
      3,
      Array.from({ length: MAX_OBJECTS_PER_IMAGE + 3 }, (_, i) => box(i)),
    );
    expect(ids).toHaveLength(MAX_OBJECTS_PER_IMAGE);
    expect(entries.boxOf(ids.at(-1)!)).toEqual(box(MAX_OBJECTS_PER_IMAGE - 1));
  });

  it('an image without boxes has no entries', () => {
    const entries = new ObjectEntries();
    expect(entries.add(4, [])).toEqual([]);
    expect(entries.has(4)).toBe(false);
  });

  it('delete an image → its object entries go', () => {
    const entries = new ObjectEntries();
    const mine = entries.add(1, [box(1), box(2)]);
    const other = entries.add(2, [box(3)]);
    expect(entries.removeParent(1)).toEqual(mine);
    expect(entries.count).toBe(1);
    expect(entries.entriesOf(1)).toEqual([]);
    expect(entries.boxOf(mine[0])).toBeNull();
    expect(entries.boxOf(other[0])).toEqual(box(3));
    expect(entries.removeParent(1)).toEqual([]);
    // Its entries may come back (the knob turned on again), with the same ids.
    expect(entries.add(1, [box(5)])).toEqual([mine[0]]);
  });

  it('clear returns every entry', () => {
    const entries = new ObjectEntries();
    const ids = [...entries.add(1, [box(1)]), ...entries.add(2, [box(2), box(3)])];
    expect(entries.clear().sort()).toEqual(ids.sort());
    expect(entries.count).toBe(0);
  });
});

describe('collapsing hits to their images', () => {
  const hits: Neighbour[] = [
    { id: objectEntryId(5, 1), score: 0.9 },
    { id: 2, score: 0.8 },
    { id: 5, score: 0.7 },
    { id: objectEntryId(2, 0), score: 0.6 },
    { id: objectEntryId(9, 0), score: 0.5 },
    { id: 4, score: 0.4 },
  ];

  it('shows each image once, at its best score, remembering the entry that hit', () => {
    expect(collapseToParents(hits)).toEqual([
      { id: 5, score: 0.9, entry: objectEntryId(5, 1) },
      { id: 2, score: 0.8 },
      { id: 9, score: 0.5, entry: objectEntryId(9, 0) },
      { id: 4, score: 0.4 },
    ]);
    expect(collapseToParents(hits, 2).map((h) => h.id)).toEqual([5, 2]);
  });

  it('offline evaluation keeps the images only', () => {
    expect(imagesOnly(hits).map((h) => h.id)).toEqual([2, 5, 4]);
  });

  it('searchUntil asks for more until k rows are left, or everything was asked', () => {
    const asked: number[] = [];
    const search = (n: number) => {
      asked.push(n);
      return hits.slice(0, n);
    };
    expect(searchUntil(search, (h) => collapseToParents(h), 3, hits.length).map((h) => h.id)).toEqual([5, 2, 9]);
    expect(asked).toEqual([6]);
    asked.length = 0;
    expect(searchUntil(search, imagesOnly, 3, hits.length).map((h) => h.id)).toEqual([2, 5, 4]);
    asked.length = 0;
    expect(searchUntil(search, (h) => collapseToParents(h), 1, hits.length)).toHaveLength(1);
    expect(asked).toEqual([2]);
    asked.length = 0;
    expect(searchUntil(search, imagesOnly, 10, hits.length)).toHaveLength(3);
    expect(asked).toEqual([6]);
  });
});

describe('the box on a square thumbnail (object-fit: cover)', () => {
  it('maps natural pixels to % of the centre square', () => {
    // 200×100 image: the thumbnail shows x 50..150.
    expect(boxOnCoverSquare({ x: 50, y: 0, w: 50, h: 50 }, { width: 200, height: 100 })).toEqual({
      left: 0,
      top: 0,
      width: 50,
      height: 50,
    });
    // Partly outside: clipped.
    expect(boxOnCoverSquare({ x: 0, y: 25, w: 100, h: 50 }, { width: 200, height: 100 })).toEqual({
      left: 0,
      top: 25,
      width: 50,
      height: 50,
    });
  });

  it('null when the box is outside the square or the size is unknown', () => {
    expect(boxOnCoverSquare({ x: 0, y: 0, w: 40, h: 40 }, { width: 200, height: 100 })).toBeNull();
    expect(boxOnCoverSquare({ x: 0, y: 0, w: 40, h: 40 }, { width: 0, height: 100 })).toBeNull();
  });
});
