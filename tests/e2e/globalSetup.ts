import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { listImages } from '../../datasets/manifest';
import { DEFAULT_CATALOGUE, setupCatalogue, setupModels } from '../../datasets/setup';
import { makeCorruptJpeg } from '../fixtures/images';
import { serveBuiltApp } from './server';

export const E2E_CATALOGUE = 'e2e-subset';
/** Edge cases: a single image, an empty folder, and file names that look like HTML. */
export const ONE_IMAGE_CATALOGUE = 'e2e-one';
export const EMPTY_CATALOGUE = 'e2e-empty';
export const NAMES_CATALOGUE = 'e2e-names';
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>.jpg';
/** Two byte-identical files and a third: two embeddings, three images listed. */
export const DUPES_CATALOGUE = 'e2e-dupes';
/** One photo per class, with a bundle made by `npm run embed`: the app embeds none of them. */
export const PRECOMPUTED_CATALOGUE = 'e2e-precomputed';
export const PRECOMPUTED_MODEL = 'mobilenet_v1_025_224_rebuilt';
export const E2E_CLASSES = ['Leopards', 'Motorbikes', 'airplanes', 'pizza', 'sunflower', 'watch'];
export const PER_CLASS = 8;
/** A near-identical rescaled pair listed in the catalogue's SOURCE.md, for near-duplicate removal. */
export const NEAR_DUPLICATE_PAIR = ['llama/image_0001.jpg', 'llama/image_0010.jpg'];
/** Images of the subset that are indexed (all but the corrupt one), and its labels. */
export const E2E_INDEXED = E2E_CLASSES.length * PER_CLASS + NEAR_DUPLICATE_PAIR.length;
export const E2E_LABELS = [...E2E_CLASSES, 'llama'];

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    assetsDir: string;
  }
}

const root = resolve(import.meta.dirname, '../..');
// The e2e build gets its own public/ and dist/, so the tests leave the user's set-up alone.
const fixtures = join(root, 'tests', '.fixtures');
const publicDir = join(fixtures, 'public');
const outDir = join(fixtures, 'dist');

/** 6 classes × 8 images of the default catalogue, a near-duplicate pair, and one corrupt file. */
async function makeSubset(assetsDir: string): Promise<string> {
  const source = join(assetsDir, 'datasets', DEFAULT_CATALOGUE);
  const target = join(fixtures, E2E_CATALOGUE);
  rmSync(target, { recursive: true, force: true });
  const all = await listImages(source);
  for (const label of E2E_CLASSES) {
    for (const file of all.filter((f) => f.startsWith(`${label}/`)).slice(0, PER_CLASS)) {
      mkdirSync(join(target, label), { recursive: true });
      copyFileSync(join(source, file), join(target, file));
    }
  }
  for (const file of NEAR_DUPLICATE_PAIR) {
    mkdirSync(join(target, dirname(file)), { recursive: true });
    copyFileSync(join(source, file), join(target, file));
  }
  writeFileSync(join(target, 'Leopards', 'image_9999_corrupt.jpg'), makeCorruptJpeg());
  return target;
}

/** Small catalogues for the edge cases, made from files of the default catalogue. */
async function makeEdgeCatalogues(assetsDir: string): Promise<void> {
  const source = join(assetsDir, 'datasets', DEFAULT_CATALOGUE);
  const leopard = join(source, 'Leopards', 'image_0001.jpg');
  const one = join(fixtures, ONE_IMAGE_CATALOGUE);
  const empty = join(fixtures, EMPTY_CATALOGUE);
  const names = join(fixtures, NAMES_CATALOGUE);
  const dupes = join(fixtures, DUPES_CATALOGUE);
  for (const dir of [one, empty, join(names, 'naïve café'), dupes]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  copyFileSync(leopard, join(one, 'only.jpg'));
  copyFileSync(leopard, join(names, 'naïve café', HOSTILE_NAME));
  copyFileSync(join(source, 'pizza', 'image_0001.jpg'), join(names, 'naïve café', 'with space.jpg'));
  copyFileSync(leopard, join(dupes, 'a.jpg'));
  copyFileSync(leopard, join(dupes, 'b copy of a.jpg'));
  copyFileSync(join(source, 'pizza', 'image_0001.jpg'), join(dupes, 'c.jpg'));
  for (const [dir, id] of [
    [one, ONE_IMAGE_CATALOGUE],
    [empty, EMPTY_CATALOGUE],
    [names, NAMES_CATALOGUE],
    [dupes, DUPES_CATALOGUE],
  ]) {
    await setupCatalogue(dir, id, publicDir);
  }
}

/** Runs the precompute CLI the way a user does, on a folder of its own. */
async function makePrecomputedCatalogue(assetsDir: string): Promise<void> {
  const source = join(assetsDir, 'datasets', DEFAULT_CATALOGUE);
  const target = join(fixtures, PRECOMPUTED_CATALOGUE);
  rmSync(target, { recursive: true, force: true });
  for (const label of E2E_CLASSES) {
    mkdirSync(join(target, label), { recursive: true });
    copyFileSync(join(source, label, 'image_0002.jpg'), join(target, label, 'image_0002.jpg'));
  }
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'datasets', 'embed.ts'), target, '--model', PRECOMPUTED_MODEL, '--assets', assetsDir], {
    cwd: root,
    stdio: 'ignore',
  });
  await setupCatalogue(target, PRECOMPUTED_CATALOGUE, publicDir);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const assetsDir = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
  rmSync(publicDir, { recursive: true, force: true });
  await setupModels(assetsDir, publicDir);
  await setupCatalogue(await makeSubset(assetsDir), E2E_CATALOGUE, publicDir);
  await makeEdgeCatalogues(assetsDir);
  await makePrecomputedCatalogue(assetsDir);
  const server = await serveBuiltApp(publicDir, outDir);
  project.provide('baseUrl', server.url);
  project.provide('assetsDir', assetsDir);
  return server.close;
}
