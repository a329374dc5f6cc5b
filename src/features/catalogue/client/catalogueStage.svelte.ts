import { imagePath, imagesFolderUrl } from '../../../lib/catalogue';
import type { CatalogueItem } from '../../../lib/types';
import type { EmbedFailure } from '../../embed/shared/protocol';
import { appUrl } from './assets';

/** A subset of the catalogue picked elsewhere (the Map's class or lasso): the grid shows only these. */
export interface CatalogueFilter {
  /** What picked it, shown on the chip: e.g. "class airplanes" or "lasso". */
  description: string;
  ids: ReadonlySet<number>;
}

/**
 * The catalogue: its images, the ones that could not be embedded, and where each image is
 * read from (the app's folder, or an object URL for an image the user gave).
 */
export class CatalogueStage {
  /** The catalogue's id, or `folder: <name>` for a folder the user picked. */
  id = $state('');
  items = $state.raw<CatalogueItem[]>([]);
  readonly itemById = $derived(new Map(this.items.map((item) => [item.id, item])));
  /** The one filter of the catalogue grid (set by the Map tab), or null for every image. */
  filter = $state.raw<CatalogueFilter | null>(null);
  /** The images the grid shows: the filter's, in catalogue order. */
  readonly visibleItems = $derived.by(() => {
    const filter = this.filter;
    return filter ? this.items.filter((item) => filter.ids.has(item.id)) : this.items;
  });
  /** Images that could not be embedded, with the reason; they are listed, never indexed. */
  skipped = $state<EmbedFailure[]>([]);
  /** Object URLs of images the user added (own folder, single images), by catalogue id. */
  private readonly localImages = new Map<number, string>();
  private imagesFolder: { id: string; url: string } | null = null;

  constructor(id: string, items: CatalogueItem[]) {
    this.id = id;
    this.items = items;
  }

  imageUrl(item: CatalogueItem): string {
    const local = this.localImages.get(item.id);
    if (local) return local;
    // The folder made absolute once per catalogue: a URL parsed per image took 10–35 ms for 2,369 at start.
    if (this.imagesFolder?.id !== this.id) this.imagesFolder = { id: this.id, url: appUrl(imagesFolderUrl(this.id)) };
    return this.imagesFolder.url + imagePath(item);
  }

  /** Whether the image came from the user rather than the app's catalogue (its URL cannot be shared). */
  isLocal(id: number): boolean {
    return this.localImages.has(id);
  }

  /** Whether the catalogue is no longer the one the app serves (images added by the user). */
  get hasLocalImages(): boolean {
    return this.localImages.size > 0;
  }

  isSkipped(id: number): boolean {
    return this.skipped.some((s) => s.id === id);
  }

  addSkipped(failures: EmbedFailure[]): void {
    if (failures.length > 0) this.skipped = [...this.skipped, ...failures];
  }

  /** Makes the user's images the whole catalogue (a folder): the previous images are let go. */
  replace(id: string, items: CatalogueItem[], files: File[]): void {
    for (const url of this.localImages.values()) URL.revokeObjectURL(url);
    this.localImages.clear();
    this.id = id;
    this.skipped = [];
    this.filter = null;
    this.items = [];
    this.append(items, files);
  }

  /** Adds the user's images, `files[i]` being the picture of `items[i]`. */
  append(items: CatalogueItem[], files: File[]): void {
    items.forEach((item, i) => this.localImages.set(item.id, URL.createObjectURL(files[i])));
    this.items = [...this.items, ...items];
  }

  /** Removes an image; returns its object URL, which the caller releases once nothing shows it. */
  remove(id: number): string | undefined {
    this.items = this.items.filter((item) => item.id !== id);
    this.skipped = this.skipped.filter((s) => s.id !== id);
    const url = this.localImages.get(id);
    this.localImages.delete(id);
    return url;
  }
}
