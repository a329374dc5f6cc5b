import { join } from 'node:path';
import { describe, expect, inject } from 'vitest';
import { MAX_OBJECTS_PER_IMAGE } from '../../src/lib/objectEntries';
import { E2E_CATALOGUE, E2E_INDEXED } from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');

/** Waits until a readout shows `want`. */
const waitForMetric = (page: import('playwright-core').Page, name: string, want: number) =>
  page.waitForFunction(
    ([n, w]) => document.querySelector(`[data-metric="${n}"]`)?.getAttribute('data-value') === String(w),
    [name, want] as const,
  );

describe('object-level index entries (objects=1)', () => {
  let detected = 0;

  test.beforeAll(async ({ sharedPage }) => {
    await sharedPage.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&objects=1`);
    await waitForState(sharedPage, 'ready');
  });

  test('every image is detected; N counts the images and their objects', async ({ sharedPage: page }) => {
    await page.waitForSelector('[data-testid=objects-status][data-state=done]', { timeout: 150_000 });
    const entries = await metric(page, 'object-entries');
    expect(entries).toBeGreaterThan(0);
    detected = entries;
    await waitForMetric(page, 'n', E2E_INDEXED + entries);
    expect(await page.textContent('[data-testid=objects-n]')).toContain(`${E2E_INDEXED} images + ${entries}`);
    expect(await page.isChecked('[data-testid=objects-toggle]')).toBe(true);
  });

  test("a box's crop query finds its image through its object entry, listed once, box outlined", async ({
    sharedPage: page,
  }) => {
    const tile = page.locator('[data-testid=catalogue-item][data-label=Motorbikes]').first();
    const id = Number(await tile.getAttribute('data-id'));
    await tile.click();
    const box = page.locator('[data-testid=detected-box]').first();
    await box.waitFor({ timeout: 60_000 });
    const rect = await box.getAttribute('data-box');
    await box.focus();
    await page.keyboard.press('Enter');
    // The crop is embedded as the entry was: the image's object entry is the best hit, in both engines.
    for (const engine of ['exact', 'hnsw']) {
      const first = page.locator(`[data-testid=result][data-engine=${engine}][data-rank="1"][data-object="1"]`);
      await first.waitFor({ timeout: 60_000 });
      expect(Number(await first.getAttribute('data-id'))).toBe(id);
      expect(await first.getAttribute('data-box')).toBe(rect);
      const ids = await page.$$eval(`[data-testid=result][data-engine=${engine}]`, (els) =>
        els.map((el) => el.getAttribute('data-id')),
      );
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('deleting an image takes its object entries out too; the knob off takes them all', async ({
    sharedPage: page,
  }) => {
    const id = Number(
      await page.getAttribute('[data-testid=result][data-engine=exact][data-rank="1"][data-object="1"]', 'data-id'),
    );
    // Its entries are its boxes at the default threshold (the query's boxes, the same detector).
    const own = await page.locator('[data-testid=detected-box]').count();
    expect(own).toBeGreaterThan(0);
    const entries = await metric(page, 'object-entries');
    const n = await metric(page, 'n');
    await page.hover(`[data-testid=catalogue-item][data-id="${id}"]`);
    await page.click(`[data-testid=delete-item][data-id="${id}"]`);
    await waitForMetric(page, 'object-entries', entries - Math.min(own, MAX_OBJECTS_PER_IMAGE));
    await waitForMetric(page, 'n', n - 1 - Math.min(own, MAX_OBJECTS_PER_IMAGE));

    await page.uncheck('[data-testid=objects-toggle]');
    await waitForMetric(page, 'object-entries', 0);
    await waitForMetric(page, 'n', E2E_INDEXED - 1);
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('objects'));
  });

  test('a reload with objects=1 reads the boxes and vectors back from browser storage', async ({
    sharedPage: page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&objects=1`);
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-testid=objects-status][data-state=done]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=objects-status]')).toContain(
      `${E2E_INDEXED} images read from browser storage`,
    );
    await waitForMetric(page, 'object-entries', detected);
    await waitForMetric(page, 'n', E2E_INDEXED + detected);
  });

  test('an image added later is detected too, and its objects indexed', async ({ sharedPage: page }) => {
    const entries = await metric(page, 'object-entries');
    const n = await metric(page, 'n');
    // A motorbike photo the subset does not hold (it has the first 8).
    const file = join(assetsDir, 'datasets', 'caltech101-40', 'Motorbikes', 'image_0020.jpg');
    await page.setInputFiles('[data-testid=add-images]', file);
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-metric=object-entries]')?.getAttribute('data-value')) > before,
      entries,
      { timeout: 60_000 },
    );
    await page.waitForSelector('[data-testid=objects-status][data-state=done]');
    const added = (await metric(page, 'object-entries')) - entries;
    await waitForMetric(page, 'n', n + 1 + added);
  });

  test('without a detector the knob is off and says why', async ({ page }) => {
    await page.route('**/detectors/index.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&objects=1`);
    await waitForState(page, 'ready');
    expect(await page.isDisabled('[data-testid=objects-toggle]')).toBe(true);
    expect(await page.textContent('[data-testid=objects-panel]')).toContain('no detector is set up');
    expect(await page.locator('[data-metric=object-entries]').count()).toBe(0);
    expect(await metric(page, 'n')).toBe(E2E_INDEXED);
  });
});
