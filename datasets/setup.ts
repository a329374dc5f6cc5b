/**
 * Setup: copies the MobileNet models and image catalogues into the git-ignored
 * public/models/ and public/catalogues/ folders the app serves, and writes their indexes.
 *
 *   npm run setup [-- --assets DIR] [--images DIR [--catalogue-id ID]] [--if-needed]
 *
 * --assets DIR   folder with models/<id>/ and datasets/caltech101-40/ (env VSL_ASSETS;
 *                default: ../shared beside the project)
 * --images DIR   also make a catalogue of any folder of JPEG/PNG/WebP/GIF images (env VSL_IMAGES);
 *                an image's label is its parent folder's name
 * --catalogue-id the id of that catalogue (default: the folder's name)
 * --if-needed    do nothing when models and the default catalogue are already set up
 */
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { errorMessage } from '../src/lib/errors';
import type { CatalogueSummary, ModelIndex, ModelInfo } from '../src/lib/types';
import { buildManifest } from './manifest';
import { parseLoadOptions, type LoadOptions } from './modelSource';

export const DEFAULT_CATALOGUE = 'caltech101-40';

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
  const modelsDir = join(assetsDir, 'models');
  const names = existsSync(modelsDir) ? (await readdir(modelsDir)).sort() : [];
  const models: ModelInfo[] = [];
  for (const id of names) {
    const dir = join(modelsDir, id);
    if (!existsSync(join(dir, 'model.json'))) continue;
    if (!existsSync(join(dir, 'SOURCE.md'))) {
      console.warn(`skipping model ${id}: no SOURCE.md giving its load() options`);
      continue;
    }
    let options: LoadOptions;
    try {
      options = parseLoadOptions(await readFile(join(dir, 'SOURCE.md'), 'utf8'));
    } catch (error) {
      console.warn(`skipping model ${id}: ${errorMessage(error)}`);
      continue;
    }
    let weightBytes = 0;
    for (const file of await readdir(dir)) {
      if (file === 'SOURCE.md') continue;
      await copyIfChanged(join(dir, file), join(modelsOut, id, file));
      if (file.endsWith('.bin')) weightBytes += (await stat(join(dir, file))).size;
    }
    models.push({ id, ...options, weightBytes });
  }
  // Bigger MobileNet, better embeddings: the default is the one with the most weights.
  const best = [...models].sort((a, b) => b.weightBytes - a.weightBytes)[0];
  const index: ModelIndex = { default: best?.id ?? '', models };
  await mkdir(modelsOut, { recursive: true });
  await writeFile(join(modelsOut, 'index.json'), JSON.stringify(index, null, 2));
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
  const summary = { id, name: manifest.name, count: manifest.items.length };
  await recordCatalogue(summary, publicDir);
  return summary;
}

async function recordCatalogue(summary: CatalogueSummary, publicDir: string): Promise<void> {
  const indexFile = join(publicDir, 'catalogues', 'index.json');
  const existing: CatalogueSummary[] = existsSync(indexFile)
    ? JSON.parse(await readFile(indexFile, 'utf8'))
    : [];
  const others = existing.filter((entry) => entry.id !== summary.id);
  const all = summary.id === DEFAULT_CATALOGUE ? [summary, ...others] : [...others, summary];
  await writeFile(indexFile, JSON.stringify(all, null, 2));
}

function isSetUp(): boolean {
  return (
    existsSync(join(PUBLIC_DIR, 'models', 'index.json')) &&
    existsSync(join(PUBLIC_DIR, 'catalogues', DEFAULT_CATALOGUE, 'manifest.json'))
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

  const defaultImages = join(assetsDir, 'datasets', DEFAULT_CATALOGUE);
  if (existsSync(defaultImages)) {
    const summary = await setupCatalogue(defaultImages, DEFAULT_CATALOGUE);
    console.log(`setup: catalogue ${summary.id}, ${summary.count} images`);
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
