import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest } from '../../datasets/manifest';
import { imagePath, imageUrl, imagesFolderUrl, isImageFile, labelFromPath } from '../../src/lib/catalogue';
import { makeCorruptJpeg, makeJpeg, makePng } from '../fixtures/images';

describe('catalogue paths', () => {
  it('takes the label from the parent folder, none at the top level', () => {
    expect(labelFromPath('Leopards/image_0001.jpg')).toBe('Leopards');
    expect(labelFromPath('a/b/c.png')).toBe('b');
    expect(labelFromPath('loose.jpg')).toBe('');
  });
  it('knows image files by extension, any case', () => {
    expect(['a.jpg', 'b.JPEG', 'c.png', 'd.webp', 'e.GIF'].every(isImageFile)).toBe(true);
    expect(['e.txt', 'f.svg', 'g.svgz', 'jpg'].some(isImageFile)).toBe(false);
  });
  it('encodes each path segment of an image URL', () => {
    expect(imageUrl('my cat', { file: 'a b/<x>.jpg' })).toBe('catalogues/my%20cat/images/a%20b/%3Cx%3E.jpg');
    expect(imageUrl('c', { file: 'q?/#1 a=b&c+d,e;f@g$h:i.jpg' })).toBe(
      'catalogues/c/images/q%3F/%231%20a=b&c+d,e;f@g$h:i.jpg',
    );
  });
  it('gives the same absolute URL when the folder is made absolute once and each path appended', () => {
    // The catalogue stage resolves the folder once and appends each image's path (no URL parsed per image).
    const base = 'http://127.0.0.1:5173/lab/';
    const files = [
      'a b/<x>.jpg',
      'q?/#1 a=b&c+d,e;f@g$h:i.jpg',
      'Ünïcode/日本.png',
      'dots/..a/.b.jpg',
      '100%/x%41.gif',
    ];
    for (const file of files) {
      expect(new URL(imagesFolderUrl('my cat'), base).href + imagePath({ file })).toBe(
        new URL(imageUrl('my cat', { file }), base).href,
      );
    }
  });
});

describe('buildManifest', () => {
  let root: string;
  const png = makePng(30, 20);
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vsl-manifest-'));
    mkdirSync(join(root, 'cats'));
    mkdirSync(join(root, 'dogs', 'puppies'), { recursive: true });
    writeFileSync(join(root, 'cats', 'b.png'), png);
    writeFileSync(join(root, 'cats', 'a.jpg'), makeJpeg(40, 10));
    writeFileSync(join(root, 'dogs', 'puppies', 'c.JPG'), makeJpeg(8, 16));
    writeFileSync(join(root, 'loose.png'), png);
    writeFileSync(join(root, 'broken.jpg'), makeCorruptJpeg());
    writeFileSync(join(root, 'notes.txt'), 'not an image');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists every image file, sorted by path, with ids in that order', async () => {
    const manifest = await buildManifest(root, 'pets');
    expect(manifest).toMatchObject({ format: 1, id: 'pets', name: 'pets' });
    expect(manifest.items.map((i) => [i.id, i.file, i.label])).toEqual([
      [0, 'broken.jpg', ''],
      [1, 'cats/a.jpg', 'cats'],
      [2, 'cats/b.png', 'cats'],
      [3, 'dogs/puppies/c.JPG', 'puppies'],
      [4, 'loose.png', ''],
    ]);
  });

  it('reads width and height from the header, null when it cannot', async () => {
    const { items } = await buildManifest(root, 'pets');
    expect(items.map((i) => [i.width, i.height])).toEqual([
      [null, null],
      [40, 10],
      [30, 20],
      [8, 16],
      [30, 20],
    ]);
  });

  it('hashes the content: equal files share a hash', async () => {
    const { items } = await buildManifest(root, 'pets');
    expect(items[2].hash).toBe(createHash('sha256').update(png).digest('hex'));
    expect(items[4].hash).toBe(items[2].hash);
    expect(items[1].hash).not.toBe(items[2].hash);
  });
});
