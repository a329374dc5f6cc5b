import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { ONE_IMAGE_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');

const CLASSES = ['bonsai', 'dolphin', 'ketch', 'sunflower'];
const PER_CLASS = 8;

/** What the exact column showed, each time it changed, and what the indexing pipeline was doing then. */
interface Shown {
  ids: string;
  count: number;
  state: string | null;
}

/** Records every change of the exact column in the page, so no change is missed between two polls. */
async function recordResults(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: Shown[] = [];
    (window as unknown as { shownLog: Shown[] }).shownLog = log;
    const note = (): void => {
      const results = [...document.querySelectorAll('[data-testid=result][data-engine=exact]')];
      const ids = results.map((el) => el.getAttribute('data-id')).join(',');
      if (log.at(-1)?.ids === ids) return;
      const state = document.querySelector('[data-testid=live-indexing]')?.getAttribute('data-state') ?? null;
      log.push({ ids, count: results.length, state });
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

describe('results while a folder is indexed live', () => {
  test('the current query’s results follow the batches as they land, without another click', async ({ page }) => {
    const root = mkdtempSync(join(tmpdir(), 'vsl-folder-'));
    try {
      const folder = join(root, 'live photos');
      for (const label of CLASSES) {
        mkdirSync(join(folder, label), { recursive: true });
        for (let n = 1; n <= PER_CLASS; n++) {
          const file = `image_${String(n).padStart(4, '0')}.jpg`;
          copyFileSync(join(assetsDir, 'datasets', 'caltech101-40', label, file), join(folder, label, file));
        }
      }
      const images = CLASSES.length * PER_CLASS;
      // One worker: the folder is embedded batch after batch.
      await page.goto(`${baseUrl}?catalogue=${ONE_IMAGE_CATALOGUE}&workers=1`);
      await waitForState(page, 'ready');
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
      await page.setInputFiles('[data-testid=folder-input]', folder);
      await page.waitForSelector('[data-testid=live-indexing][data-state=paused]');
      await page.waitForFunction(
        () => Number(document.querySelector('[data-metric=n]')?.getAttribute('data-value')) >= 8,
      );
      const indexed = await metric(page, 'n');
      expect(indexed).toBeLessThan(10);

      // A query while it is paused answers from what is indexed: fewer than k = 10.
      const first = page.locator('[data-testid=catalogue-item]').first();
      const id = await first.getAttribute('data-id');
      await first.click();
      await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
      await waitForResults(page, indexed);

      // Resume, and only watch: the results must fill up to k while the rest is still embedding.
      await recordResults(page);
      await page.click('[data-testid=indexing-pause]');
      await waitForResults(page, 10);
      await page.waitForSelector('[data-testid=live-indexing][data-state=done]', { timeout: 120_000 });
      expect(await metric(page, 'n')).toBe(images);
      const log = await page.evaluate(() => (window as unknown as { shownLog: Shown[] }).shownLog);
      expect(log[0].count).toBe(indexed);
      expect(log.some((shown) => shown.state === 'running' && shown.ids !== log[0].ids)).toBe(true);

      // The last refresh came once indexing finished: the same answer as asking again over the whole folder.
      const refreshed = await shownResults(page, 'exact');
      expect(refreshed[0].id).toBe(Number(id));
      await page.click('[data-testid=catalogue-item] >> nth=1');
      await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"]:not([data-id="${id}"])`);
      await first.click();
      await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
      await waitForResults(page, 10);
      expect(await shownResults(page, 'exact')).toEqual(refreshed);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
