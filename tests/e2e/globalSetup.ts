import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeCatalogues } from '../fixtures/catalogues';
import { serveBuiltApp } from './server';

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

/** Makes the test catalogues, builds the app on them and serves it for the whole e2e run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const assetsDir = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
  await makeCatalogues(assetsDir, publicDir);
  const server = await serveBuiltApp(publicDir, outDir);
  project.provide('baseUrl', server.url);
  project.provide('assetsDir', assetsDir);
  return server.close;
}
