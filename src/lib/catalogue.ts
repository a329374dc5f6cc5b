import type { CatalogueItem } from './types';

/** The catalogue setup prepares when it is given no other: 2,369 Caltech-101 photos in 40 classes. */
export const DEFAULT_CATALOGUE = 'caltech101-40';

/** An animated GIF is indexed by its first frame, as the browser decodes it. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif'] as const;

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

/**
 * Escapes a path segment for a URL, but leaves = & + , : ; @ $ raw: they are legal in a path,
 * and the static server decodes paths with decodeURI, which would leave their escapes as is.
 */
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(3D|26|2B|2C|3A|3B|40|24)/g, (escape) => decodeURIComponent(escape));
}

/** An image's path inside its catalogue's images folder, escaped for a URL. */
export function imagePath(item: Pick<CatalogueItem, 'file'>): string {
  return item.file.split('/').map(encodePathSegment).join('/');
}

/** The folder a catalogue's images are served from, relative to the app; `imageUrl` is it plus `imagePath`. */
export function imagesFolderUrl(catalogueId: string): string {
  return `${catalogueBaseUrl(catalogueId)}/images/`;
}

export function imageUrl(catalogueId: string, item: Pick<CatalogueItem, 'file'>): string {
  return imagesFolderUrl(catalogueId) + imagePath(item);
}
