import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { parseCrop } from '../../src/lib/crop';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');

/** Moves the threshold slider as a drag would: a new value, then an input event. */
async function setThreshold(page: Page, value: number): Promise<void> {
  await page.$eval(
    '[data-testid=detect-threshold]',
    (el, v) => {
      const input = el as HTMLInputElement;
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

describe('detect, then search', () => {
  test.beforeAll(async ({ sharedPage }) => {
    await sharedPage.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(sharedPage, 'ready');
  });

  test('a motorbike photo shows a box; clicking it searches the box as the crop', async ({ sharedPage: page }) => {
    const tile = page.locator('[data-testid=catalogue-item][data-label=Motorbikes]').first();
    const id = Number(await tile.getAttribute('data-id'));
    await tile.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    await waitForResults(page, 10);
    const whole = await shownResults(page, 'exact');

    const box = page.locator('[data-testid=detected-box]').first();
    await box.waitFor({ timeout: 60_000 });
    expect(await box.getAttribute('data-class')).toBe('motorcycle');
    expect(Number(await box.getAttribute('data-score'))).toBeGreaterThanOrEqual(0.3);
    const rect = parseCrop(await box.getAttribute('data-box'))!;
    const natural = await page.$eval('[data-testid=query-image]', (img) => ({
      width: (img as HTMLImageElement).naturalWidth,
      height: (img as HTMLImageElement).naturalHeight,
    }));
    expect(rect.x + rect.w).toBeLessThanOrEqual(natural.width);
    expect(rect.y + rect.h).toBeLessThanOrEqual(natural.height);
    // A motorbike photo of this class is mostly motorbike: the box covers a good part of it.
    expect(rect.w * rect.h).toBeGreaterThan(0.2 * natural.width * natural.height);

    await box.focus();
    await page.keyboard.press('Enter');
    // The crop path: the URL names the box, and the results are the crop's, not the whole image's.
    await page.waitForFunction(
      (crop) => new URL(location.href).searchParams.get('crop') === crop,
      `${rect.x},${rect.y},${rect.w},${rect.h}`,
    );
    await page.waitForFunction(() => {
      const first = document.querySelector('[data-testid=result][data-engine=exact][data-rank="1"]');
      return first !== null && Number(first.getAttribute('data-score')) < 0.999;
    });
    await waitForResults(page, 10);
    const cropped = await shownResults(page, 'exact');
    expect(cropped.map((r) => r.id)).not.toEqual(whole.map((r) => r.id));
    expect(cropped.filter((r) => r.label === 'Motorbikes').length).toBeGreaterThanOrEqual(5);
    // The boxes stay: a crop of the same image is not detected again.
    expect(await page.locator('[data-testid=detected-box]').count()).toBeGreaterThanOrEqual(1);
  });

  test('search each object stacks one result row per box; the threshold hides weak boxes', async ({
    sharedPage: page,
  }) => {
    const boxes = await page.$$eval('[data-testid=detected-box]', (els) =>
      els.map((el) => el.getAttribute('data-box')),
    );
    await page.click('[data-testid=search-each-object]');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-testid=object-results]').length === n &&
        [...document.querySelectorAll('[data-testid=object-results]')].every(
          (row) => row.querySelectorAll('li[data-id]').length === 10,
        ),
      boxes.length,
    );
    const rows = await page.$$eval('[data-testid=object-results]', (els) =>
      els.map((el) => el.getAttribute('data-box')),
    );
    expect(rows).toEqual(boxes);
    const labels = await page.$$eval('[data-testid=object-results] li', (els) =>
      els.map((el) => el.getAttribute('data-label')),
    );
    expect(labels.filter((l) => l === 'Motorbikes').length).toBeGreaterThanOrEqual(5);

    await setThreshold(page, 0.95);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=detected-box]').length === 0);
    expect(await page.locator('[data-testid=search-each-object]').isDisabled()).toBe(true);
    await setThreshold(page, 0.3);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=detected-box]').length === n,
      boxes.length,
    );
  });

  test("the detector's time shows in the Pipeline tab", async ({ sharedPage: page }) => {
    await page.click('[data-testid=tab-pipeline]');
    const ms = Number(await page.getAttribute('[data-stage=detect]', 'data-ms'));
    expect(ms).toBeGreaterThan(0);
    console.log(`detect stage: ${ms.toFixed(1)} ms (model only) for the motorbike query`);
    await page.click('[data-testid=tab-search]');
  });

  test('without a detector the rest works, and the detection controls say why they are off', async ({ page }) => {
    // As after a setup without a detectors folder: no index of detectors.
    await page.route('**/detectors/index.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(page, 'ready');
    await page.locator('[data-testid=catalogue-item][data-label=Motorbikes]').first().click();
    await waitForResults(page, 10);
    expect(await page.textContent('[data-testid=detect-off]')).toContain('no detector is set up');
    expect(await page.locator('[data-testid=detected-box]').count()).toBe(0);
    expect(await page.locator('[data-testid=search-each-object]').count()).toBe(0);
    await page.click('[data-testid=tab-pipeline]');
    expect(await page.getAttribute('[data-stage=detect]', 'data-ms')).toBe('');
    expect(await page.textContent('[data-stage=detect] [data-testid=stage-note]')).toContain('no detector is set up');
  });
});
