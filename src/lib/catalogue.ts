import type { CatalogueItem } from './types';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'] as const;

export function isImageFile(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The class of an image is its parent folder's name; an image at the top level has none. */
export function labelFromPath(relativePath: string): string {
  const parts = relativePath.split('/');
  return parts.length > 1 ? parts[parts.length - 2] : '';
}

/** Stable order for manifests: by path, compared code point by code point. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function catalogueBaseUrl(catalogueId: string): string {
  return `catalogues/${encodeURIComponent(catalogueId)}`;
}

export function imageUrl(catalogueId: string, item: Pick<CatalogueItem, 'file'>): string {
  const path = item.file.split('/').map(encodeURIComponent).join('/');
  return `${catalogueBaseUrl(catalogueId)}/images/${path}`;
}
