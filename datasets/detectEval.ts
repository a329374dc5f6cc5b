/**
 * Detection evaluation on a set-up catalogue, in Node with the browser's detector, model and
 * preprocessing (tfjs WASM backend):
 *   - per class, the share of images in which the detector finds a box at or above the threshold;
 *   - per class, label precision@10 (leave-one-out, cosine, exact) when the query is the whole
 *     image against when it is the best box, on the images that have a box;
 *   - object-level entries (the app's `objects=1`): every box at or above the threshold embedded as
 *     a crop and added beside the images, how N grows, and P@10 when the candidates are the images
 *     and the other images' boxes, collapsed to one row per image (its best-scoring vector);
 *   - the detector's milliseconds per image.
 *
 *   npm run detect:eval [-- --catalogue ID] [--model ID] [--threshold 0.3] [--assets DIR] [--per-class N]
 *
 * --per-class  query with the first N images of each class (default 0 = all); every image is searched,
 *              and with object entries only the query images' boxes join the candidates
 *
 * Needs `npm run setup` (the catalogue's images and embedding bundle in public/). Writes
 * src/features/detect/shared/detectionEvaluation.json, which the Detection tab shows, and prints a table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOGUE } from '../src/lib/catalogue';
import { modelInputSquare } from '../src/lib/crop';
import { DEFAULT_DETECT_THRESHOLD, DETECTOR_INPUT_SIZE, bestDetection, decodeDetections } from '../src/lib/detection';
import { precisionAtK } from '../src/lib/rankingMetrics';
import { modelInputFromRgba, type RgbaImage } from '../src/lib/preprocess';
import type { CatalogueManifest } from '../src/lib/types';
import { detectRaw } from '../src/features/detect/worker/detector';
import type { DetectionEvaluation } from '../src/features/detect/shared/evaluation';
import { embedModelInputs } from '../src/features/embed/worker/infer';
import { decodeImage } from './decodeImage';
import { pickModel, readBundle } from './embed';
import { detectorInput, loadDetectorFromDisk } from './nodeDetector';
import { loadMobileNetFromDisk, startWasmBackend } from './nodeModel';
import { bundlePath, PUBLIC_DIR } from './setup';

const K = 10;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(projectRoot, 'src/features/detect/shared/detectionEvaluation.json');

/** The centre square of a region cut out of the image: the same pixels the browser's worker embeds. */
function regionInput(image: RgbaImage, region: { x: number; y: number; w: number; h: number }): Uint8Array {
  const { sx, sy, size } = modelInputSquare(region, image);
  const data = new Uint8ClampedArray(size * size * 4);
  for (let row = 0; row < size; row++) {
    const from = ((sy + row) * image.width + sx) * 4;
    data.set(image.data.subarray(from, from + size * 4), row * size * 4);
  }
  return modelInputFromRgba({ data, width: size, height: size });
}

function dot(a: Float32Array, b: Float32Array, offset: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < dim; i++) sum += a[i] * b[offset + i];
  return sum;
}

/** Candidate vectors beside the catalogue's own rows: object entries, each standing for its parent image. */
interface ObjectEntries {
  vectors: Float32Array;
  parents: number[];
}

/**
 * Label precision@K of a query vector against every other catalogue image (exact, cosine). With
 * object entries, an image scores its best vector (whole image or one of its boxes), as the app
 * collapses hits to one row per image; the query image's own boxes are left out, as the image is.
 */
function precisionOf(
  query: Float32Array,
  selfRow: number,
  rows: Float32Array,
  dim: number,
  labels: readonly string[],
  objects: ObjectEntries | null = null,
): number {
  const best = new Float64Array(labels.length).fill(-Infinity);
  for (let r = 0; r < labels.length; r++) if (r !== selfRow) best[r] = dot(query, rows, r * dim, dim);
  objects?.parents.forEach((parent, e) => {
    if (parent !== selfRow) best[parent] = Math.max(best[parent], dot(query, objects.vectors, e * dim, dim));
  });
  const ranked = [...best.keys()].filter((r) => r !== selfRow).sort((a, b) => best[b] - best[a]);
  return precisionAtK(
    ranked.slice(0, K).map((r) => labels[r] === labels[selfRow]),
    K,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      catalogue: { type: 'string', default: DEFAULT_CATALOGUE },
      model: { type: 'string' },
      threshold: { type: 'string', default: String(DEFAULT_DETECT_THRESHOLD) },
      assets: { type: 'string' },
      'per-class': { type: 'string', default: '0' },
    },
  });
  const assetsDir = resolve(values.assets ?? process.env.VSL_ASSETS ?? join(projectRoot, '..', 'shared'));
  const threshold = Number(values.threshold);
  const catalogueDir = join(PUBLIC_DIR, 'catalogues', values.catalogue);
  const manifest = JSON.parse(await readFile(join(catalogueDir, 'manifest.json'), 'utf8')) as CatalogueManifest;
  const model = await pickModel(assetsDir, values.model);
  const bundle = await readBundle(bundlePath(values.catalogue, model.info.id));
  if (!bundle) throw new Error(`no embedding bundle for ${model.info.id}: run npm run setup first`);
  const rowOfHash = new Map(bundle.hashes.map((hash, i) => [hash, i]));
  // One row per catalogue item (duplicates share their hash's vector).
  const items = manifest.items.filter((item) => rowOfHash.has(item.hash));
  const perClass = Number(values['per-class']) || Infinity;
  const taken = new Map<string, number>();
  const queries = items.flatMap((item, row) => {
    const n = taken.get(item.label) ?? 0;
    taken.set(item.label, n + 1);
    return n < perClass ? [{ item, row }] : [];
  });
  const dim = bundle.dim;
  const rows = new Float32Array(items.length * dim);
  items.forEach((item, i) =>
    rows.set(bundle.vectors.subarray(rowOfHash.get(item.hash)! * dim, (rowOfHash.get(item.hash)! + 1) * dim), i * dim),
  );
  const labels = items.map((item) => item.label);

  const backend = await startWasmBackend();
  const detector = await loadDetectorFromDisk(join(assetsDir, 'detectors', 'centernet_mb3_coco'));
  const mobilenet = await loadMobileNetFromDisk(model.dir, model.info);
  detectRaw(detector, new Uint8Array(DETECTOR_INPUT_SIZE * DETECTOR_INPUT_SIZE * 4)); // warm-up, untimed

  interface Row {
    row: number;
    label: string;
    /** The vectors of its boxes at or above the threshold, best first (the first is the best box). */
    boxVectors: Float32Array[];
    boxLabel: string | null;
  }
  const perImage: Row[] = [];
  let detectMs = 0;
  for (const [done, { item, row: i }] of queries.entries()) {
    const image = await decodeImage(await readFile(join(catalogueDir, 'images', item.file)));
    const input = detectorInput(image);
    const started = performance.now();
    const raw = detectRaw(detector, input);
    detectMs += performance.now() - started;
    const boxes = decodeDetections(raw, image, threshold);
    const best = bestDetection(boxes);
    const ordered = best ? [best, ...boxes.filter((b) => b !== best)] : [];
    const boxVectors = ordered.map(
      (detection) => embedModelInputs(mobilenet, [regionInput(image, detection.box)]).vectors,
    );
    perImage.push({ row: i, label: item.label, boxVectors, boxLabel: best?.label ?? null });
    if ((done + 1) % 50 === 0) console.error(`detect:eval ${done + 1}/${queries.length}`);
  }

  // Object-level entries: every box of every query image, linked to its image's row.
  const objects: ObjectEntries = {
    vectors: new Float32Array(perImage.reduce((n, r) => n + r.boxVectors.length, 0) * dim),
    parents: [],
  };
  for (const r of perImage)
    for (const vector of r.boxVectors) {
      objects.vectors.set(vector, objects.parents.length * dim);
      objects.parents.push(r.row);
    }
  const scored = perImage.map((r) => {
    const whole = rows.subarray(r.row * dim, (r.row + 1) * dim);
    const bestBox = r.boxVectors[0];
    return {
      ...r,
      found: bestBox !== undefined,
      whole: precisionOf(whole, r.row, rows, dim, labels),
      wholeWithObjects: precisionOf(whole, r.row, rows, dim, labels, objects),
      best: bestBox ? precisionOf(bestBox, r.row, rows, dim, labels) : null,
      bestWithObjects: bestBox ? precisionOf(bestBox, r.row, rows, dim, labels, objects) : null,
    };
  });

  const classes = [...new Set(queries.map((q) => q.item.label))].sort();
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const result: DetectionEvaluation = {
    catalogue: values.catalogue,
    model: model.info.id,
    detector: 'centernet_mb3_coco',
    threshold,
    k: K,
    images: queries.length,
    searched: items.length,
    backend: `${backend.backend}${backend.simd ? ' + SIMD' : ''}${backend.threads ? ' + threads' : ''} (Node)`,
    detectMsPerImage: detectMs / queries.length,
    measuredOn: new Date().toISOString().slice(0, 10),
    objectEntries: objects.parents.length,
    perClass: classes.map((label) => {
      const mine = scored.filter((r) => r.label === label);
      const boxed = mine.filter((r) => r.best !== null);
      const counts = new Map<string, number>();
      for (const r of boxed) counts.set(r.boxLabel!, (counts.get(r.boxLabel!) ?? 0) + 1);
      const commonBox = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      return {
        label,
        images: mine.length,
        withBox: boxed.length,
        commonBoxClass: commonBox,
        boxes: mine.reduce((n, r) => n + r.boxVectors.length, 0),
        wholeP10: mean(boxed.map((r) => r.whole)),
        bestBoxP10: mean(boxed.map((r) => r.best!)),
        wholeP10All: mean(mine.map((r) => r.whole))!,
        wholeP10AllWithObjects: mean(mine.map((r) => r.wholeWithObjects))!,
        bestBoxP10WithObjects: mean(boxed.map((r) => r.bestWithObjects!)),
      };
    }),
  };
  await writeFile(OUT, JSON.stringify(result, null, 2) + '\n');
  console.log(
    `| class | images | with a box | boxes | usual box class | P@10 whole | P@10 best box | best box, objects on | all images: whole | whole, objects on |`,
  );
  console.log(`| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |`);
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  for (const c of result.perClass)
    console.log(
      `| ${c.label} | ${c.images} | ${c.withBox} (${((100 * c.withBox) / c.images).toFixed(0)} %) | ${c.boxes} | ${c.commonBoxClass ?? '–'} | ` +
        `${f(c.wholeP10)} | ${f(c.bestBoxP10)} | ${f(c.bestBoxP10WithObjects)} | ${f(c.wholeP10All)} | ${f(c.wholeP10AllWithObjects)} |`,
    );
  console.log(
    `detector: ${result.detectMsPerImage.toFixed(1)} ms/image on ${result.backend}; ${queries.length} queries ` +
      `against ${items.length} images; ${result.objectEntries} object entries (N ${items.length} → ` +
      `${items.length + result.objectEntries}, +${((result.objectEntries * dim * 4) / 2 ** 20).toFixed(1)} MiB of float32) → ${OUT}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
