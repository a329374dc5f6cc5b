import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildManifest } from '../../datasets/manifest';
import { TAG_VOCABULARY } from '../../src/lib/tags';
import { decodeEmbeddingBundle } from '../../src/lib/embeddingBundle';
import { PREPROCESSING_VERSION } from '../../src/lib/preprocess';
import { makeCorruptJpeg, makePng } from '../fixtures/images';

/** The precompute CLI run as a user runs it, on a small folder with the real model. */
const root = resolve(import.meta.dirname, '../..');
const assetsDir = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
const folder = join(root, 'tests', '.fixtures', 'cli-images');
const MODEL = 'mobilenet_v1_025_224_rebuilt';

/** A WebP header (lossless, 10 × 10) with no image data: recognised, never decodable here. */
function webpHeader(): Buffer {
  const chunk = Buffer.alloc(5);
  chunk[0] = 0x2f;
  chunk.writeUInt32LE(9 | (9 << 14), 1);
  return Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([26, 0, 0, 0]),
    Buffer.from('WEBPVP8L'),
    Buffer.from([5, 0, 0, 0]),
    chunk,
  ]);
}

function makeFolder(): void {
  rmSync(folder, { recursive: true, force: true });
  const source = join(assetsDir, 'datasets', 'caltech101-40');
  for (const file of ['pizza/image_0001.jpg', 'pizza/image_0002.jpg', 'watch/image_0001.jpg']) {
    mkdirSync(join(folder, file.split('/')[0]), { recursive: true });
    copyFileSync(join(source, file), join(folder, file));
  }
  copyFileSync(join(source, 'watch/image_0001.jpg'), join(folder, 'watch', 'same bytes as image_0001.jpg'));
  writeFileSync(join(folder, 'green.png'), makePng(30, 20, [20, 200, 20]));
  writeFileSync(join(folder, 'broken.jpg'), makeCorruptJpeg());
  writeFileSync(join(folder, 'empty.jpg'), Buffer.alloc(0));
  writeFileSync(join(folder, 'lossless.webp'), webpHeader());
}

async function runEmbed(...args: string[]): Promise<{ stderr: string }> {
  return promisify(execFile)(join(root, 'node_modules', '.bin', 'tsx'), ['datasets/embed.ts', ...args], { cwd: root });
}

describe('npm run embed', () => {
  it('embeds a small folder into a bundle with the right count, dim and hashes, and reports what it skipped', async () => {
    makeFolder();
    const { stderr } = await runEmbed(folder, '--model', MODEL, '--assets', assetsDir);
    const out = join(folder, `visual-search.${MODEL}.vsle`);
    const bundle = decodeEmbeddingBundle(readFileSync(out));

    const manifest = await buildManifest(folder, 'cli-images');
    const decodable = ['green.png', 'pizza/image_0001.jpg', 'pizza/image_0002.jpg', 'watch/image_0001.jpg'];
    const hashOf = (file: string) =>
      createHash('sha256')
        .update(readFileSync(join(folder, file)))
        .digest('hex');
    // One row per distinct decodable file, in manifest order, hashed as the manifest hashes.
    expect(bundle.hashes).toEqual(manifest.items.filter((i) => decodable.includes(i.file)).map((i) => i.hash));
    expect(bundle.hashes).toEqual(expect.arrayContaining(decodable.map(hashOf)));
    expect(bundle.modelId).toBe(MODEL);
    expect(bundle.dim).toBe(256);
    expect(bundle.preprocessing).toBe(PREPROCESSING_VERSION);
    for (let row = 0; row < bundle.hashes.length; row++) {
      const v = bundle.vectors.subarray(row * 256, (row + 1) * 256);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    // Two pizzas are closer to each other than to the watch.
    const dot = (a: number, b: number) =>
      bundle.vectors.subarray(a * 256, a * 256 + 256).reduce((s, x, i) => s + x * bundle.vectors[b * 256 + i], 0);
    expect(dot(1, 2)).toBeGreaterThan(dot(1, 3));
    // Each row carries its top ImageNet classes from the same forward pass: the first pizza is tagged pizza.
    expect(bundle.tags).toHaveLength(bundle.hashes.length);
    const pizza = TAG_VOCABULARY.indexOf('pizza, pizza pie');
    expect(bundle.tags![bundle.hashes.indexOf(hashOf('pizza/image_0001.jpg'))].map((t) => t.cls)).toContain(pizza);

    expect(stderr).toMatch(/4 image\(s\) embedded on wasm/);
    expect(stderr).toMatch(/skipped broken\.jpg \(decode-failed\)/);
    expect(stderr).toMatch(/skipped empty\.jpg \(empty-file\)/);
    expect(stderr).toMatch(/skipped lossless\.webp \(unsupported-format\): WEBP files cannot be decoded by the CLI/);
    expect(stderr).toMatch(/\d+\/\d+ +[\d.]+ img\/s/);

    // A second run reuses every row of the bundle already there and writes the same vectors.
    const again = await runEmbed(folder, '--model', MODEL, '--assets', assetsDir);
    expect(again.stderr).toMatch(/0 image\(s\) embedded( on wasm[^,]*)?, 4 reused/);
    expect(decodeEmbeddingBundle(readFileSync(out))).toEqual(bundle);
  });

  it('writes where --out says, and fails clearly on an unknown model or a folder with nothing to embed', async () => {
    makeFolder();
    const out = join(root, 'tests', '.fixtures', 'cli-out', 'custom.vsle');
    rmSync(out, { force: true });
    await runEmbed(folder, '--model', MODEL, '--out', out, '--assets', assetsDir);
    expect(decodeEmbeddingBundle(readFileSync(out)).hashes).toHaveLength(4);
    await expect(runEmbed(folder, '--model', 'no_such_model', '--assets', assetsDir)).rejects.toThrow(
      /no model "no_such_model"/,
    );
    const empty = join(root, 'tests', '.fixtures', 'cli-empty');
    rmSync(empty, { recursive: true, force: true });
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'broken.jpg'), makeCorruptJpeg());
    await expect(runEmbed(empty, '--model', MODEL, '--assets', assetsDir)).rejects.toThrow(
      /no image in .* could be embedded; nothing written/,
    );
  });
});
