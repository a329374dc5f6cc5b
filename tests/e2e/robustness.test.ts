import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { makeScriptedSvg } from '../fixtures/badImages';
import { BAD_FILES_CATALOGUE, E2E_CATALOGUE, E2E_INDEXED } from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');
const SMALL_MODEL = 'mobilenet_v1_025_224_rebuilt';
const INDEXED = E2E_INDEXED;

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
  const dialogs: string[] = [];
  test.beforeAll(async ({ sharedPage: page }) => {
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${baseUrl}?catalogue=${BAD_FILES_CATALOGUE}&model=${SMALL_MODEL}&k=20`);
    await waitForState(page, 'ready');
  });

  test('lists GIFs but never an .svg; skips the truncated JPEG and the SVG named .jpg with their reasons', async ({
    sharedPage: page,
  }) => {
    const titles = await page.$$eval('[data-testid=catalogue-item]', (els) =>
      els.map((el) => el.getAttribute('title')),
    );
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
    expect(await page.textContent('[data-testid=skipped-item][data-reason=unsupported-format]')).toContain(
      'an SVG or XML document',
    );
    expect(await metric(page, 'n')).toBe(8);
    expect(dialogs).toEqual([]);
  });

  test('embeds an EXIF-rotated photo upright, and shows its thumbnail upright', async ({ sharedPage: page }) => {
    const tagged = await similarity(page, 'upright.jpg', 'exif-rotated.jpg');
    const untagged = await similarity(page, 'upright.jpg', 'rotated-no-exif.jpg');
    expect(tagged).toBeGreaterThan(0.98);
    // Without the tag applied the same pixels embed as a different picture.
    expect(untagged).toBeLessThan(tagged - 0.05);
    const size = await page.$eval(
      '[data-testid=catalogue-item][title="exif-rotated.jpg"] img',
      async (img: HTMLImageElement) => {
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      },
    );
    // Stored 128 wide and 192 high; Orientation 6 turns it back to the photo's 192×128.
    expect(size).toEqual([192, 128]);
  });

  test('decodes a CMYK JPEG to the colours of its RGB twin', async ({ sharedPage: page }) => {
    expect(await similarity(page, 'cmyk.jpg', 'cmyk-twin.png')).toBeGreaterThan(0.99);
  });

  test('embeds an animated GIF by its first frame', async ({ sharedPage: page }) => {
    const first = await similarity(page, 'animated.gif', 'first-frame.png');
    const second = await similarity(page, 'animated.gif', 'second-frame.png');
    expect(first).toBeGreaterThan(0.995);
    expect(second).toBeLessThan(first - 0.1);
  });

  test('refuses an uploaded SVG with a script before showing it; the script never runs', async ({
    sharedPage: page,
  }) => {
    await page.click('[data-testid=catalogue-item][title="upright.jpg"]');
    await waitForResults(page, 8);
    await page.setInputFiles('input[type=file][data-testid=query-file]', {
      name: 'drawing.svg',
      mimeType: 'image/svg+xml',
      buffer: makeScriptedSvg(),
    });
    const error = await page.waitForSelector('[data-testid=query-error]');
    expect(await error.textContent()).toBe(
      'drawing.svg: an SVG or XML document: only JPEG, PNG, WebP or GIF files are accepted',
    );
    // The previous query stays; nothing of the SVG reached the page.
    expect(await page.textContent('[data-testid=query-name]')).toBe('upright.jpg');
    expect(await page.$$eval('img', (imgs) => imgs.filter((img) => img.src.startsWith('blob:')).length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { svgScriptRan?: boolean }).svgScriptRan)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});

describe('a lost WebGL context', () => {
  test('moves embedding to WASM and carries on: no image lost, none embedded twice, queries still answered', async ({
    page,
  }) => {
    // One worker starts on WebGL and loses its context before its second batch of 8.
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&model=${SMALL_MODEL}&backend=webgl&workers=1&loseContext=2`);
    await waitForState(page, 'embedding', 60_000);
    await waitForState(page, 'ready');
    expect(await page.textContent('[data-testid=backend-notice]')).toBe(
      'Notice: the WEBGL context was lost; embedding continues on WASM.',
    );
    expect(await page.getAttribute('[data-metric=backend]', 'data-value')).toMatch(/^wasm/);
    expect(await metric(page, 'n')).toBe(INDEXED);
    expect(await metric(page, 'embedded-count')).toBe(INDEXED);
    expect(await metric(page, 'worker-restarts')).toBe(0);
    const tile = page.locator('[data-testid=catalogue-item][data-label=sunflower]').first();
    const id = await tile.getAttribute('data-id');
    await tile.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    const [top] = await shownResults(page, 'exact');
    expect(top.score).toBeGreaterThan(0.999);
  });
});

describe('missing or corrupt model files', () => {
  /** The error screen's text when one model file is answered by `fulfil`. */
  async function errorWith(
    page: Page,
    file: string,
    fulfil: { status: number; body: Buffer | string },
  ): Promise<string> {
    // Routed on the context, so the embedding workers' requests are answered too.
    await page.context().route(`**/models/${SMALL_MODEL}/${file}`, (route) => route.fulfill(fulfil));
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&model=${SMALL_MODEL}&workers=1`);
    await waitForState(page, 'error', 60_000);
    return (await page.textContent('[data-testid=error-screen]')) ?? '';
  }

  test('a missing weight file is named, with the fix', async ({ page }) => {
    const text = await errorWith(page, 'group1-shard1of1.bin', { status: 404, body: 'not found' });
    expect(text).toContain(`models/${SMALL_MODEL}/group1-shard1of1.bin is missing (HTTP 404).`);
    expect(text).toContain('Run `npm run setup` again');
  });

  test('a truncated weight file is named, with the sizes', async ({ page }) => {
    const text = await errorWith(page, 'group1-shard1of1.bin', { status: 200, body: Buffer.alloc(1000) });
    expect(text).toContain(
      `models/${SMALL_MODEL}/group1-shard1of1.bin holds 1000 bytes of weights, but model.json expects 1870388`,
    );
    expect(text).toContain('npm run setup');
  });

  test('a corrupt model.json is named', async ({ page }) => {
    const text = await errorWith(page, 'model.json', { status: 200, body: '{"modelTopology": {' });
    expect(text).toContain(`models/${SMALL_MODEL}/model.json is corrupt: it is not valid JSON.`);
    expect(text).toContain('npm run setup');
  });
});

describe('Content-Security-Policy', () => {
  let page: Page;
  /** Violations seen by the page (securitypolicyviolation) and by any worker (its console). */
  const violations: string[] = [];
  const workerPolicies = new Map<string, string>();
  // A page for this block, in the file's browser: the file's shared page is the bad catalogue's.
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`);
      });
    });
    const record = (text: string) => {
      if (/CSP violation|Content Security Policy/i.test(text)) violations.push(text);
    };
    page.on('console', (message) => record(message.text()));
    page.on('worker', (worker) =>
      worker.on('console', (message) => record(`worker ${worker.url()}: ${message.text()}`)),
    );
    page.on('response', async (response) => {
      const name = /\/(\w+)\.worker-[\w-]+\.js$/.exec(response.url())?.[1];
      if (name) workerPolicies.set(name, (await response.allHeaders())['content-security-policy'] ?? '');
    });
  });

  test('a whole run of the app (embed, index, query, upload, every lab) violates nothing', async () => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&model=${SMALL_MODEL}`);
    await waitForState(page, 'ready');
    await page.locator('[data-testid=catalogue-item][data-label=pizza]').first().click();
    await waitForResults(page, 10);
    await page.setInputFiles(
      'input[type=file][data-testid=query-file]',
      join(assetsDir, 'datasets', 'caltech101-40', 'watch', 'image_0040.jpg'),
    );
    await page.waitForSelector('[data-testid=query-image][src^="blob:"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-metric=embed-ms]')?.getAttribute('data-value')) > 0,
    );
    await waitForResults(page, 10);
    await page.click('[data-testid=tab-sweep]');
    await page.fill('[data-testid=sweep-queries]', '10');
    await page.click('[data-testid=run-sweep]');
    await page.waitForSelector('[data-testid=sweep-chart]');
    await page.click('[data-testid=tab-scale]');
    await page.uncheck('[data-testid=scale-n-10000]');
    await page.click('[data-testid=run-scale]');
    await page.waitForSelector('[data-testid=scale-row][data-n="1000"]', { timeout: 120_000 });
    await page.click('[data-testid=tab-evaluation]');
    await page.click('[data-testid=run-evaluation]');
    await page.waitForSelector('[data-metric=precision-at-k][data-engine=exact]');
    expect(violations).toEqual([]);
    // Each worker got its own policy; only the hnswlib workers may evaluate strings.
    expect([...workerPolicies.keys()].sort()).toEqual(['detect', 'embed', 'knownVectors', 'scale', 'search']);
    // The known-vectors worker only downloads and reads IndexedDB: no WebAssembly, no eval, no workers of its own.
    expect(workerPolicies.get('knownVectors')).toMatch(/script-src 'self';/);
    expect(workerPolicies.get('knownVectors')).not.toMatch(/wasm-unsafe-eval|unsafe-eval|worker-src|blob:/);
    // The detector runs tfjs like the embedding workers, under the same policy.
    for (const name of ['embed', 'detect']) {
      expect(workerPolicies.get(name)).toMatch(/script-src 'self' 'wasm-unsafe-eval' blob:;/);
      expect(workerPolicies.get(name)).not.toContain("'unsafe-eval'");
    }
    for (const name of ['search', 'scale'])
      expect(workerPolicies.get(name)).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval';/);
  });

  test('is sent as a header and a meta tag, names no remote origin, and blocks injected script, eval and remote fetches', async () => {
    const response = await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&model=${SMALL_MODEL}`);
    const header = (await response!.allHeaders())['content-security-policy'];
    const meta = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
    for (const policy of [header, meta]) {
      expect(policy).toMatch(/default-src 'none'/);
      expect(policy).toMatch(/script-src 'self';/);
      expect(policy).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    }
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true;';
      document.body.append(script);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.injectedHandler = true">';
      document.body.append(holder);
      // A string timer is eval run later by the page itself (DevTools lets code it evaluates use eval directly).
      (setTimeout as (code: string, ms: number) => number)('window.evaluated = true', 0);
      const remote = await fetch('https://example.com/').then(
        () => 'fetched',
        () => 'blocked',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const w = window as unknown as { injected?: boolean; injectedHandler?: boolean; evaluated?: boolean };
      return {
        injected: w.injected ?? false,
        handler: w.injectedHandler ?? false,
        evaluated: w.evaluated ?? false,
        remote,
      };
    });
    expect(outcome).toEqual({ injected: false, handler: false, evaluated: false, remote: 'blocked' });
    expect(violations.some((v) => /script-src(-elem|-attr)? blocked inline/.test(v))).toBe(true);
    expect(violations.some((v) => /connect-src blocked https:\/\/example\.com/.test(v))).toBe(true);
    expect(violations.some((v) => /script-src blocked eval/.test(v))).toBe(true);
  });
});
