import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { imageSize } from 'image-size';
import { comparePaths, isImageFile, labelFromPath } from '../src/lib/catalogue';
import type { CatalogueItem, CatalogueManifest } from '../src/lib/types';

/** Every image file below `root`, as paths relative to it with forward slashes, sorted. */
export async function listImages(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && isImageFile(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(comparePaths);
}

/**
 * Builds the manifest of a folder of images. A file whose header cannot be read is still
 * listed (with null size): the browser decides, reports it and skips it, so the catalogue
 * shows every file it was given.
 */
export async function buildManifest(root: string, id: string): Promise<CatalogueManifest> {
  const files = await listImages(root);
  const items: CatalogueItem[] = [];
  for (const [index, file] of files.entries()) {
    const bytes = await readFile(join(root, file));
    let width: number | null = null;
    let height: number | null = null;
    try {
      const size = imageSize(bytes);
      width = size.width ?? null;
      height = size.height ?? null;
    } catch {
      // Unreadable header: left for the browser to report.
    }
    items.push({
      id: index,
      file,
      label: labelFromPath(file),
      width,
      height,
      hash: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return { format: 1, id, name: id, items };
}
