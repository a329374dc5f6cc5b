/**
 * Precompute CLI: embeds a folder of images in Node with the browser's preprocessing and
 * model, and writes an embedding bundle (.vsle, src/lib/embeddingBundle.ts).
 *
 *   npm run embed -- <images folder> [--model ID] [--out FILE] [--assets DIR]
 *
 * --model   a model under <assets>/models (default: the one with the most weights)
 * --out     default <images folder>/visual-search.<model>.vsle, which `npm run setup` picks up
 * --assets  folder with models/<id>/ (env VSL_ASSETS; default ../shared beside the project)
 *
 * Rows of an existing bundle at --out are reused for unchanged files. The HNSW index of the bundle
 * (the app's default M and efConstruction) is built too and written beside it (datasets/shipIndex.ts),
 * so the app reads it instead of building.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeEmbeddingBundle, encodeEmbeddingBundle, type EmbeddingBundle } from '../src/lib/embeddingBundle';
import { errorMessage } from '../src/lib/errors';
import type { CatalogueManifest } from '../src/lib/types';
import { embedCatalogue, type EmbedCatalogueResult } from './embedCatalogue';
import { buildManifest } from './manifest';
import { defaultModelId, findModels, type LocalModel } from './models';
import { progressBar } from './progressBar';

export const bundleFileName = (modelId: string): string => `visual-search.${modelId}.vsle`;

/** The bundle at `file`, or null when there is none or it cannot be read. */
export async function readBundle(file: string): Promise<EmbeddingBundle | null> {
  if (!existsSync(file)) return null;
  try {
    return decodeEmbeddingBundle(await readFile(file));
  } catch (error) {
    console.warn(`ignoring ${file}: ${errorMessage(error)}`);
    return null;
  }
}

/** Embeds a catalogue (reusing rows of the bundle already at `outFile`), writes the bundle and reports. */
export async function precompute(
  imagesDir: string,
  manifest: CatalogueManifest,
  model: LocalModel,
  outFile: string,
): Promise<EmbedCatalogueResult> {
  const bar = progressBar(`embed ${model.info.id}`);
  const started = performance.now();
  let result: EmbedCatalogueResult;
  try {
    result = await embedCatalogue(imagesDir, manifest, {
      model,
      reuse: await readBundle(outFile),
      onProgress: bar.update,
    });
  } finally {
    bar.stop();
  }
  for (const skip of result.skipped) console.error(`  skipped ${skip.file} (${skip.reason}): ${skip.message}`);
  if (result.bundle.hashes.length === 0) throw new Error(`no image in ${imagesDir} could be embedded; nothing written`);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, encodeEmbeddingBundle(result.bundle));
  const shipped = await shipIndex(outFile, result.bundle, manifest);
  const seconds = (performance.now() - started) / 1000;
  const how = result.backend ? ` on ${result.backend.backend}${result.backend.simd ? ' + SIMD' : ''}` : '';
  console.error(
    `embed: ${result.embedded} image(s) embedded${how}, ${result.reused} reused, ${result.skipped.length} skipped ` +
      `in ${seconds.toFixed(1)} s → ${outFile} (${result.bundle.hashes.length} × ${result.bundle.dim}); ${shipped}`,
  );
  return result;
}

/** Builds the bundle's HNSW index beside it unless the one there is up to date; says which. */
export async function shipIndex(
  bundleFile: string,
  bundle: EmbeddingBundle,
  manifest: CatalogueManifest,
): Promise<string> {
  // Loaded only here: it sets up hnswlib-wasm (and an in-memory IndexedDB) for Node.
  const { ensureShippedIndex } = await import('./shipIndex');
  const shipped = await ensureShippedIndex(bundleFile, bundle, manifest);
  return shipped === 'up-to-date'
    ? 'its HNSW index is up to date'
    : `HNSW index (M=${shipped.M}, efConstruction=${shipped.efConstruction}) built in ${(shipped.buildMs / 1000).toFixed(1)} s`;
}

export async function pickModel(assetsDir: string, id: string | undefined): Promise<LocalModel> {
  const models = await findModels(join(assetsDir, 'models'));
  const wanted = id ?? defaultModelId(models.map((m) => m.info));
  const model = models.find((m) => m.info.id === wanted);
  if (!model) {
    const known = models.map((m) => m.info.id).join(', ') || 'none';
    throw new Error(`no model "${wanted}" in ${join(assetsDir, 'models')} (found: ${known})`);
  }
  return model;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { model: { type: 'string' }, out: { type: 'string' }, assets: { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw new Error('usage: npm run embed -- <images folder> [--model ID] [--out FILE] [--assets DIR]');
  const imagesDir = resolve(positionals[0]);
  if (!existsSync(imagesDir)) throw new Error(`no folder ${imagesDir}`);
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const assetsDir = resolve(values.assets ?? process.env.VSL_ASSETS ?? join(projectRoot, '..', 'shared'));
  const model = await pickModel(assetsDir, values.model);
  const manifest = await buildManifest(imagesDir, basename(imagesDir));
  await precompute(imagesDir, manifest, model, resolve(values.out ?? join(imagesDir, bundleFileName(model.info.id))));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`embed failed: ${errorMessage(error)}`);
    process.exit(1);
  });
}
