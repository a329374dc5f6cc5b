import { COCO_TAG_OFFSET, type ImageTag } from '../../../lib/tags';
import type { CatalogueItem } from '../../../lib/types';
import type { EmbedBatchResult } from '../shared/protocol';
import type { TagStore } from './tagStore';

/** Catalogue ids by content hash: files with the same bytes share one embedding and its tags. */
function idsByHash(items: readonly CatalogueItem[]): Map<string, number[]> {
  const ids = new Map<string, number[]>();
  for (const item of items) ids.set(item.hash, [...(ids.get(item.hash) ?? []), item.id]);
  return ids;
}

/**
 * How readers learn of a change: `read` where they read, `changed` after every change. The page
 * passes a Svelte state (changeSignal.svelte.ts), so tag search and tooltips follow the tags.
 */
export interface ChangeSignal {
  read(): void;
  changed(): void;
}

const NO_SIGNAL: ChangeSignal = { read: () => {}, changed: () => {} };

/**
 * The catalogue's tags (lib/tags.ts) by catalogue id, as they arrive: from the precomputed
 * bundle, from browser storage, and from every image embedded in the browser (the classifier
 * head runs in the same forward pass as the embedding).
 */
export class CatalogueTags {
  private readonly byId = new Map<number, ImageTag[]>();
  private withoutTags = false;

  constructor(
    private readonly store: Promise<TagStore | null>,
    private readonly signal: ChangeSignal = NO_SIGNAL,
  ) {}

  /** The catalogue's precomputed bundle was made before tags existed, so its images have none. */
  get bundleWithoutTags(): boolean {
    this.signal.read();
    return this.withoutTags;
  }

  get size(): number {
    this.signal.read();
    return this.byId.size;
  }

  of(id: number): ImageTag[] | undefined {
    this.signal.read();
    return this.byId.get(id);
  }

  /** Every tagged image, for search. */
  all(): ReadonlyMap<number, ImageTag[]> {
    this.signal.read();
    return this.byId;
  }

  set(entries: Iterable<[id: number, tags: ImageTag[]]>): void {
    let added = 0;
    for (const [id, tags] of entries) {
      this.byId.set(id, tags);
      added++;
    }
    if (added > 0) this.signal.changed();
  }

  /** Tags of freshly embedded images: shown at once, and kept by content hash for the next visit. */
  setFresh(entries: readonly { ids: number[]; hash: string | undefined; tags: ImageTag[] }[]): Promise<void> {
    this.set(entries.flatMap(({ ids, tags }) => ids.map((id): [number, ImageTag[]] => [id, tags])));
    const keep = entries.flatMap(({ hash, tags }): [string, ImageTag[]][] => (hash ? [[hash, tags]] : []));
    return this.store.then((store) => store?.put(keep)).catch(() => undefined);
  }

  /** Tags kept by an earlier visit for these images (by content hash), set on every id with that content. */
  async restore(idsByHash: ReadonlyMap<string, number[]>): Promise<void> {
    const store = await this.store;
    if (!store || idsByHash.size === 0) return;
    const found = await store.get([...idsByHash.keys()]).catch(() => new Map<string, ImageTag[]>());
    this.set([...found].flatMap(([hash, tags]) => idsByHash.get(hash)!.map((id): [number, ImageTag[]] => [id, tags])));
  }

  /**
   * The COCO classes of an image's detected boxes (lib/tags.ts cocoTags), known once the image was a
   * query: they replace its earlier COCO tags and join its ImageNet ones, for this visit.
   */
  setObjects(id: number, coco: ImageTag[]): void {
    const imagenet = (this.byId.get(id) ?? []).filter((tag) => tag.cls < COCO_TAG_OFFSET);
    if (imagenet.length === 0 && coco.length === 0) return;
    this.set([[id, [...imagenet, ...coco]]]);
  }

  forget(ids: Iterable<number>): void {
    let removed = 0;
    for (const id of ids) if (this.byId.delete(id)) removed++;
    if (removed > 0) this.signal.changed();
  }

  /**
   * Tags of the catalogue's images whose embedding is known before embedding: the bundle's, else
   * those an earlier visit kept. A bundle made before tags existed leaves its images untagged,
   * and the tag box says why.
   */
  async takeKnown(items: readonly CatalogueItem[], bundle: Map<string, ImageTag[]> | null, fromBundle: boolean) {
    this.withoutTags = fromBundle && bundle === null;
    this.signal.changed();
    const rest = new Map<string, number[]>();
    const entries: [number, ImageTag[]][] = [];
    for (const [hash, ids] of idsByHash(items)) {
      const tags = bundle?.get(hash);
      if (tags) entries.push(...ids.map((id): [number, ImageTag[]] => [id, tags]));
      else rest.set(hash, ids);
    }
    this.set(entries);
    await this.restore(rest);
  }

  /** A batch of the catalogue embedded in the browser: its tags, on every image with the same content. */
  takeBatch(batch: EmbedBatchResult, items: readonly CatalogueItem[]): Promise<void> {
    const byHash = idsByHash(items);
    const hashOf = new Map(items.map((item) => [item.id, item.hash]));
    return this.setFresh(
      batch.ids.map((id, row) => {
        const hash = hashOf.get(id);
        return { ids: (hash !== undefined && byHash.get(hash)) || [id], hash, tags: batch.tags[row] };
      }),
    );
  }

  /** Another catalogue replaced this one: its ids mean other images now. */
  clear(): void {
    this.byId.clear();
    this.withoutTags = false;
    this.signal.changed();
  }
}
