import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');
const PREDICTION = ['preprocess', 'embed', 'ann', 'exact', 'rerank'];

async function stageMs(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-stage][data-ms]', (els) =>
    Object.fromEntries(els.map((el) => [el.getAttribute('data-stage')!, el.getAttribute('data-ms')!])),
  );
}

describe('pipeline view and presenter mode in the built app', () => {
  test.beforeAll(async ({ sharedPage }) => {
    await sharedPage.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&view=pipeline`);
    await waitForState(sharedPage, 'ready');
  });

  test('draws both pipelines; the prediction stages light up with a query', async ({ sharedPage: page }) => {
    const before = await stageMs(page);
    for (const name of PREDICTION) expect(before[name]).toBe('');
    expect(Number(before.index)).toBeGreaterThan(0);
    expect(Number(before.indexing)).toBeGreaterThan(0);

    // n: the first catalogue image becomes the query, without leaving the view.
    await page.keyboard.press('n');
    await page.waitForSelector('[data-stage=ann]:not([data-ms=""])');
    const after = await stageMs(page);
    // A catalogue image was embedded with the catalogue: nothing to measure, and the view says so.
    expect(after.preprocess).toBe('0');
    expect(after.embed).toBe('0');
    expect(await page.textContent('[data-stage=embed] [data-testid=stage-note]')).toContain(
      'embedded at indexing time',
    );
    // Each stage shows a time; that each grows with its stage's work is checked in timers.test.ts.
    for (const name of ['ann', 'exact', 'rerank']) expect(Number.isFinite(Number.parseFloat(after[name]))).toBe(true);
    expect(await page.textContent('[data-stage=ann]')).toContain('10 candidates');
    expect(await page.textContent('[data-stage=rerank]')).toContain('10 in · 10 out');

    // With a rule on, the engines hand 3k candidates to the re-ranker.
    await page.check('[data-testid=dedup-toggle]');
    await page.waitForSelector('[data-stage=ann]:has-text("30 candidates")');
    expect(await page.textContent('[data-stage=exact]')).toContain('30 candidates');
    expect(await page.textContent('[data-stage=rerank]')).toMatch(/30 in · .*10 out/);
    await page.uncheck('[data-testid=dedup-toggle]');
  });

  test('splits an uploaded image’s embedding into preprocessing and model time', async ({ sharedPage: page }) => {
    await page.click('[data-testid=tab-search]');
    await page.setInputFiles(
      'input[type=file][data-testid=query-file]',
      join(assetsDir, 'datasets', 'caltech101-40', 'pizza', 'image_0041.jpg'),
    );
    await page.waitForSelector('[data-testid=query-name]:has-text("image_0041.jpg")');
    await waitForResults(page, 10);
    await page.click('[data-testid=tab-pipeline]');
    await page.waitForSelector('[data-stage=embed]:not([data-ms="0"]):not([data-ms=""])');
    const ms = await stageMs(page);
    expect(Number(ms.preprocess)).toBeGreaterThan(0);
    expect(Number(ms.embed)).toBeGreaterThan(0);
    // The readout and the two stages show one measurement (embed-ms is their sum), so this only
    // checks the views agree; that the split is right (preprocessing grows with the pixels, the
    // model does not) is checked in timers.test.ts.
    expect(Number(ms.preprocess) + Number(ms.embed)).toBeCloseTo(await metric(page, 'embed-ms'), 6);
    expect(await page.$('[data-testid=stage-note]')).toBeNull();
  });

  test('a click, or Enter on a focused stage, explains it', async ({ sharedPage: page }) => {
    await page.click('[data-stage=rerank]');
    expect(await page.textContent('[data-testid=stage-explanation]')).toMatch(/near-duplicates/);
    expect(await page.getAttribute('[data-stage=rerank]', 'aria-expanded')).toBe('true');
    await page.focus('[data-stage=ann]');
    await page.keyboard.press('Enter');
    expect(await page.textContent('[data-testid=stage-explanation]')).toMatch(/HNSW/);
    await page.keyboard.press('Enter');
    expect((await page.textContent('[data-testid=stage-explanation]'))!.trim()).toBe('');
  });

  test('? lists the shortcuts and Esc closes the list; shortcuts act, but not while typing', async ({
    sharedPage: page,
  }) => {
    await page.click('[data-testid=tab-search]');
    await page.locator('[data-testid=catalogue-item][data-label=sunflower]').first().click();
    await waitForResults(page, 10);
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=shortcuts-overlay]');
    expect(await page.$$('[data-testid=shortcut]')).not.toHaveLength(0);
    expect(await page.textContent('[data-testid=shortcuts-overlay]')).toContain('Next catalogue image as the query');
    // Keys other than ? and Esc do nothing while the list is open.
    await page.keyboard.press('k');
    expect(new URL(page.url()).searchParams.has('k')).toBe(false);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=shortcuts-overlay]', { state: 'detached' });

    await page.keyboard.press('k');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('k') === '11');
    await waitForResults(page, 11);
    await page.keyboard.press('K');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('k'));

    // Typing in a field is typing.
    await page.click('[data-testid=knob-ef]');
    await page.keyboard.press('k');
    await page.keyboard.press('e');
    expect(new URL(page.url()).searchParams.has('k')).toBe(false);
    expect(new URL(page.url()).searchParams.has('ef')).toBe(false);
    await page.click('h1');

    // 3: the third result becomes the query.
    const third = await page.getAttribute('[data-testid=result][data-engine=exact][data-rank="3"]', 'data-id');
    await page.keyboard.press('3');
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${third}"]`);
    expect(await page.getAttribute('.tile.current', 'data-id')).toBe(third);

    await page.keyboard.press('t');
    await page.waitForSelector('[data-testid=pipeline-view]');
    expect(new URL(page.url()).searchParams.get('view')).toBe('pipeline');
  });

  test('presenter mode: large type from the toggle, the f key and ?present=1', async ({ sharedPage: page }) => {
    const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const normal = await rootSize();
    await page.click('[data-testid=presenter-toggle]');
    expect(await rootSize()).toBeGreaterThan(normal * 1.2);
    expect(new URL(page.url()).searchParams.get('present')).toBe('1');
    await page.keyboard.press('f');
    expect(await rootSize()).toBe(normal);
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&present=1`);
    await waitForState(page, 'ready');
    expect(await rootSize()).toBeGreaterThan(normal * 1.2);
    expect(await page.getAttribute('[data-testid=presenter-toggle]', 'aria-pressed')).toBe('true');
  });
});
