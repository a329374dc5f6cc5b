/**
 * Setup: copies the MobileNet models, the object detectors and image catalogues into the git-ignored
 * public/models/, public/detectors/ and public/catalogues/ folders the app serves, and writes their indexes.
 *
 *   npm run setup [-- --assets DIR] [--images DIR [--catalogue-id ID]] [--if-needed]
 *
 * --assets DIR   folder with models/<id>/, detectors/<id>/ and datasets/caltech101-40/ (env VSL_ASSETS;
 *                default: ../shared beside the project)
 * --images DIR   also make a catalogue of any folder of JPEG/PNG/WebP/GIF images (env VSL_IMAGES);
 *                an image's label is its parent folder's name
 * --catalogue-id the id of that catalogue (default: the folder's name)
 * --if-needed    do nothing when models, the default catalogue and its embeddings are already set up
 *
 * An embedding bundle `visual-search.<model>.vsle` in an images folder (from `npm run embed`)
 * is copied to public/catalogues/<id>/embeddings/<model>.vsle, with its shipped HNSW index
 * (`<model>.hnsw` and `<model>.hnsw.json`) when there is one. For the default catalogue, setup makes
 * the default model's bundle and index itself when there are none (in public/ only).
 */
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { errorMessage } from '../src/lib/errors';
import { PREPROCESSING_VERSION } from '../src/lib/preprocess';
import { DEFAULT_CATALOGUE } from '../src/lib/catalogue';
import { shippedIndexFiles } from '../src/lib/shippedIndex';
import type { CatalogueManifest, CatalogueSummary, DetectorIndex, ModelIndex } from '../src/lib/types';
import { buildManifest } from './manifest';
import { defaultModelId, findModels } from './models';

export { DEFAULT_CATALOGUE };

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the app serves assets from; tests pass another folder. */
export const PUBLIC_DIR = join(projectRoot, 'public');

async function copyIfChanged(from: string, to: string): Promise<void> {
  const source = await stat(from);
  const target = await stat(to).catch(() => null);
  if (target && target.size === source.size && target.mtimeMs >= source.mtimeMs) return;
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
}

/** Copies every models/<id>/ that has model.json and a SOURCE.md with load() options. */
export async function setupModels(assetsDir: string, publicDir = PUBLIC_DIR): Promise<ModelIndex> {
  const modelsOut = join(publicDir, 'models');
  const models = await findModels(join(assetsDir, 'models'));
  for (const { info, dir } of models) {
    for (const file of await readdir(dir)) {
      if (file !== 'SOURCE.md') await copyIfChanged(join(dir, file), join(modelsOut, info.id, file));
    }
  }
  const infos = models.map((m) => m.info);
  const index: ModelIndex = { default: defaultModelId(infos), models: infos };
  await mkdir(modelsOut, { recursive: true });
  await writeFile(join(modelsOut, 'index.json'), JSON.stringify(index, null, 2));
  return index;
}

/**
 * Copies every detectors/<id>/ holding one TF.js graph model (its .json and weight shards) into
 * public/detectors/ and lists them in its index.json. No detector is not an error: the app then
 * says why its detection controls are off.
 */
export async function setupDetectors(assetsDir: string, publicDir = PUBLIC_DIR): Promise<DetectorIndex> {
  const detectorsIn = join(assetsDir, 'detectors');
  const detectorsOut = join(publicDir, 'detectors');
  const index: DetectorIndex = { detectors: [] };
  for (const id of existsSync(detectorsIn) ? (await readdir(detectorsIn)).sort() : []) {
    const dir = join(detectorsIn, id);
    if (!(await stat(dir)).isDirectory()) continue;
    const files = await readdir(dir);
    const graphs = files.filter((file) => file.endsWith('.json'));
    if (graphs.length !== 1) {
      console.warn(`skipping detector ${id}: expected one graph model .json, found ${graphs.length}`);
      continue;
    }
    for (const file of files) {
      if (file !== 'SOURCE.md') await copyIfChanged(join(dir, file), join(detectorsOut, id, file));
    }
    index.detectors.push({ id, modelFile: graphs[0] });
  }
  await mkdir(detectorsOut, { recursive: true });
  await writeFile(join(detectorsOut, 'index.json'), JSON.stringify(index, null, 2));
  return index;
}

/** Copies a folder of images into public/catalogues/<id>/ with its manifest. */
export async function setupCatalogue(imagesDir: string, id: string, publicDir = PUBLIC_DIR): Promise<CatalogueSummary> {
  const manifest = await buildManifest(imagesDir, id);
  const out = join(publicDir, 'catalogues', id);
  await mkdir(out, { recursive: true });
  for (const item of manifest.items) {
    await copyIfChanged(join(imagesDir, item.file), join(out, 'images', item.file));
  }
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest));
  await copyBundles(imagesDir, out);
  const summary = { id, name: manifest.name, count: manifest.items.length };
  await recordCatalogue(summary, publicDir);
  return summary;
}

const BUNDLE_FILE = /^visual-search\.(.+)\.(vsle|hnsw|hnsw\.json)$/;

/** Where the app finds a catalogue's embeddings for one model. */
export function bundlePath(catalogueId: string, modelId: string, publicDir = PUBLIC_DIR): string {
  return join(publicDir, 'catalogues', catalogueId, 'embeddings', `${modelId}.vsle`);
}

/** Copies the precomputed bundles (`npm run embed`) and their shipped indexes found at the top of an images folder. */
async function copyBundles(imagesDir: string, catalogueOut: string): Promise<void> {
  for (const name of await readdir(imagesDir)) {
    const match = BUNDLE_FILE.exec(name);
    if (match) {
      const [, modelId, extension] = match;
      await copyIfChanged(join(imagesDir, name), join(catalogueOut, 'embeddings', `${modelId}.${extension}`));
    }
  }
}

/**
 * Makes sure a set-up catalogue has a model's bundle, so the app's first start skips
 * embedding. An existing bundle is kept when it covers every file with the current
 * preprocessing and has tags; otherwise it is (re)computed, reusing the rows still valid.
 */
export async function ensureBundle(
  assetsDir: string,
  imagesDir: string,
  catalogueId: string,
  modelId: string,
  publicDir = PUBLIC_DIR,
): Promise<'up-to-date' | 'computed'> {
  const target = bundlePath(catalogueId, modelId, publicDir);
  const manifest: CatalogueManifest = JSON.parse(
    await readFile(join(publicDir, 'catalogues', catalogueId, 'manifest.json'), 'utf8'),
  );
  // Loaded only here: TensorFlow.js takes a moment to import, and --if-needed must stay quick.
  const { pickModel, precompute, readBundle, shipIndex } = await import('./embed');
  const existing = await readBundle(target);
  const covered = new Set(existing?.hashes);
  // A bundle from before tags existed (no `tags`) is made again, once, so tag search has them.
  if (
    existing?.preprocessing === PREPROCESSING_VERSION &&
    existing.tags &&
    manifest.items.every((item) => covered.has(item.hash))
  ) {
    console.log(`setup: embeddings of ${catalogueId} for ${modelId} are up to date`);
    // A setup from before the index was shipped gets it now.
    console.log(`setup: ${await shipIndex(target, existing, manifest)}`);
    return 'up-to-date';
  }
  console.log(`setup: precomputing the embeddings of ${catalogueId} with ${modelId} (once; later runs reuse them)`);
  await precompute(imagesDir, manifest, await pickModel(assetsDir, modelId), target);
  return 'computed';
}

async function recordCatalogue(summary: CatalogueSummary, publicDir: string): Promise<void> {
  const indexFile = join(publicDir, 'catalogues', 'index.json');
  const existing: CatalogueSummary[] = existsSync(indexFile) ? JSON.parse(await readFile(indexFile, 'utf8')) : [];
  const others = existing.filter((entry) => entry.id !== summary.id);
  const all = summary.id === DEFAULT_CATALOGUE ? [summary, ...others] : [...others, summary];
  await writeFile(indexFile, JSON.stringify(all, null, 2));
}

function isSetUp(): boolean {
  const modelIndex = join(PUBLIC_DIR, 'models', 'index.json');
  if (!existsSync(modelIndex) || !existsSync(join(PUBLIC_DIR, 'catalogues', DEFAULT_CATALOGUE, 'manifest.json')))
    return false;
  const defaultModel = (JSON.parse(readFileSync(modelIndex, 'utf8')) as ModelIndex).default;
  if (!existsSync(join(PUBLIC_DIR, 'detectors', 'index.json'))) return false;
  return (
    !defaultModel ||
    (existsSync(bundlePath(DEFAULT_CATALOGUE, defaultModel)) &&
      existsSync(shippedIndexFiles(bundlePath(DEFAULT_CATALOGUE, defaultModel)).meta))
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      assets: { type: 'string' },
      images: { type: 'string' },
      'catalogue-id': { type: 'string' },
      'if-needed': { type: 'boolean', default: false },
    },
  });
  const assetsDir = resolve(values.assets ?? process.env.VSL_ASSETS ?? join(projectRoot, '..', 'shared'));
  const imagesDir = values.images ?? process.env.VSL_IMAGES;

  if (values['if-needed'] && !imagesDir && isSetUp()) {
    console.log('setup: already done (run `npm run setup` to refresh)');
    return;
  }

  const models = await setupModels(assetsDir);
  if (models.models.length === 0) {
    console.warn(
      `setup: no MobileNet found in ${join(assetsDir, 'models')} (each model needs a folder ` +
        'with model.json, weight shards and SOURCE.md). The app will say what is missing.',
    );
  } else {
    console.log(`setup: ${models.models.length} model(s); default ${models.default}`);
  }

  const detectors = await setupDetectors(assetsDir);
  console.log(
    detectors.detectors.length > 0
      ? `setup: detector(s) ${detectors.detectors.map((d) => d.id).join(', ')}`
      : `setup: no object detector in ${join(assetsDir, 'detectors')}; the app's detection stays off`,
  );

  const defaultImages = join(assetsDir, 'datasets', DEFAULT_CATALOGUE);
  if (existsSync(defaultImages)) {
    const summary = await setupCatalogue(defaultImages, DEFAULT_CATALOGUE);
    console.log(`setup: catalogue ${summary.id}, ${summary.count} images`);
    if (models.default) {
      // Without the bundle the app embeds in the browser, as before: a failure here is not fatal.
      await ensureBundle(assetsDir, defaultImages, DEFAULT_CATALOGUE, models.default).catch((error: unknown) =>
        console.warn(
          `setup: could not precompute the embeddings (${errorMessage(error)}); the app will embed in the browser`,
        ),
      );
    }
  } else {
    console.warn(`setup: default catalogue not found at ${defaultImages}`);
  }

  if (imagesDir) {
    const dir = resolve(imagesDir);
    const summary = await setupCatalogue(dir, values['catalogue-id'] ?? basename(dir));
    console.log(`setup: catalogue ${summary.id}, ${summary.count} images (open ?catalogue=${summary.id})`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`setup failed: ${errorMessage(error)}`);
    process.exit(1);
  });
}
