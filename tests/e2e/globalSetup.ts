import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { listImages } from '../../datasets/manifest';
import { DEFAULT_CATALOGUE, setupCatalogue, setupModels } from '../../datasets/setup';
import {
  blockMeans,
  cropTopLeft,
  decodeJpeg,
  encodeJpeg,
  encodePng,
  makeAnimatedGif,
  makeCmykJpeg,
  makeScriptedSvg,
  rotateAnticlockwise,
  toWebPalette,
  truncate,
  withExifOrientation,
} from '../fixtures/badImages';
import { makeCorruptJpeg, makePng } from '../fixtures/images';
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
/**
 * Awkward files, each beside a twin that must embed the same: an EXIF-rotated photo and its
 * upright original, a CMYK JPEG and its RGB PNG, an animated GIF and its first frame as PNG;
 * controls that must not match (the rotated pixels without the tag, the GIF's second frame);
 * a truncated JPEG and an SVG named .jpg (both skipped); an .svg file (never listed).
 */
export const BAD_FILES_CATALOGUE = 'e2e-bad-files';
/** 10,000 small generated images, all different: scrolling, and tensors across 500 embeddings. */
export const TEN_K_CATALOGUE = 'e2e-10k';
export const TEN_K = 10_000;
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
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(root, 'datasets', 'embed.ts'),
      target,
      '--model',
      PRECOMPUTED_MODEL,
      '--assets',
      assetsDir,
    ],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  await setupCatalogue(target, PRECOMPUTED_CATALOGUE, publicDir);
}

async function makeBadFilesCatalogue(assetsDir: string): Promise<void> {
  const source = join(assetsDir, 'datasets', DEFAULT_CATALOGUE);
  const photo = (file: string) => decodeJpeg(readFileSync(join(source, file)));
  const dir = join(fixtures, BAD_FILES_CATALOGUE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const leopard = photo('Leopards/image_0001.jpg');
  const rotated = encodeJpeg(rotateAnticlockwise(leopard));
  writeFileSync(join(dir, 'upright.jpg'), encodeJpeg(leopard));
  writeFileSync(join(dir, 'exif-rotated.jpg'), withExifOrientation(rotated, 6));
  writeFileSync(join(dir, 'rotated-no-exif.jpg'), rotated);
  const pizza = photo('pizza/image_0001.jpg');
  const blocky = blockMeans(cropTopLeft(pizza, pizza.width - (pizza.width % 8), pizza.height - (pizza.height % 8)));
  writeFileSync(join(dir, 'cmyk.jpg'), makeCmykJpeg(blocky));
  writeFileSync(join(dir, 'cmyk-twin.png'), encodePng(blocky));
  const sunflower = photo('sunflower/image_0001.jpg');
  const airplane = photo('airplanes/image_0001.jpg');
  const width = Math.min(sunflower.width, airplane.width);
  const height = Math.min(sunflower.height, airplane.height);
  const [first, second] = [sunflower, airplane].map((p) => toWebPalette(cropTopLeft(p, width, height)));
  writeFileSync(join(dir, 'animated.gif'), makeAnimatedGif([first, second]));
  writeFileSync(join(dir, 'first-frame.png'), encodePng(first));
  writeFileSync(join(dir, 'second-frame.png'), encodePng(second));
  writeFileSync(join(dir, 'truncated.jpg'), truncate(readFileSync(join(source, 'watch', 'image_0001.jpg')), 0.5));
  writeFileSync(join(dir, 'svg-named.jpg'), makeScriptedSvg());
  writeFileSync(join(dir, 'scripted.svg'), makeScriptedSvg());
  await setupCatalogue(dir, BAD_FILES_CATALOGUE, publicDir);
}

/** Distinct 24×24 PNGs: two colours per image, from its index. */
async function makeTenKCatalogue(): Promise<void> {
  const dir = join(fixtures, TEN_K_CATALOGUE);
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < TEN_K; i++) {
    const group = join(dir, `group-${String(Math.floor(i / 1000)).padStart(2, '0')}`);
    if (i % 1000 === 0) mkdirSync(group, { recursive: true });
    const colour: [number, number, number] = [i % 256, Math.floor(i / 256) * 6, (i * 37) % 256];
    writeFileSync(join(group, `image-${String(i).padStart(5, '0')}.png`), makePng(24, 24, colour));
  }
  await setupCatalogue(dir, TEN_K_CATALOGUE, publicDir);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const assetsDir = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
  rmSync(publicDir, { recursive: true, force: true });
  await setupModels(assetsDir, publicDir);
  await setupCatalogue(await makeSubset(assetsDir), E2E_CATALOGUE, publicDir);
  await makeEdgeCatalogues(assetsDir);
  await makePrecomputedCatalogue(assetsDir);
  await makeBadFilesCatalogue(assetsDir);
  await makeTenKCatalogue();
  const server = await serveBuiltApp(publicDir, outDir);
  project.provide('baseUrl', server.url);
  project.provide('assetsDir', assetsDir);
  return server.close;
}
