import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScriptedSvg } from '../fixtures/badImages';
import { launchChromium } from './browser';
import { BAD_FILES_CATALOGUE, E2E_CATALOGUE } from './globalSetup';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const SMALL_MODEL = 'mobilenet_v1_025_224_rebuilt';

/** Data-id of the catalogue tile showing `file`. */
async function tileId(page: Page, file: string): Promise<number> {
  return Number(await page.getAttribute(`[data-testid=catalogue-item][title="${file}"]`, 'data-id'));
}

/** Cosine similarity the exact engine gives between two catalogue files (k covers the whole catalogue). */
async function similarity(page: Page, query: string, other: string): Promise<number> {
  const [queryId, otherId] = [await tileId(page, query), await tileId(page, other)];
  await page.click(`[data-testid=catalogue-item][title="${query}"]`);
  await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${queryId}"]`);
  const found = (await shownResults(page, 'exact')).find((r) => r.id === otherId);
  if (!found) throw new Error(`${other} is not among the results for ${query}`);
  return found.score;
}

describe('bad files in a catalogue', () => {
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${baseUrl}?catalogue=${BAD_FILES_CATALOGUE}&model=${SMALL_MODEL}&k=20`);
    await waitForState(page, 'ready');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists GIFs but never an .svg; skips the truncated JPEG and the SVG named .jpg with their reasons', async () => {
    const titles = await page.$$eval('[data-testid=catalogue-item]', (els) => els.map((el) => el.getAttribute('title')));
    expect(titles).toEqual([
      'animated.gif',
      'cmyk-twin.png',
      'cmyk.jpg',
      'exif-rotated.jpg',
      'first-frame.png',
      'rotated-no-exif.jpg',
      'second-frame.png',
      'svg-named.jpg',
      'truncated.jpg',
      'upright.jpg',
    ]);
    const skipped = await page.$$eval('[data-testid=skipped-item]', (els) =>
      els.map((el) => `${el.querySelector('strong')?.textContent}:${el.getAttribute('data-reason')}`),
    );
    expect(skipped.sort()).toEqual(['svg-named.jpg:unsupported-format', 'truncated.jpg:decode-failed']);
    expect(await page.textContent('[data-testid=skipped-item][data-reason=unsupported-format]')).toContain('an SVG or XML document');
    expect(await metric(page, 'n')).toBe(8);
    expect(dialogs).toEqual([]);
  });

  it('embeds an EXIF-rotated photo upright, and shows its thumbnail upright', async () => {
    const tagged = await similarity(page, 'upright.jpg', 'exif-rotated.jpg');
    const untagged = await similarity(page, 'upright.jpg', 'rotated-no-exif.jpg');
    expect(tagged).toBeGreaterThan(0.98);
    // Without the tag applied the same pixels embed as a different picture.
    expect(untagged).toBeLessThan(tagged - 0.05);
    const size = await page.$eval('[data-testid=catalogue-item][title="exif-rotated.jpg"] img', async (img: HTMLImageElement) => {
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    });
    // Stored 128 wide and 192 high; Orientation 6 turns it back to the photo's 192×128.
    expect(size).toEqual([192, 128]);
  });

  it('decodes a CMYK JPEG to the colours of its RGB twin', async () => {
    expect(await similarity(page, 'cmyk.jpg', 'cmyk-twin.png')).toBeGreaterThan(0.99);
  });

  it('embeds an animated GIF by its first frame', async () => {
    const first = await similarity(page, 'animated.gif', 'first-frame.png');
    const second = await similarity(page, 'animated.gif', 'second-frame.png');
    expect(first).toBeGreaterThan(0.995);
    expect(second).toBeLessThan(first - 0.1);
  });

  it('refuses an uploaded SVG with a script before showing it; the script never runs', async () => {
    await page.click('[data-testid=catalogue-item][title="upright.jpg"]');
    await waitForResults(page, 8);
    await page.setInputFiles('input[type=file][data-testid=query-file]', {
      name: 'drawing.svg',
      mimeType: 'image/svg+xml',
      buffer: makeScriptedSvg(),
    });
    const error = await page.waitForSelector('[data-testid=query-error]');
    expect(await error.textContent()).toBe('drawing.svg: an SVG or XML document: only JPEG, PNG, WebP or GIF files are accepted');
    // The previous query stays; nothing of the SVG reached the page.
    expect(await page.textContent('[data-testid=query-name]')).toBe('upright.jpg');
    expect(await page.$$eval('img', (imgs) => imgs.filter((img) => img.src.startsWith('blob:')).length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { svgScriptRan?: boolean }).svgScriptRan)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});

describe('missing or corrupt model files', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The error screen's text when one model file is answered by `fulfil`. */
  async function errorWith(file: string, fulfil: { status: number; body: Buffer | string }): Promise<string> {
    const page = await browser.newPage();
    // Routed on the context, so the embedding workers' requests are answered too.
    await page.context().route(`**/models/${SMALL_MODEL}/${file}`, (route) => route.fulfill(fulfil));
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&model=${SMALL_MODEL}&workers=1`);
    await waitForState(page, 'error', 60_000);
    const text = (await page.textContent('[data-testid=error-screen]')) ?? '';
    await page.close();
    return text;
  }

  it('a missing weight file is named, with the fix', async () => {
    const text = await errorWith('group1-shard1of1.bin', { status: 404, body: 'not found' });
    expect(text).toContain(`models/${SMALL_MODEL}/group1-shard1of1.bin is missing (HTTP 404).`);
    expect(text).toContain('Run `npm run setup` again');
  });

  it('a truncated weight file is named, with the sizes', async () => {
    const text = await errorWith('group1-shard1of1.bin', { status: 200, body: Buffer.alloc(1000) });
    expect(text).toContain(`models/${SMALL_MODEL}/group1-shard1of1.bin holds 1000 bytes of weights, but model.json expects 1870388`);
    expect(text).toContain('npm run setup');
  });

  it('a corrupt model.json is named', async () => {
    const text = await errorWith('model.json', { status: 200, body: '{"modelTopology": {' });
    expect(text).toContain(`models/${SMALL_MODEL}/model.json is corrupt: it is not valid JSON.`);
    expect(text).toContain('npm run setup');
  });
});
