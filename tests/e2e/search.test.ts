import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { join } from 'node:path';
import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE, E2E_INDEXED } from '../fixtures/catalogues';
import { makeBombPng } from '../fixtures/images';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');

describe('search in the built app, in headless Chromium', () => {
  const requests: string[] = [];

  test.beforeAll(async ({ sharedPage: page }) => {
    // Workers' requests are reported too: model files, wasm, images.
    page.context().on('request', (request) => requests.push(request.url()));
    // Count object URLs the page creates and has not revoked.
    await page.addInitScript(() => {
      const live = new Set<string>();
      (window as unknown as { liveObjectUrls: Set<string> }).liveObjectUrls = live;
      const create = URL.createObjectURL.bind(URL);
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.createObjectURL = (object: Blob | MediaSource) => {
        const url = create(object);
        live.add(url);
        return url;
      };
      URL.revokeObjectURL = (url: string) => {
        live.delete(url);
        revoke(url);
      };
    });
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(page, 'ready');
  });

  test('embeds and indexes the subset, reporting and skipping the corrupt file', async ({ sharedPage: page }) => {
    const tiles = await page.$$('[data-testid=catalogue-item]');
    expect(tiles).toHaveLength(E2E_INDEXED + 1);
    const skipped = await page.$$eval('[data-testid=skipped-item]', (els) =>
      els.map((el) => ({ reason: el.getAttribute('data-reason'), text: el.textContent })),
    );
    expect(skipped).toHaveLength(1);
    expect(skipped[0].reason).toBe('decode-failed');
    expect(skipped[0].text).toContain('image_9999_corrupt.jpg');
    expect(await metric(page, 'n')).toBe(E2E_INDEXED);
    expect(await metric(page, 'dimensions')).toBe(1280);
    expect(await metric(page, 'build-ms')).toBeGreaterThan(0);
    expect(await page.textContent('[data-metric=backend]')).toMatch(/wasm/);
  });

  test('a clicked catalogue image finds itself first, with similarity ≈ 1', async ({ sharedPage: page }) => {
    const tile = page.locator('[data-testid=catalogue-item][data-label=pizza]').nth(2);
    const id = Number(await tile.getAttribute('data-id'));
    await tile.click();
    await waitForResults(page, 10);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    const [top] = await shownResults(page, 'exact');
    expect(top).toMatchObject({ rank: 1, id, label: 'pizza' });
    expect(top.score).toBeGreaterThan(0.999);
    expect(await page.getAttribute('[data-testid=query-image]', 'src')).toContain('pizza');
  });

  test('a Leopards query returns mostly Leopards from both engines', async ({ sharedPage: page }) => {
    await page.locator('[data-testid=catalogue-item][data-label=Leopards]').first().click();
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=Leopards]');
    await waitForResults(page, 10);
    for (const engine of ['exact', 'hnsw'] as const) {
      const results = await shownResults(page, engine);
      expect(results).toHaveLength(10);
      // 7 other Leopards exist besides the query itself, so at most 8 of 10 can match.
      expect(results.filter((r) => r.label === 'Leopards').length).toBeGreaterThanOrEqual(7);
    }
  });

  test('shows the ANN recall@k that the two result lists on the page give', async ({ sharedPage: page }) => {
    const exact = (await shownResults(page, 'exact')).map((r) => r.id);
    const hnsw = new Set((await shownResults(page, 'hnsw')).map((r) => r.id));
    const expected = exact.filter((id) => hnsw.has(id)).length / exact.length;
    expect(await metric(page, 'recall-at-k')).toBeCloseTo(expected, 6);
    const missed = await page.$$eval('[data-testid=missed-result]', (els) =>
      els.map((el) => Number(el.getAttribute('data-id'))),
    );
    expect(missed).toEqual(exact.filter((id) => !hnsw.has(id)));
    // Both times are shown; that they measure the searches (they grow with N and efSearch) is
    // checked on a catalogue large enough to time, in timers.test.ts.
    expect(Number.isFinite(await metric(page, 'exact-ms'))).toBe(true);
    expect(Number.isFinite(await metric(page, 'hnsw-ms'))).toBe(true);
  });

  test('an uploaded image is embedded and searched', async ({ sharedPage: page }) => {
    // A Leopards photo that is not in the subset.
    const file = join(assetsDir, 'datasets', 'caltech101-40', 'Leopards', 'image_0050.jpg');
    await page.setInputFiles('input[type=file][data-testid=query-file]', file);
    await page.waitForSelector('[data-testid=query-name]:has-text("image_0050.jpg")');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    await waitForResults(page, 10);
    const exact = await shownResults(page, 'exact');
    expect(exact[0].score).toBeLessThan(0.999);
    expect(exact.slice(0, 5).filter((r) => r.label === 'Leopards').length).toBeGreaterThanOrEqual(4);
  });

  test('an uploaded 20000×20000 PNG is refused before decoding, and the page keeps working', async ({
    sharedPage: page,
  }) => {
    await page.setInputFiles('input[type=file][data-testid=query-file]', {
      name: 'bomb.png',
      mimeType: 'image/png',
      buffer: makeBombPng(20000, 20000),
    });
    const error = await page.waitForSelector('[data-testid=query-error]');
    expect(await error.textContent()).toMatch(
      /bomb\.png: the image is too large to decode safely \(20000×20000 pixels/,
    );
    await page.locator('[data-testid=catalogue-item][data-label=watch]').first().click();
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=watch]');
    expect(await page.$('[data-testid=query-error]')).toBeNull();
  });

  test('transparent pixels are composited on white; greyscale photos are embedded as RGB', async ({
    sharedPage: page,
  }) => {
    const photo = jpeg.decode(readFileSync(join(assetsDir, 'datasets', 'caltech101-40', 'pizza', 'image_0040.jpg')), {
      useTArray: true,
    });
    const border = (i: number) => {
      const x = (i / 4) % photo.width;
      const y = Math.floor(i / 4 / photo.width);
      return x < photo.width / 4 || y < photo.height / 4;
    };
    const variant = (transparent: boolean) => {
      const png = new PNG({ width: photo.width, height: photo.height });
      png.data = Buffer.from(photo.data);
      for (let i = 0; i < png.data.length; i += 4) {
        if (!border(i)) continue;
        // Transparent black, or the opaque white it must come out as.
        png.data.set(transparent ? [0, 0, 0, 0] : [255, 255, 255, 255], i);
      }
      return PNG.sync.write(png);
    };
    const resultsFor = async (name: string, buffer: Buffer) => {
      await page.setInputFiles('input[type=file][data-testid=query-file]', { name, mimeType: 'image/png', buffer });
      await page.waitForSelector(`[data-testid=query-name]:has-text("${name}")`);
      await page.waitForFunction(
        () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
      );
      await waitForResults(page, 10);
      return (await shownResults(page, 'exact')).map((r) => `${r.id}:${r.score.toFixed(5)}`);
    };
    const onWhite = await resultsFor('on-white.png', variant(false));
    const transparent = await resultsFor('transparent.png', variant(true));
    expect(transparent).toEqual(onWhite);

    // car_side photos are 8-bit greyscale JPEGs.
    await page.setInputFiles(
      'input[type=file][data-testid=query-file]',
      join(assetsDir, 'datasets', 'caltech101-40', 'car_side', 'image_0001.jpg'),
    );
    await page.waitForSelector('[data-testid=query-name]:has-text("image_0001.jpg")');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    await waitForResults(page, 10);
    expect(await page.$('[data-testid=query-error]')).toBeNull();
  });

  test('leaks no tensors: the worker count stays flat across repeated embeddings', async ({ sharedPage: page }) => {
    const afterCatalogue = await metric(page, 'tensors');
    expect(afterCatalogue).toBeGreaterThan(0);
    for (let i = 30; i < 35; i++) {
      const name = `image_00${i}.jpg`;
      await page.setInputFiles(
        'input[type=file][data-testid=query-file]',
        join(assetsDir, 'datasets', 'caltech101-40', 'pizza', name),
      );
      await page.waitForSelector(`[data-testid=query-name]:has-text("${name}")`);
      await page.waitForFunction(
        () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
      );
      expect(await metric(page, 'tensors')).toBe(afterCatalogue);
    }
  });

  test('revokes the object URL of an uploaded query once it is no longer shown', async ({ sharedPage: page }) => {
    const live = () => page.evaluate(() => (window as unknown as { liveObjectUrls: Set<string> }).liveObjectUrls.size);
    await page.setInputFiles(
      'input[type=file][data-testid=query-file]',
      join(assetsDir, 'datasets', 'caltech101-40', 'watch', 'image_0030.jpg'),
    );
    await page.waitForSelector('[data-testid=query-name]:has-text("image_0030.jpg")');
    expect(await live()).toBe(1);
    await page.locator('[data-testid=catalogue-item][data-label=sunflower]').first().click();
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=sunflower]');
    expect(await live()).toBe(0);
  });

  test('fetches nothing from outside its own origin (it works offline)', async () => {
    const origin = new URL(baseUrl).origin;
    expect(requests.some((url) => url.includes('/models/'))).toBe(true);
    expect(requests.filter((url) => !url.startsWith(origin) && !/^(blob|data):/.test(url))).toEqual([]);
  });

  test('after 300 rapid clicks the results belong to the last query: stale answers never win', async ({
    sharedPage: page,
  }) => {
    const ids = await page.$$eval('[data-testid=catalogue-item]:not(.skipped)', (els) =>
      els.map((el) => el.getAttribute('data-id')!),
    );
    const last = await page.evaluate((all) => {
      let id = '';
      for (let i = 0; i < 300; i++) {
        id = all[(i * 7) % all.length];
        document.querySelector<HTMLButtonElement>(`[data-testid=catalogue-item][data-id="${id}"]`)!.click();
      }
      return id;
    }, ids);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${last}"]`);
    await waitForResults(page, 10);
    await page.waitForTimeout(500);
    expect((await shownResults(page, 'exact'))[0].id).toBe(Number(last));
    expect((await shownResults(page, 'hnsw'))[0].id).toBe(Number(last));
    expect(await page.getAttribute('[data-testid=catalogue-item].current', 'data-id')).toBe(last);
  });

  test('k and efSearch from the form re-run the query and land in the URL', async ({ sharedPage: page }) => {
    await page.fill('[data-testid=knob-k]', '5');
    await page.fill('[data-testid=knob-ef]', '32');
    await page.click('button:has-text("Search again")');
    await waitForResults(page, 5);
    expect(new URL(page.url()).searchParams.get('k')).toBe('5');
    expect(new URL(page.url()).searchParams.get('ef')).toBe('32');
  });
});

describe('URL contract and setup errors', () => {
  test('limit, k, M, efc and ef in the URL set the state, and the page reflects them', async ({ page }) => {
    await page.goto(
      `${baseUrl}?catalogue=${E2E_CATALOGUE}&limit=12&k=3&M=8&efc=50&ef=20&model=mobilenet_v1_025_224_rebuilt`,
    );
    await waitForState(page, 'ready');
    expect(await page.$$('[data-testid=catalogue-item]')).toHaveLength(12);
    expect(await page.inputValue('[data-testid=knob-k]')).toBe('3');
    expect(await page.inputValue('[data-testid=knob-M]')).toBe('8');
    expect(await page.inputValue('[data-testid=knob-efc]')).toBe('50');
    expect(await page.inputValue('[data-testid=knob-ef]')).toBe('20');
    expect(await page.getAttribute('[data-metric=model]', 'data-value')).toBe('mobilenet_v1_025_224_rebuilt');
    expect(await metric(page, 'dimensions')).toBe(256);
    await page.locator('[data-testid=catalogue-item]').first().click();
    await waitForResults(page, 3);
  });

  test('runs on the backend the URL asks for, and Stop indexes what is already embedded', async ({ page }) => {
    // One worker on the plain-JS backend embeds slowly enough to stop it part-way.
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&backend=cpu&workers=1`);
    await waitForState(page, 'embedding', 60_000);
    expect(await page.getAttribute('[data-metric=backend]', 'data-value')).toBe('cpu');
    await page.waitForFunction(() =>
      /^\s*[1-9]\d* \//.test(document.querySelector('[data-testid=embed-progress]')?.textContent ?? ''),
    );
    await page.click('[data-testid=cancel-embedding]');
    await waitForState(page, 'ready', 120_000);
    const indexed = await metric(page, 'n');
    expect(indexed).toBeGreaterThan(0);
    expect(indexed).toBeLessThan(E2E_INDEXED);
  });

  test('an image dropped on the query panel is searched', async ({ page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt`);
    await waitForState(page, 'ready');
    const bytes = readFileSync(join(assetsDir, 'datasets', 'caltech101-40', 'sunflower', 'image_0040.jpg')).toString(
      'base64',
    );
    const dataTransfer = await page.evaluateHandle((b64) => {
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([raw], 'dropped sunflower.jpg', { type: 'image/jpeg' }));
      return transfer;
    }, bytes);
    await page.dispatchEvent('[data-testid=query-panel]', 'drop', { dataTransfer });
    await page.waitForSelector('[data-testid=query-name]:has-text("dropped sunflower.jpg")');
    await waitForResults(page, 10);
    const exact = await shownResults(page, 'exact');
    expect(exact.slice(0, 5).filter((r) => r.label === 'sunflower').length).toBeGreaterThanOrEqual(4);
  });

  test('says what is missing and how to fix it when no model is set up', async ({ page }) => {
    await page.route('**/models/index.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(page, 'error', 30_000);
    const text = await page.textContent('[data-testid=error-screen]');
    expect(text).toContain('No MobileNet model found');
    expect(text).toContain('npm run setup');
  });
});
