import { comparePaths, isImageFile, labelFromPath } from './catalogue';
import type { CatalogueItem } from './types';

/** A file the user picked, with its path inside the chosen folder (forward slashes, no leading slash). */
export interface PickedFile<F> {
  path: string;
  file: F;
}

export interface FolderCatalogue<F> {
  /** Images in path order, ids from `firstId` on; labels are sub-folder names. */
  items: CatalogueItem[];
  /** The file of each item, same order. */
  files: F[];
  /** Paths that are not JPEG, PNG or WebP by name (hidden files included), left out. */
  ignored: string[];
}

/** `holiday/beach/a.jpg` (a folder input's webkitRelativePath, or a dropped entry's `/holiday/beach/a.jpg`) → `beach/a.jpg`. */
export function pathInsideFolder(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length > 1 ? parts.slice(1).join('/') : parts.join('/');
}

function hidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}

/** The catalogue a folder of images makes, as setup would make it (without reading the files). */
export function folderCatalogue<F>(picked: PickedFile<F>[], firstId = 0): FolderCatalogue<F> {
  const images = picked.filter((p) => isImageFile(p.path) && !hidden(p.path));
  const ignored = picked.filter((p) => !images.includes(p)).map((p) => p.path);
  images.sort((a, b) => comparePaths(a.path, b.path));
  return {
    items: images.map((p, i) => ({
      id: firstId + i,
      file: p.path,
      label: labelFromPath(p.path),
      width: null,
      height: null,
      hash: '',
    })),
    files: images.map((p) => p.file),
    ignored,
  };
}

/** The id the next added image gets: one past the largest in use, so ids are never reused. */
export function nextItemId(items: readonly CatalogueItem[]): number {
  return items.reduce((max, item) => Math.max(max, item.id + 1), 0);
}
