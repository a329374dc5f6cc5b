import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject } from 'vitest';
import { listImages } from '../../datasets/manifest';
import { ONE_IMAGE_CATALOGUE } from '../fixtures/catalogues';
import { makeCorruptJpeg, makePng } from '../fixtures/images';
import { test } from './fixture';
import { metric, searchWholeImage, shownResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');

/** Real photos in sub-folders (= labels), plus a corrupt JPEG, a generated PNG and a text file. */
const CLASSES = ['bonsai', 'dolphin', 'ketch', 'sunflower'];
const PER_CLASS = 10;

async function makeFolder(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'vsl-folder-'));
  const folder = join(root, 'my photos');
  const source = join(assetsDir, 'datasets', 'caltech101-40');
  const all = await listImages(source);
  for (const label of CLASSES) {
    mkdirSync(join(folder, label), { recursive: true });
    for (const file of all.filter((f) => f.startsWith(`${label}/`)).slice(-PER_CLASS))
      copyFileSync(join(source, file), join(folder, file));
  }
  writeFileSync(join(folder, 'sunflower', 'broken.jpg'), makeCorruptJpeg());
  writeFileSync(join(folder, 'notes.txt'), 'not an image');
  writeFileSync(join(folder, 'red square.png'), makePng(64, 64));
  return root;
}

async function liveState(page: Page): Promise<{ state: string; done: number; total: number }> {
  return page.$eval('[data-testid=live-indexing]', (el) => ({
    state: el.getAttribute('data-state')!,
    done: Number(el.getAttribute('data-done')),
    total: Number(el.getAttribute('data-total')),
  }));
}

/** Both columns show `count` results (k is clamped to what is indexed). */
async function waitForCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (want) =>
      document.querySelectorAll('[data-testid=result][data-engine=exact]').length === want &&
      document.querySelectorAll('[data-testid=result][data-engine=hnsw]').length === want,
    count,
  );
}

describe('your own folder as the catalogue, indexed live', () => {
  let root: string;
  const images = CLASSES.length * PER_CLASS + 2; // + the broken JPEG and the red square
  const good = images - 1;

  test.beforeAll(async ({ sharedPage: page }) => {
    root = await makeFolder();
    // One worker: the folder is embedded batch after batch.
    await page.goto(`${baseUrl}?catalogue=${ONE_IMAGE_CATALOGUE}&workers=1`);
    await waitForState(page, 'ready');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('a chosen folder is searchable while it is still embedding', async ({ sharedPage: page }) => {
    // Pause the pipeline the moment its first batch is searchable (in the page, so no race with the test).
    await page.evaluate(() => {
      const observer = new MutationObserver(() => {
        const live = document.querySelector('[data-testid=live-indexing]');
        if (live && Number(live.getAttribute('data-done')) >= 8 && live.getAttribute('data-state') === 'running') {
          document.querySelector<HTMLButtonElement>('[data-testid=indexing-pause]')?.click();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { subtree: true, attributes: true, childList: true });
    });
    await page.setInputFiles('[data-testid=folder-input]', join(root, 'my photos'));
    await page.waitForSelector('[data-testid=live-indexing][data-state=paused]');
    const tiles = await page.$$eval('[data-testid=catalogue-item]', (els) =>
      els.map((el) => el.getAttribute('data-label')),
    );
    expect(tiles).toHaveLength(images);
    expect(new Set(tiles)).toEqual(new Set([...CLASSES, '']));
    expect(await page.getAttribute('[data-testid=ignored-count]', 'data-count')).toBe('1');
    // The Setup panel names the folder as the catalogue now shown.
    expect(
      await page.$eval(
        '[data-testid=catalogue-select]',
        (el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent,
      ),
    ).toContain('my photos');

    // The batches embedded before the pause reach the index (the add is a message to the search worker).
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=n]')?.getAttribute('data-value')) >= 8,
    );
    const paused = await liveState(page);
    expect(paused.total).toBe(images);
    expect(paused.done).toBeLessThan(paused.total);
    const indexed = await metric(page, 'n');
    expect(indexed).toBeGreaterThanOrEqual(8);
    expect(indexed).toBeLessThan(good);

    // Embedding goes in path order: the first tile is indexed. It answers now, from what is indexed.
    const first = page.locator('[data-testid=catalogue-item]').first();
    const firstId = await first.getAttribute('data-id');
    await first.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${firstId}"]`);
    await waitForCount(page, Math.min(10, indexed));
    expect(await liveState(page)).toEqual(paused);
    expect(await page.getAttribute('[data-testid=index-status]', 'data-state')).toBe('ready');

    await page.click('[data-testid=indexing-pause]');
    await page.waitForSelector('[data-testid=live-indexing][data-state=done]', { timeout: 120_000 });
    expect(await metric(page, 'n')).toBe(good);
    const skipped = await page.$$eval('[data-testid=skipped-item]', (els) =>
      els.map((el) => ({ reason: el.getAttribute('data-reason'), text: el.textContent })),
    );
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ reason: 'decode-failed' });
    expect(skipped[0].text).toContain('sunflower/broken.jpg');
  });

  test('a query over the whole folder finds its own class', async ({ sharedPage: page }) => {
    const ketch = page.locator('[data-testid=catalogue-item][data-label=ketch]').nth(3);
    const id = await ketch.getAttribute('data-id');
    await ketch.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    await waitForCount(page, 10);
    const exact = await shownResults(page, 'exact');
    expect(exact.slice(0, 6).filter((r) => r.label === 'ketch').length).toBeGreaterThanOrEqual(5);
  });

  test("a crop of an image from the folder is searched (the worker reads the page's blob: URL)", async ({
    sharedPage: page,
  }) => {
    const before = await metric(page, 'embed-ms');
    await page.click('[data-testid=crop-toggle]');
    await page.click('[data-testid=crop-start]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=crop-box][data-searched=true]', { timeout: 30_000 });
    await page.waitForFunction(
      (was) => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) !== was,
      before,
    );
    await waitForCount(page, 10);
    // The region, not the whole image: it no longer matches itself at similarity 1.
    expect((await shownResults(page, 'exact'))[0].score).toBeLessThan(0.99);
    // The whole image again, for the tests after this one.
    await searchWholeImage(page);
  });

  test('a deleted image no longer appears in either column, and the counts follow', async ({ sharedPage: page }) => {
    const before = await shownResults(page, 'exact');
    const victim = before[1].id;
    const n = await metric(page, 'n');
    const tiles = (await page.$$('[data-testid=catalogue-item]')).length;
    await page.hover(`[data-testid=catalogue-item][data-id="${victim}"]`);
    await page.click(`[data-testid=delete-item][data-id="${victim}"]`);
    await page.waitForFunction(
      (want) => document.querySelector('[data-metric=n]')?.getAttribute('data-value') === String(want),
      n - 1,
    );
    // N drops as soon as the index has deleted it; the query then runs again, so wait for its answer.
    await page.waitForFunction((id) => !document.querySelector(`[data-testid=result][data-id="${id}"]`), victim);
    await waitForCount(page, 10);
    for (const engine of ['exact', 'hnsw'] as const) {
      expect((await shownResults(page, engine)).map((r) => r.id)).not.toContain(victim);
    }
    expect(await page.$(`[data-testid=missed-result][data-id="${victim}"]`)).toBeNull();
    expect(await page.$(`[data-testid=catalogue-item][data-id="${victim}"]`)).toBeNull();
    expect(await page.$$('[data-testid=catalogue-item]')).toHaveLength(tiles - 1);
    // The query itself is still first; what was third moved up.
    expect((await shownResults(page, 'exact'))[1].id).toBe(before[2].id);
  });

  test('a single added image is indexed without a rebuild and finds itself', async ({ sharedPage: page }) => {
    const n = await metric(page, 'n');
    const buildMs = await metric(page, 'build-ms');
    const file = join(assetsDir, 'datasets', 'caltech101-40', 'pizza', 'image_0020.jpg');
    await page.setInputFiles('[data-testid=add-images]', file);
    await page.waitForFunction(
      (want) => document.querySelector('[data-metric=n]')?.getAttribute('data-value') === String(want),
      n + 1,
    );
    expect(await metric(page, 'build-ms')).toBe(buildMs);
    const tile = page.locator('[data-testid=catalogue-item]').last();
    expect(await tile.getAttribute('title')).toBe('image_0020.jpg');
    const id = await tile.getAttribute('data-id');
    await tile.click();
    await page.waitForSelector(`[data-testid=result][data-engine=hnsw][data-rank="1"][data-id="${id}"]`);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
  });
});
