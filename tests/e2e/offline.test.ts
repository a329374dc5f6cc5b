import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import {
  E2E_CATALOGUE,
  E2E_CLASSES,
  E2E_INDEXED,
  PRECOMPUTED_CATALOGUE,
  PRECOMPUTED_MODEL,
} from '../fixtures/catalogues';
import { makePng } from '../fixtures/images';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const INDEXED = E2E_INDEXED;
const APP = `${baseUrl}?catalogue=${E2E_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt`;

/** A first visit: everything embedded, the index built and saved. */
async function firstVisit(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(APP);
  await waitForState(page, 'ready');
  await page.waitForSelector('[data-testid=index-saved]');
  return page;
}

async function queryFirstTile(page: Page): Promise<void> {
  await page.click('[data-testid=catalogue-item]');
  await waitForResults(page, 10);
}

describe('offline first', () => {
  test('a second load embeds nothing, reads the saved index and is ready sooner', async ({ context }) => {
    const page = await firstVisit(context);
    expect(await metric(page, 'embedded-count')).toBe(INDEXED);
    expect(await metric(page, 'cache-hits')).toBe(0);
    const coldMs = await metric(page, 'ready-ms');
    expect(coldMs).toBeGreaterThan(0);

    await page.reload();
    await waitForState(page, 'ready');
    expect(await metric(page, 'embedded-count')).toBe(0);
    expect(await metric(page, 'cache-hits')).toBe(INDEXED);
    expect(await metric(page, 'n')).toBe(INDEXED);
    expect(await page.textContent('[data-metric=build-ms] dt')).toBe('Index read back');
    const warmMs = await metric(page, 'ready-ms');
    expect(warmMs).toBeLessThan(coldMs);
    await queryFirstTile(page);
    const [self] = await shownResults(page, 'hnsw');
    expect(self.score).toBeGreaterThan(0.999);
  });

  test('after one visit, a reload with the network off reaches ready and answers catalogue and upload queries', async ({
    context,
  }) => {
    const page = await firstVisit(context);
    await page.click('[data-testid=tab-storage]');
    await page.waitForSelector('[data-testid=offline-ready]', { timeout: 120_000 });

    await context.setOffline(true);
    await page.reload();
    await waitForState(page, 'ready');
    expect(await metric(page, 'n')).toBe(INDEXED);
    await page.click('[data-testid=tab-search]');
    await queryFirstTile(page);
    await page.setInputFiles('input[type=file][data-testid=query-file]', {
      name: 'offline-upload.png',
      mimeType: 'image/png',
      buffer: makePng(64, 48, [40, 160, 90]),
    });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    await waitForResults(page, 10);
    expect(await page.$('[data-testid=query-error]')).toBeNull();
  });

  test('a corrupted saved index is detected, reported and rebuilt', async ({ context }) => {
    const page = await firstVisit(context);
    // Flip bytes in the middle of the stored file: same length, wrong content.
    const corrupted = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('/hnswlib-index');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const store = db.transaction('FILE_DATA', 'readwrite').objectStore('FILE_DATA');
      const keys = await new Promise<IDBValidKey[]>((resolve) => {
        const request = store.getAllKeys();
        request.onsuccess = () => resolve(request.result);
      });
      const key = keys.find((k) => String(k).endsWith('.hnsw'))!;
      const entry = await new Promise<{ contents: Int8Array }>((resolve) => {
        const request = store.get(key);
        request.onsuccess = () => resolve(request.result);
      });
      for (let i = 1000; i < 1100; i++) entry.contents[i] = ~entry.contents[i];
      await new Promise((resolve) => {
        const request = store.put(entry, key);
        request.onsuccess = resolve;
      });
      db.close();
      return String(key);
    });
    expect(corrupted).toMatch(/\.hnsw$/);

    await page.reload();
    await waitForState(page, 'ready');
    expect(await page.textContent('[data-testid=storage-notice]')).toContain('could not be used');
    expect(await page.textContent('[data-metric=build-ms] dt')).toBe('Index build');
    expect(await metric(page, 'n')).toBe(INDEXED);
    await page.waitForSelector('[data-testid=index-saved]');
    await queryFirstTile(page);
  });

  test('when browser storage is full, the app says so and works in memory', async ({ context }) => {
    await context.addInitScript(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    const page = await context.newPage();
    await page.goto(APP);
    await waitForState(page, 'ready');
    expect(await page.textContent('[data-testid=storage-notice]')).toContain('Browser storage is full');
    expect(await metric(page, 'n')).toBe(INDEXED);
    await queryFirstTile(page);
  });

  test('pgvector offline: after one visit with engines=…,pgvector, a reload with the network off answers in its column', async ({
    context,
  }) => {
    const pgvectorReady = (page: Page) =>
      page.waitForSelector('[data-testid=pgvector-status][data-state=ready]', { state: 'attached', timeout: 150_000 });
    const page = await context.newPage();
    await page.goto(`${APP}&engines=exact,hnsw,pgvector`);
    await waitForState(page, 'ready');
    await pgvectorReady(page);
    await page.click('[data-testid=tab-storage]');
    await page.waitForSelector('[data-testid=offline-ready]', { timeout: 120_000 });

    await context.setOffline(true);
    await page.reload();
    await waitForState(page, 'ready');
    await pgvectorReady(page);
    expect(await page.getAttribute('[data-testid=pgvector-status]', 'data-restored')).toBe('true');
    await page.click('[data-testid=tab-search]');
    await queryFirstTile(page);
    await page.waitForSelector('[data-testid=result][data-engine=pgvector][data-rank="10"]', { timeout: 60_000 });
  });

  test('the storage panel shows what is kept and clears it', async ({ context }) => {
    const page = await firstVisit(context);
    // A person's click on a result goes to the click log, another feature's own database.
    await queryFirstTile(page);
    await page.click('[data-testid=result][data-engine=exact][data-rank="2"] img');
    await page.click('[data-testid=tab-storage]');
    await page.waitForSelector(`[data-testid=storage-embeddings][data-value="${INDEXED}"]`);
    await page.waitForSelector('[data-testid=storage-indexes][data-value="1"]');
    // The images embedded here kept their tags in the tags feature's database; plus the click.
    await expect.poll(() => featureRecords(page)).toBeGreaterThanOrEqual(INDEXED + 1);
    await page.click('[data-testid=storage-clear]');
    await page.waitForSelector('[data-testid=storage-embeddings][data-value="0"]');
    await page.waitForSelector('[data-testid=storage-indexes][data-value="0"]');
    expect(await featureRecords(page)).toBe(0);

    await page.reload();
    await waitForState(page, 'ready');
    expect(await metric(page, 'cache-hits')).toBe(0);
    expect(await metric(page, 'embedded-count')).toBe(INDEXED);
  });

  test('a catalogue with a bundle from `npm run embed` is ready without embedding anything', async ({ context }) => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}?catalogue=${PRECOMPUTED_CATALOGUE}&model=${PRECOMPUTED_MODEL}`);
    await waitForState(page, 'ready');
    expect(await metric(page, 'precomputed-hits')).toBe(E2E_CLASSES.length);
    expect(await metric(page, 'embedded-count')).toBe(0);
    expect(await metric(page, 'n')).toBe(E2E_CLASSES.length);
    expect(await page.$$eval('[data-testid=storage-notice]', (els) => els.map((el) => el.textContent))).toEqual([]);
    await page.click('[data-testid=catalogue-item]');
    await waitForResults(page, E2E_CLASSES.length);
    const [self] = await shownResults(page, 'exact');
    expect(self.score).toBeGreaterThan(0.999);
  });

  test('the Storage tab exports the indexed embeddings as .npy (read by numpy) and the metadata as JSONL', async ({
    context,
  }) => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}?catalogue=${PRECOMPUTED_CATALOGUE}&model=${PRECOMPUTED_MODEL}&view=storage`);
    await waitForState(page, 'ready');
    const dir = mkdtempSync(join(tmpdir(), 'vsl-export-'));
    try {
      const save = async (testid: string): Promise<string> => {
        const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
        const path = join(dir, file.suggestedFilename());
        await file.saveAs(path);
        return path;
      };
      const npy = await save('export-npy');
      const jsonl = await save('export-jsonl');
      const python = process.env.DEBIAN_PYTHON ?? '/usr/bin/python3';
      const shown = execFileSync(python, [
        '-c',
        `import numpy as np; a = np.load(${JSON.stringify(npy)}); print(a.shape, a.dtype, round(float(np.linalg.norm(a, axis=1).min()), 4))`,
      ])
        .toString()
        .trim();
      expect(shown).toBe(`(${E2E_CLASSES.length}, 256) float32 1.0`);
      const rows = readFileSync(jsonl, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { label: string });
      expect(rows.map((row) => row.label).sort()).toEqual([...E2E_CLASSES].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Records in every feature's own IndexedDB database (`visual-search-lab-<feature>`), all stores. */
function featureRecords(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases())
      .map((d) => d.name ?? '')
      .filter((n) => n.startsWith('visual-search-lab-'));
    let records = 0;
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of db.objectStoreNames) {
        records += await new Promise<number>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      db.close();
    }
    return records;
  });
}
