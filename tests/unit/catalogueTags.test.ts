import { describe, expect, it } from 'vitest';
import { CatalogueTags } from '../../src/features/embed/client/catalogueTags';
import type { TagStore } from '../../src/features/embed/client/tagStore';
import type { EmbedBatchResult } from '../../src/features/embed/shared/protocol';
import { COCO_TAG_OFFSET, type ImageTag } from '../../src/lib/tags';
import type { CatalogueItem } from '../../src/lib/types';

/** A tag store in memory, with the TagStore methods CatalogueTags uses. */
function memoryStore(kept: Map<string, ImageTag[]> = new Map()) {
  const store = {
    kept,
    async put(entries: readonly [string, ImageTag[]][]) {
      for (const [hash, tags] of entries) kept.set(hash, tags);
    },
    async get(hashes: readonly string[]) {
      return new Map(hashes.flatMap((h): [string, ImageTag[]][] => (kept.has(h) ? [[h, kept.get(h)!]] : [])));
    },
  };
  return { store, tags: new CatalogueTags(Promise.resolve(store as unknown as TagStore)) };
}

const item = (id: number, hash: string): CatalogueItem => ({
  id,
  file: `${id}.jpg`,
  label: '',
  width: 1,
  height: 1,
  hash,
});
const tabby: ImageTag[] = [{ cls: 281, p: 0.7 }];
const pizza: ImageTag[] = [{ cls: 963, p: 0.9 }];

describe('CatalogueTags', () => {
  it("takes the bundle's tags by content hash, and what storage kept for the rest", async () => {
    const { tags } = memoryStore(new Map([['h2', pizza]]));
    await tags.takeKnown([item(1, 'h1'), item(2, 'h2'), item(3, 'h1')], new Map([['h1', tabby]]), true);
    expect([tags.of(1), tags.of(2), tags.of(3)]).toEqual([tabby, pizza, tabby]);
    expect(tags.bundleWithoutTags).toBe(false);
  });

  it('says when the bundle had no tags', async () => {
    const { tags } = memoryStore();
    await tags.takeKnown([item(1, 'h1')], null, true);
    expect(tags.bundleWithoutTags).toBe(true);
    expect(tags.size).toBe(0);
  });

  it("gives a batch's tags to every image with the same content and keeps them by hash", async () => {
    const { tags, store } = memoryStore();
    const items = [item(1, 'h1'), item(2, 'h1'), item(3, 'h3')];
    await tags.takeBatch({ ids: [1, 3], tags: [tabby, pizza] } as unknown as EmbedBatchResult, items);
    expect([tags.of(1), tags.of(2), tags.of(3)]).toEqual([tabby, tabby, pizza]);
    expect([...store.kept.keys()].sort()).toEqual(['h1', 'h3']);
  });

  it("replaces an image's COCO tags with its boxes' and keeps its ImageNet ones; forget and clear drop tags", () => {
    const { tags } = memoryStore();
    tags.set([[1, tabby]]);
    const cat = (p: number): ImageTag => ({ cls: COCO_TAG_OFFSET + 15, p });
    tags.setObjects(1, [cat(0.8)]);
    tags.setObjects(1, [cat(0.5)]);
    expect(tags.of(1)).toEqual([...tabby, cat(0.5)]);
    tags.forget([1]);
    expect(tags.of(1)).toBeUndefined();
    tags.set([[2, pizza]]);
    tags.clear();
    expect(tags.size).toBe(0);
  });
});
