/**
 * The `augment` source in Node: the same seeded views the Training tab makes (src/lib/augmentViews.ts:
 * random resized crop, flip, colour jitter), decoded, preprocessed and embedded with the browser's
 * code, and kept in a cache file (an embedding bundle whose "hashes" are view keys) so a second run
 * with other training knobs embeds nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { augmentationKey, augmentPixels, randomAugmentation, VIEWS_PER_IMAGE } from '../src/lib/augmentViews';
import { modelInputSquare } from '../src/lib/crop';
import { decodeEmbeddingBundle, encodeEmbeddingBundle } from '../src/lib/embeddingBundle';
import { MODEL_INPUT_SIZE, modelInputFromRgba, PREPROCESSING_VERSION, type RgbaImage } from '../src/lib/preprocess';
import { seededRandom } from '../src/lib/syntheticVectors';
import type { CatalogueItem } from '../src/lib/types';
import { embedModelInputs } from '../src/features/embed/worker/infer';
import { decodeImage } from './decodeImage';
import type { LocalModel } from './models';
import { loadMobileNetFromDisk } from './nodeModel';

function viewInput(image: RgbaImage, view: ReturnType<typeof randomAugmentation>): Uint8Array {
  const { sx, sy, size } = modelInputSquare(view.crop, image);
  const data = new Uint8ClampedArray(size * size * 4);
  for (let row = 0; row < size; row++) {
    const from = ((sy + row) * image.width + sx) * 4;
    data.set(image.data.subarray(from, from + size * 4), row * size * 4);
  }
  return augmentPixels(modelInputFromRgba({ data, width: size, height: size }), MODEL_INPUT_SIZE, view);
}

export interface NodeViews {
  views: Float32Array;
  embedded: number;
  cached: number;
  seconds: number;
}

/** Two views of each of `items` (in order), as the browser's embedViews draws them for this seed. */
export async function embedViewsInNode(
  imagesDir: string,
  items: readonly CatalogueItem[],
  model: LocalModel,
  seed: number,
  cacheFile: string,
  onProgress: (done: number, total: number) => void,
): Promise<NodeViews> {
  const random = seededRandom(seed + 7);
  const planned = items.flatMap((item) =>
    Array.from({ length: VIEWS_PER_IMAGE }, () => {
      const view = randomAugmentation(item.width, item.height, random);
      return { item, view, key: `${item.hash}|${augmentationKey(view)}` };
    }),
  );
  const found = new Map<string, Float32Array>();
  let dim = 0;
  if (existsSync(cacheFile)) {
    const cache = decodeEmbeddingBundle(await readFile(cacheFile));
    if (cache.modelId === model.info.id && cache.preprocessing === PREPROCESSING_VERSION) {
      dim = cache.dim;
      cache.hashes.forEach((key, i) => found.set(key, cache.vectors.slice(i * dim, (i + 1) * dim)));
    }
  }
  const missing = planned.filter((p) => !found.has(p.key));
  const cached = planned.length - missing.length;
  const started = performance.now();
  if (missing.length > 0) {
    const mobilenet = await loadMobileNetFromDisk(model.dir, model.info);
    const batch = 8;
    for (let start = 0; start < missing.length; start += batch) {
      const slice = missing.slice(start, start + batch);
      const inputs = await Promise.all(
        slice.map(async (p) => viewInput(await decodeImage(await readFile(join(imagesDir, p.item.file))), p.view)),
      );
      const result = embedModelInputs(mobilenet, inputs);
      dim = result.dim;
      slice.forEach((p, i) => found.set(p.key, result.vectors.slice(i * dim, (i + 1) * dim)));
      onProgress(cached + start + slice.length, planned.length);
    }
    const hashes = [...found.keys()];
    const all = new Float32Array(hashes.length * dim);
    hashes.forEach((key, i) => all.set(found.get(key)!, i * dim));
    await mkdir(dirname(cacheFile), { recursive: true });
    await writeFile(
      cacheFile,
      encodeEmbeddingBundle({
        modelId: model.info.id,
        dim,
        preprocessing: PREPROCESSING_VERSION,
        hashes,
        vectors: all,
      }),
    );
  }
  const views = new Float32Array(planned.length * dim);
  planned.forEach((p, i) => views.set(found.get(p.key)!, i * dim));
  return { views, embedded: missing.length, cached, seconds: (performance.now() - started) / 1000 };
}
