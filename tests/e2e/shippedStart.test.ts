import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { E2E_CLASSES, PRECOMPUTED_CATALOGUE, PRECOMPUTED_MODEL } from '../fixtures/catalogues';
import { byMetric, byTestId } from '../../src/lib/testContract';
import { test } from './fixture';
import { metric, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');
// A catalogue whose bundle and index `npm run embed` made (the e2e setup runs it): 6 images.
const N = E2E_CLASSES.length;
const APP = `${baseUrl}?catalogue=${PRECOMPUTED_CATALOGUE}&model=${PRECOMPUTED_MODEL}&k=5`;
const photo = (label: string, n: string) => join(assetsDir, 'datasets', 'caltech101-40', label, `image_00${n}.jpg`);

const indexSource = (page: import('playwright-core').Page) => page.getAttribute(byMetric('build-ms'), 'data-source');

describe('as shipped: the index comes with the catalogue, the model after ready', () => {
  test('a fresh profile is ready with no embedding and no index build; the next visit reads it from storage', async ({
    page,
  }) => {
    await page.goto(APP);
    await waitForState(page, 'ready');
    expect(await indexSource(page)).toBe('shipped');
    expect(await metric(page, 'build-ms')).toBeGreaterThanOrEqual(0);
    expect(await metric(page, 'embedded-count')).toBe(0);
    expect(await metric(page, 'precomputed-hits')).toBe(N);
    expect(await metric(page, 'n')).toBe(N);
    expect(await page.$$eval(byTestId('storage-notice'), (els) => els.map((el) => el.textContent))).toEqual([]);

    await page.click(byTestId('catalogue-item'));
    await waitForResults(page, 5);
    expect(await metric(page, 'first-query-ms')).toBeGreaterThan(0);
    // MobileNet comes in after ready, in one worker (the others start for a batch job).
    await page.waitForSelector(`${byMetric('model-ready-ms')}:not([data-value=""])`, { timeout: 60_000 });
    expect(await metric(page, 'model-ready-ms')).toBeGreaterThan(0);
    expect(await metric(page, 'embed-workers')).toBe(1);
    // Chromium measures the page and its workers (the page is cross-origin isolated).
    await page.waitForSelector(`${byMetric('memory-bytes')}:not([data-value=""])`, { timeout: 90_000 });
    expect(await metric(page, 'memory-bytes')).toBeGreaterThan(0);

    await page.reload();
    await waitForState(page, 'ready');
    expect(await indexSource(page)).toBe('stored');
  });

  test('another M builds the index here, and says why the shipped one was not used', async ({ page }) => {
    await page.goto(`${APP}&M=8`);
    await waitForState(page, 'ready');
    expect(await indexSource(page)).toBe('built');
    const notice = await page.textContent(byTestId('storage-notice'));
    expect(notice).toContain('M=16, efConstruction=200');
    expect(notice).toContain('M=8, efConstruction=200');
    await page.click(byTestId('catalogue-item'));
    await waitForResults(page, 5);
  });

  test('an image given before the model is in waits for it, visibly, then is searched', async ({ browser }) => {
    // No service worker: every request of the embedding worker reaches the route.
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 } });
    try {
      const held: Route[] = [];
      let holding = true;
      await context.route(`**/models/${PRECOMPUTED_MODEL}/model.json`, (route) =>
        holding ? held.push(route) : route.continue(),
      );
      const page = await context.newPage();
      await page.goto(APP);
      await waitForState(page, 'ready');
      await expect.poll(() => held.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await page.waitForSelector(byTestId('model-loading'));

      await page.setInputFiles(`input[type=file]${byTestId('query-file')}`, photo('Leopards', '50'));
      await page.waitForSelector(byTestId('waiting-for-model'));
      expect(await metric(page, 'embed-ms')).toBeNaN();

      holding = false;
      await Promise.all(held.map((route) => route.continue()));
      await waitForResults(page, 5);
      expect(await metric(page, 'embed-ms')).toBeGreaterThan(0);
      expect(await page.$(byTestId('waiting-for-model'))).toBeNull();
      expect(await page.$(byTestId('model-loading'))).toBeNull();
    } finally {
      await context.close();
    }
  });

  test('idle embedding workers are retired, and come back for the next images', async ({ page }) => {
    await page.goto(`${APP}&workers=2`);
    await waitForState(page, 'ready');
    await page.waitForSelector(`${byMetric('model-ready-ms')}:not([data-value=""])`, { timeout: 60_000 });
    expect(await metric(page, 'embed-workers')).toBe(1);

    const addAndWait = async (files: string[]) => {
      await page.setInputFiles(byTestId('add-images'), files);
      await page.waitForSelector(`${byTestId('live-indexing')}[data-state=done][data-total="${files.length}"]`, {
        timeout: 120_000,
      });
    };
    await addAndWait([photo('pizza', '20'), photo('watch', '20'), photo('sunflower', '20')]);
    // Both workers embedded the batch job; they stay for a few seconds, then all but one end.
    expect(await metric(page, 'embed-workers')).toBe(2);
    await page.waitForSelector(`${byMetric('embed-workers')}[data-value="1"]`, { timeout: 30_000 });

    await addAndWait([photo('airplanes', '20'), photo('Motorbikes', '20')]);
    expect(await metric(page, 'embed-workers')).toBe(2);
    expect(await metric(page, 'n')).toBe(N + 5);
    // Retired, not crashed: no worker was replaced.
    expect(await metric(page, 'worker-restarts')).toBe(0);
    await page.waitForSelector(`${byMetric('embed-workers')}[data-value="1"]`, { timeout: 30_000 });
  });
});
