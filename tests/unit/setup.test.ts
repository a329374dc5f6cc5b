import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlePath, ensureBundle, setupCatalogue, setupDetectors, setupModels } from '../../datasets/setup';
import { decodeEmbeddingBundle, encodeEmbeddingBundle } from '../../src/lib/embeddingBundle';
import { PREPROCESSING_VERSION } from '../../src/lib/preprocess';
import { parseShippedIndexMeta, shippedIndexFiles } from '../../src/lib/shippedIndex';
import { makeJpeg, makePng } from '../fixtures/images';

const source = (version: number, alpha: string) =>
  `mobilenet.load({\n  version: ${version}, alpha: ${alpha},\n  modelUrl: 'x/model.json',\n  inputRange: [0, 1],\n});`;

describe('setup', () => {
  let assets: string;
  let out: string;
  beforeEach(() => {
    assets = mkdtempSync(join(tmpdir(), 'vsl-assets-'));
    out = mkdtempSync(join(tmpdir(), 'vsl-public-'));
  });
  afterEach(() => {
    rmSync(assets, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  function addModel(id: string, weightBytes: number, sourceMd: string | null): void {
    const dir = join(assets, 'models', id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), '{}');
    writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.alloc(weightBytes));
    if (sourceMd !== null) writeFileSync(join(dir, 'SOURCE.md'), sourceMd);
  }

  it('copies every model with its load() options and picks the biggest as default', async () => {
    addModel('small', 10, source(1, '0.25'));
    addModel('big', 30, source(2, '1.0'));
    addModel('undocumented', 50, null);
    addModel('no-input-range', 60, 'mobilenet.load({ version: 2, alpha: 1.0 })');
    const index = await setupModels(assets, out);
    expect(index.default).toBe('big');
    expect(index.models.map((m) => [m.id, m.version, m.alpha, m.inputRange, m.weightBytes])).toEqual([
      ['big', 2, 1, [0, 1], 30],
      ['small', 1, 0.25, [0, 1], 10],
    ]);
    expect(existsSync(join(out, 'models', 'big', 'group1-shard1of1.bin'))).toBe(true);
    expect(existsSync(join(out, 'models', 'big', 'SOURCE.md'))).toBe(false);
    expect(existsSync(join(out, 'models', 'undocumented'))).toBe(false);
    expect(existsSync(join(out, 'models', 'no-input-range'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'models', 'index.json'), 'utf8'))).toEqual(index);
  });

  it('writes an empty model list when the assets folder has none', async () => {
    expect(await setupModels(join(assets, 'nowhere'), out)).toEqual({ default: '', models: [] });
  });

  it('copies each object detector (one graph model .json and its weights) and lists it; none is not an error', async () => {
    expect(await setupDetectors(assets, out)).toEqual({ detectors: [] });
    const dir = join(assets, 'detectors', 'centernet');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'centernet.json'), '{}');
    writeFileSync(join(dir, 'centernet.bin'), Buffer.alloc(8));
    writeFileSync(join(dir, 'SOURCE.md'), 'where it comes from');
    const twoGraphs = join(assets, 'detectors', 'ambiguous');
    mkdirSync(twoGraphs, { recursive: true });
    writeFileSync(join(twoGraphs, 'a.json'), '{}');
    writeFileSync(join(twoGraphs, 'b.json'), '{}');
    const index = await setupDetectors(assets, out);
    expect(index).toEqual({ detectors: [{ id: 'centernet', modelFile: 'centernet.json' }] });
    expect(existsSync(join(out, 'detectors', 'centernet', 'centernet.bin'))).toBe(true);
    expect(existsSync(join(out, 'detectors', 'centernet', 'SOURCE.md'))).toBe(false);
    expect(existsSync(join(out, 'detectors', 'ambiguous'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'detectors', 'index.json'), 'utf8'))).toEqual(index);
  });

  it('copies a folder of images as a catalogue and lists it once, however often it is set up', async () => {
    const images = join(assets, 'photos');
    mkdirSync(join(images, 'cats'), { recursive: true });
    writeFileSync(join(images, 'cats', 'one.jpg'), makeJpeg(12, 9));
    writeFileSync(join(images, 'two.jpg'), makeJpeg(9, 12));
    await setupCatalogue(images, 'mine', out);
    const summary = await setupCatalogue(images, 'mine', out);
    expect(summary).toEqual({ id: 'mine', name: 'mine', count: 2 });
    expect(JSON.parse(readFileSync(join(out, 'catalogues', 'index.json'), 'utf8'))).toEqual([summary]);
    const manifest = JSON.parse(readFileSync(join(out, 'catalogues', 'mine', 'manifest.json'), 'utf8'));
    expect(manifest.items.map((i: { file: string; label: string }) => `${i.label}:${i.file}`)).toEqual([
      'cats:cats/one.jpg',
      ':two.jpg',
    ]);
    expect(existsSync(join(out, 'catalogues', 'mine', 'images', 'cats', 'one.jpg'))).toBe(true);
  });

  it('sets up an empty folder as an empty catalogue (the app then says it has no images)', async () => {
    const images = join(assets, 'nothing-here');
    mkdirSync(images);
    expect(await setupCatalogue(images, 'empty', out)).toEqual({ id: 'empty', name: 'empty', count: 0 });
    expect(JSON.parse(readFileSync(join(out, 'catalogues', 'empty', 'manifest.json'), 'utf8')).items).toEqual([]);
  });

  it('copies an embedding bundle found in the images folder to embeddings/<model>.vsle, and lists no .vsle as an image', async () => {
    const images = join(assets, 'photos');
    mkdirSync(images, { recursive: true });
    writeFileSync(join(images, 'one.jpg'), makeJpeg(12, 9));
    writeFileSync(join(images, 'visual-search.some_model.vsle'), 'bundle bytes');
    writeFileSync(join(images, 'visual-search.some_model.hnsw'), 'index bytes');
    writeFileSync(join(images, 'visual-search.some_model.hnsw.json'), '{}');
    const summary = await setupCatalogue(images, 'mine', out);
    expect(summary.count).toBe(1);
    expect(readFileSync(join(out, 'catalogues', 'mine', 'embeddings', 'some_model.vsle'), 'utf8')).toBe('bundle bytes');
    // The index `npm run embed` ships beside the bundle goes with it.
    expect(readFileSync(join(out, 'catalogues', 'mine', 'embeddings', 'some_model.hnsw'), 'utf8')).toBe('index bytes');
    expect(readFileSync(join(out, 'catalogues', 'mine', 'embeddings', 'some_model.hnsw.json'), 'utf8')).toBe('{}');
    expect(bundlePath('mine', 'some_model', out)).toBe(
      join(out, 'catalogues', 'mine', 'embeddings', 'some_model.vsle'),
    );
  });

  it("precomputes a catalogue's bundle with the real model, keeps it while it is complete, and tops it up when a file is added", async () => {
    const realAssets = resolve(process.env.VSL_ASSETS ?? join(import.meta.dirname, '..', '..', '..', 'shared'));
    const model = 'mobilenet_v1_025_224_rebuilt';
    const images = join(assets, 'photos');
    mkdirSync(images, { recursive: true });
    writeFileSync(join(images, 'red.png'), makePng(30, 20, [220, 20, 20]));
    writeFileSync(join(images, 'blue.jpg'), makeJpeg(20, 30, [20, 20, 220]));
    await setupCatalogue(images, 'mine', out);
    expect(await ensureBundle(realAssets, images, 'mine', model, out)).toBe('computed');
    const first = decodeEmbeddingBundle(readFileSync(bundlePath('mine', model, out)));
    expect([first.hashes.length, first.dim, first.preprocessing]).toEqual([2, 256, PREPROCESSING_VERSION]);
    const shipped = () => {
      const files = shippedIndexFiles(bundlePath('mine', model, out));
      const meta = parseShippedIndexMeta(JSON.parse(readFileSync(files.meta, 'utf8')));
      return { meta, bytes: readFileSync(files.index), files };
    };
    // The HNSW index is shipped beside the bundle, with the app's default knobs.
    expect(shipped().meta).toMatchObject({ count: 2, dim: 256, M: 16, efConstruction: 200, modelId: model });
    expect(shipped().bytes.byteLength).toBe(shipped().meta.bytes);
    expect(await ensureBundle(realAssets, images, 'mine', model, out)).toBe('up-to-date');
    // A setup from before indexes were shipped gets one, without embedding again.
    rmSync(shipped().files.index);
    expect(await ensureBundle(realAssets, images, 'mine', model, out)).toBe('up-to-date');
    expect(shipped().bytes.byteLength).toBe(shipped().meta.bytes);
    // A bundle from before tags existed is made again, once, so tag search has them.
    const { tags: _, ...tagless } = first;
    writeFileSync(bundlePath('mine', model, out), encodeEmbeddingBundle(tagless));
    expect(await ensureBundle(realAssets, images, 'mine', model, out)).toBe('computed');
    expect(decodeEmbeddingBundle(readFileSync(bundlePath('mine', model, out))).tags).toHaveLength(2);

    writeFileSync(join(images, 'green.png'), makePng(25, 25, [20, 220, 20]));
    await setupCatalogue(images, 'mine', out);
    expect(await ensureBundle(realAssets, images, 'mine', model, out)).toBe('computed');
    const second = decodeEmbeddingBundle(readFileSync(bundlePath('mine', model, out)));
    expect(second.hashes).toHaveLength(3);
    expect(shipped().meta.count).toBe(3);
    for (const hash of first.hashes) {
      const [a, b] = [first, second].map((bundle) =>
        bundle.vectors.subarray(bundle.hashes.indexOf(hash) * 256, (bundle.hashes.indexOf(hash) + 1) * 256),
      );
      expect(b).toEqual(a);
    }
  }, 120_000);
});
