import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { defaultRect, parseCrop, rectAfterKey, type Rect } from '../../src/lib/crop';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { FAKE_CAMERA_ARGS, launchChromium } from './browser';
import { test } from './fixture';
import { metric, searchWholeImage, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');

async function cropBox(page: Page): Promise<Rect> {
  return parseCrop(await page.getAttribute('[data-testid=crop-box]', 'data-crop'))!;
}

/** Waits until the query's results are in and reports the exact column. */
async function resultsAfter(page: Page, k = 10): Promise<{ id: number; score: number }[]> {
  await waitForResults(page, k);
  return (await shownResults(page, 'exact')).map(({ id, score }) => ({ id, score }));
}

async function naturalSize(page: Page): Promise<{ width: number; height: number }> {
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid=crop-image]');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  return page.$eval('[data-testid=crop-image]', (img) => ({
    width: (img as HTMLImageElement).naturalWidth,
    height: (img as HTMLImageElement).naturalHeight,
  }));
}

describe('query inputs: crop, URL, paste, history, camera', () => {
  test.beforeAll(async ({ sharedPage }) => {
    await sharedPage.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(sharedPage, 'ready');
  });

  test('a crop drawn with the mouse is searched, changes the results and shows the model input', async ({
    sharedPage: page,
  }) => {
    const tile = page.locator('[data-testid=catalogue-item][data-label=Motorbikes]').first();
    const id = Number(await tile.getAttribute('data-id'));
    await tile.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    const whole = await resultsAfter(page);
    expect(whole[0].score).toBeGreaterThan(0.999);

    await page.click('[data-testid=crop-toggle]');
    const natural = await naturalSize(page);
    const img = (await page.$('[data-testid=crop-image]'))!;
    const box = (await img.boundingBox())!;
    // Drag over the top-left quarter, from outside the image's top-left corner (it clamps to 0,0).
    await page.mouse.move(box.x - 5, box.y - 5);
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3, { steps: 4 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();

    await page.waitForSelector('[data-testid=crop-box][data-searched=true]');
    const crop = await cropBox(page);
    // Display px → natural px: the top-left quarter of the image, within a pixel or two of rounding.
    expect(crop.x).toBeLessThanOrEqual(Math.ceil(natural.width / box.width) * 2 + 1);
    expect(crop.y).toBeLessThanOrEqual(Math.ceil(natural.height / box.height) * 2 + 1);
    expect(Math.abs(crop.x + crop.w - natural.width / 2)).toBeLessThanOrEqual(2 + natural.width / box.width);
    expect(Math.abs(crop.y + crop.h - natural.height / 2)).toBeLessThanOrEqual(2 + natural.height / box.height);
    // The model input shown is that crop's.
    await page.waitForSelector(`[data-testid=crop-preview][data-crop="${crop.x},${crop.y},${crop.w},${crop.h}"]`);

    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    const cropped = await resultsAfter(page);
    // The region is not the whole image: it no longer matches itself at similarity 1, and the list changes.
    expect(cropped[0].score).toBeLessThan(0.99);
    expect(cropped).not.toEqual(whole);
    expect(new URL(page.url()).searchParams.get('q')).toBe(String(id));
    expect(new URL(page.url()).searchParams.get('crop')).toBe(`${crop.x},${crop.y},${crop.w},${crop.h}`);
  });

  test('the keyboard draws a crop too: arrows move, Shift+arrows resize, Enter searches', async ({
    sharedPage: page,
  }) => {
    const natural = await naturalSize(page);
    const before = await cropBox(page);
    await page.click('[data-testid=crop-start]');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('crop-box');
    let expected = before;
    for (const [key, shift] of [
      ['ArrowRight', false],
      ['ArrowRight', false],
      ['ArrowDown', false],
      ['ArrowRight', true],
      ['ArrowDown', true],
    ] as const) {
      await page.keyboard.press(shift ? `Shift+${key}` : key);
      expected = rectAfterKey(expected, key, shift, natural)!;
    }
    await page.waitForSelector('[data-testid=crop-box][data-searched=false]');
    expect(await cropBox(page)).toEqual(expected);
    await page.keyboard.press('Enter');
    const text = `${expected.x},${expected.y},${expected.w},${expected.h}`;
    await page.waitForSelector(`[data-testid=crop-preview][data-crop="${text}"]`);
    await page.waitForSelector('[data-testid=crop-box][data-searched=true]');
    expect(new URL(page.url()).searchParams.get('crop')).toBe(text);
    expect(defaultRect(natural)).not.toEqual(expected);
  });

  test('a shared URL restores the same query, crop and knobs in a new page', async ({
    sharedPage: page,
    page: other,
  }) => {
    await page.fill('[data-testid=knob-k]', '6');
    await page.click('button:has-text("Search again")');
    const here = await resultsAfter(page, 6);
    const hnswHere = (await shownResults(page, 'hnsw')).map((r) => r.id);
    const crop = await page.getAttribute('[data-testid=crop-box]', 'data-crop');
    const shared = page.url();
    expect(new URL(shared).searchParams.get('k')).toBe('6');

    await other.goto(shared);
    await waitForState(other, 'ready');
    await other.waitForSelector(`[data-testid=crop-box][data-crop="${crop}"][data-searched=true]`);
    await other.waitForSelector(`[data-testid=crop-preview][data-crop="${crop}"]`);
    const there = await resultsAfter(other, 6);
    expect(there.map((r) => r.id)).toEqual(here.map((r) => r.id));
    there.forEach((r, i) => expect(r.score).toBeCloseTo(here[i].score, 5));
    expect((await shownResults(other, 'hnsw')).map((r) => r.id)).toEqual(hnswHere);
    expect(await other.inputValue('[data-testid=knob-k]')).toBe('6');
    await page.fill('[data-testid=knob-k]', '10');
    await page.click('button:has-text("Search again")');
    await waitForResults(page, 10);
  });

  test('"Whole image" searches the whole image again', async ({ sharedPage: page }) => {
    await searchWholeImage(page);
  });

  test('an image pasted from the clipboard becomes the query', async ({ sharedPage: page }) => {
    const bytes = readFileSync(join(assetsDir, 'datasets', 'caltech101-40', 'Leopards', 'image_0060.jpg')).toString(
      'base64',
    );
    await page.evaluate((base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'image.jpg', { type: 'image/jpeg' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await page.waitForSelector('[data-testid=query-name]:has-text("Pasted image")');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    await waitForResults(page, 10);
    const results = await shownResults(page, 'exact');
    expect(results[0].score).toBeLessThan(0.999);
    expect(results.slice(0, 5).filter((r) => r.label === 'Leopards').length).toBeGreaterThanOrEqual(4);
    // An image the user gave cannot be named in a URL.
    expect(new URL(page.url()).searchParams.has('q')).toBe(false);
  });

  test('the history lists the queries and Back runs the previous one again', async ({ sharedPage: page }) => {
    const pizza = page.locator('[data-testid=catalogue-item][data-label=pizza]').first();
    const watch = page.locator('[data-testid=catalogue-item][data-label=watch]').first();
    const pizzaId = await pizza.getAttribute('data-id');
    const watchId = await watch.getAttribute('data-id');
    await pizza.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${pizzaId}"]`);
    await watch.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${watchId}"]`);
    const listed = await page.$$eval('[data-testid=history-item]', (els) =>
      els.map((el) => el.getAttribute('data-id')),
    );
    expect(listed.slice(0, 2)).toEqual([watchId, pizzaId]);
    // The crop query and the pasted image are in the history too.
    expect(await page.$$('[data-testid=history-item][data-crop]:not([data-crop=""])')).not.toHaveLength(0);
    expect(listed).toContain('');

    await page.click('[data-testid=history-back]');
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${pizzaId}"]`);
    expect(await page.getAttribute('[data-testid=catalogue-item].current', 'data-id')).toBe(pizzaId);
    expect(new URL(page.url()).searchParams.get('q')).toBe(pizzaId);
    // Back once more reaches the pasted image, embedded again from its bytes.
    await page.click('[data-testid=history-back]');
    await page.waitForSelector('[data-testid=query-name]:has-text("Pasted image")');
    await waitForResults(page, 10);
    expect((await shownResults(page, 'exact'))[0].label).toBe('Leopards');
  });

  test('without a camera the camera panel says so', async ({ sharedPage: page }) => {
    await page.click('[data-testid=webcam-open]');
    const error = await page.waitForSelector('[data-testid=webcam-error]');
    expect(await error.textContent()).toMatch(/No camera was found|permission was denied/);
    await page.click('[data-testid=webcam-close]');
    expect(await page.$('[data-testid=webcam-panel]')).toBeNull();
  });
});

describe('camera snapshot with Chromium’s fake camera', () => {
  test('a snapshot is embedded and searched', async ({ onTestFinished }) => {
    // A browser of its own: the file's has no camera, which the test above needs.
    const browser = await launchChromium(FAKE_CAMERA_ARGS);
    onTestFinished(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&limit=16`);
    await waitForState(page, 'ready');
    await page.click('[data-testid=webcam-open]');
    await page.waitForSelector('[data-testid=webcam-snap]:not([disabled])');
    expect(await page.$eval('[data-testid=webcam-video]', (v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(
      0,
    );
    await page.click('[data-testid=webcam-snap]');
    await page.waitForSelector('[data-testid=query-name]:has-text("Camera snapshot")');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    await waitForResults(page, 10);
    const exact = await shownResults(page, 'exact');
    expect(exact[0].score).toBeLessThan(0.999);
    expect(await metric(page, 'recall-at-k')).toBeGreaterThan(0);
    // Closing the panel stops the camera.
    await page.click('[data-testid=webcam-close]');
    expect(await page.$('[data-testid=webcam-video]')).toBeNull();
    expect(errors).toEqual([]);
  });
});
