import { describe, expect, inject } from 'vitest';
import {
  DUPES_CATALOGUE,
  E2E_CATALOGUE,
  E2E_INDEXED,
  EMPTY_CATALOGUE,
  HOSTILE_NAME,
  NAMES_CATALOGUE,
  ONE_IMAGE_CATALOGUE,
} from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, shownResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const INDEXED = E2E_INDEXED;

describe('faults', () => {
  test('an embedding worker that dies mid-catalogue is replaced: no image lost, none embedded twice', async ({
    page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&crash=2`);
    await waitForState(page, 'ready');
    expect(await metric(page, 'worker-restarts')).toBe(1);
    expect(await metric(page, 'n')).toBe(INDEXED);
    expect(await metric(page, 'embedded-count')).toBe(INDEXED);
    expect(
      await page.$$eval('[data-testid=skipped-item]', (els) => els.map((el) => el.getAttribute('data-reason'))),
    ).toEqual(['decode-failed']);
  });
});

describe('edge cases of catalogues', () => {
  test('a one-image catalogue indexes, and k = 10 > N = 1 returns that one image from both engines', async ({
    page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${ONE_IMAGE_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt`);
    await waitForState(page, 'ready');
    expect(await metric(page, 'n')).toBe(1);
    await page.click('[data-testid=catalogue-item]');
    await page.waitForSelector('[data-testid=result][data-engine=hnsw]');
    for (const engine of ['exact', 'hnsw'] as const) {
      const results = await shownResults(page, engine);
      expect(results).toHaveLength(1);
      expect(results[0].score).toBeGreaterThan(0.999);
    }
    expect(await metric(page, 'recall-at-k')).toBe(1);
  });

  test('duplicate files are embedded once and both listed', async ({ page }) => {
    await page.goto(`${baseUrl}?catalogue=${DUPES_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt`);
    await waitForState(page, 'ready');
    expect(await page.$$('[data-testid=catalogue-item]')).toHaveLength(3);
    expect(await metric(page, 'n')).toBe(3);
    expect(await metric(page, 'embedded-count')).toBe(2);
    await page.click('[data-testid=catalogue-item][data-id="1"]');
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="2"]');
    const [first, second] = await shownResults(page, 'exact');
    expect([first.id, second.id]).toEqual([0, 1]);
    expect(first.score).toBeCloseTo(second.score, 6);
  });

  test('an empty folder gives a clear message, not a broken page', async ({ page }) => {
    await page.goto(`${baseUrl}?catalogue=${EMPTY_CATALOGUE}`);
    await waitForState(page, 'error', 30_000);
    expect(await page.textContent('[data-testid=error-screen]')).toContain(
      `Catalogue "${EMPTY_CATALOGUE}" has no images`,
    );
  });

  test('file names with unicode, spaces and HTML are shown as text and never run', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${baseUrl}?catalogue=${NAMES_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt`);
    await waitForState(page, 'ready');
    expect(await metric(page, 'n')).toBe(2);
    const titles = await page.$$eval('[data-testid=catalogue-item]', (els) =>
      els.map((el) => el.getAttribute('title')),
    );
    expect(titles).toEqual([`naïve café/${HOSTILE_NAME}`, 'naïve café/with space.jpg']);
    expect(
      await page.$$eval('[data-testid=catalogue-item]', (els) => els.map((el) => el.getAttribute('data-label'))),
    ).toEqual(['naïve café', 'naïve café']);
    await page.click('[data-testid=catalogue-item] >> nth=0');
    await page.waitForSelector('[data-testid=query-name]');
    expect(await page.textContent('[data-testid=query-name]')).toBe(`naïve café/${HOSTILE_NAME}`);
    expect(await page.$$('img[src=x]')).toHaveLength(0);
    expect(dialogs).toEqual([]);
  });
});
