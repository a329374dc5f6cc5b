import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE, E2E_INDEXED } from '../fixtures/catalogues';
import { byMetric, byTestId } from '../../src/lib/testContract';
import { test } from './fixture';
import { shownResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const K = 5;

describe('the quantization lab and the quantized engines in the built app', () => {
  test('fills its table and chart for every method; float32 is the reference and scores as the Evaluation tab', async ({
    sharedPage: page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&k=${K}&view=quantization`);
    await waitForState(page, 'ready');
    const dim = Number(await page.getAttribute(byMetric('dimensions'), 'data-value'));
    await page.fill(byTestId('quant-pq-m'), '8');
    await page.fill(byTestId('quant-rescore'), '20');
    await page.click(byTestId('run-quantization'));
    await page.waitForSelector(byTestId('quant-chart'), { timeout: 120_000 });

    const rows = await page.$$eval('[data-testid=quant-row]', (els) =>
      els.map((el) => ({
        method: el.getAttribute('data-method'),
        bytes: Number(el.getAttribute('data-bytes-per-vector')),
        recall: Number(el.getAttribute('data-recall')),
        p50: Number(el.getAttribute('data-p50-ms')),
        map: Number(el.getAttribute('data-map')),
      })),
    );
    expect(rows.map((r) => r.method)).toEqual(['float32', 'sq8', 'binary', 'binary-rescore', 'pq', 'ivf-pq']);
    const by = new Map(rows.map((r) => [r.method, r]));
    expect(by.get('float32')!.recall).toBe(1);
    expect(by.get('float32')!.bytes).toBe(dim * 4);
    expect(by.get('sq8')!.bytes).toBe(Math.ceil(dim / 16) * 16);
    expect(by.get('binary')!.bytes).toBe(Math.ceil(dim / 64) * 8);
    expect(by.get('pq')!.bytes).toBe(8);
    expect(by.get('ivf-pq')!.bytes).toBe(8 + 4);
    for (const row of rows) {
      expect(row.recall).toBeGreaterThanOrEqual(0);
      expect(row.recall).toBeLessThanOrEqual(1);
      expect(row.map).toBeGreaterThanOrEqual(0);
      expect(row.p50).toBeGreaterThanOrEqual(0);
    }
    // Rescoring 20 Hamming candidates with the floats finds at least what the codes alone find.
    expect(by.get('binary-rescore')!.recall).toBeGreaterThanOrEqual(by.get('binary')!.recall);
    expect(Number(await page.getAttribute(byTestId('quant-chart'), 'data-points'))).toBe(6);
    const blank = await page.$eval(byTestId('quant-chart'), (canvas) => {
      const c = canvas as HTMLCanvasElement;
      return c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.every((v, i) => i % 4 === 3 || v === 255);
    });
    expect(blank).toBe(false);
    const csv = await page.$eval(byTestId('quant-csv'), async (a) =>
      (await fetch((a as HTMLAnchorElement).href)).text(),
    );
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe(
      'method,bytes_per_vector,total_bytes,train_ms,p50_ms,p95_ms,recall,needs_floats,map,ndcg,k,queries',
    );
    expect(lines).toHaveLength(6);
    // Fewer indexed images than the default 300 queries: every image is a query, as in the Evaluation tab.
    for (const line of lines) expect(line.split(',').slice(-2)).toEqual([String(K), String(E2E_INDEXED)]);

    await page.click(byTestId('tab-evaluation'));
    await page.fill(byTestId('eval-k'), String(K));
    await page.click(byTestId('run-evaluation'));
    await page.waitForSelector(byTestId('evaluation-summary'));
    const exactMap = Number(await page.getAttribute(byMetric('map-at-k', '[data-engine=exact]'), 'data-value'));
    expect(by.get('float32')!.map).toBeCloseTo(exactMap, 9);
  });

  test('binary codes after a random rotation: the same bytes a vector, the rotation in memory', async ({
    sharedPage: page,
  }) => {
    const rowOf = async (method: string) => {
      const row = byTestId('quant-row', `[data-method=${method}]`);
      return {
        name: (await page.textContent(`${row} td:first-child`))!,
        bytes: Number(await page.getAttribute(row, 'data-bytes-per-vector')),
        recall: Number(await page.getAttribute(row, 'data-recall')),
      };
    };
    // The previous test ended on the Evaluation tab; the lab's last run is still shown on its own.
    await page.click(byTestId('tab-quantization'));
    const plain = await rowOf('binary');
    await page.check(byTestId('quant-rotate'));
    await page.click(byTestId('run-quantization'));
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent?.includes('rotated'),
      `${byTestId('quant-row', '[data-method=binary]')} td:first-child`,
      { timeout: 120_000 },
    );
    const rotated = await rowOf('binary');
    expect(plain.name).not.toContain('rotated');
    expect(rotated.bytes).toBe(plain.bytes);
    expect(rotated.recall).toBeGreaterThanOrEqual(0);
    expect(rotated.recall).toBeLessThanOrEqual(1);
    expect((await rowOf('sq8')).name).not.toContain('rotated');
  });

  test('a quantized column appears in Search with its recall readout', async ({ sharedPage: page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&k=${K}&engines=exact,hnsw,sq8,binary-rescore`);
    await waitForState(page, 'ready');
    const id = await page.getAttribute('[data-testid=catalogue-item]:not(.skipped)', 'data-id');
    await page.click(`[data-testid=catalogue-item][data-id="${id}"]`);
    await page.waitForFunction(
      (k) =>
        ['exact', 'sq8', 'binary-rescore'].every(
          (engine) => document.querySelectorAll(`[data-testid=result][data-engine=${engine}]`).length === k,
        ),
      K,
    );
    expect(await page.$(byTestId('results-sq8'))).not.toBeNull();
    expect(await page.$(byTestId('results-binary'))).toBeNull();
    const sq8 = await shownResults(page, 'sq8');
    expect(sq8[0].id).toBe(Number(id));
    const recall = Number(await page.getAttribute(byMetric('recall-at-k', '[data-engine=sq8]'), 'data-value'));
    expect(recall).toBeGreaterThanOrEqual(0);
    expect(recall).toBeLessThanOrEqual(1);
    // The default rescoring depth (200) is past the catalogue's size: every vector is rescored, so it is exact.
    const rescored = Number(
      await page.getAttribute(byMetric('recall-at-k', '[data-engine=binary-rescore]'), 'data-value'),
    );
    expect(rescored).toBe(1);
    expect((await shownResults(page, 'binary-rescore')).map((r) => r.id)).toEqual(
      (await shownResults(page, 'exact')).map((r) => r.id),
    );
    expect(
      Number(await page.getAttribute(byMetric('quant-ms', '[data-engine=sq8]'), 'data-value')),
    ).toBeGreaterThanOrEqual(0);

    // Chosen in the Setup panel too: ticking Binary adds its column and its key to the URL.
    await page.check(byTestId('engine-toggle', '[data-engine=binary]'));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('engines')?.includes('binary,'));
    await page.waitForSelector('[data-testid=result][data-engine=binary]');
    expect(new URL(page.url()).searchParams.get('engines')).toBe('exact,hnsw,sq8,binary,binary-rescore');
  });

  test('PQ trains off the search worker: exact answers first, PQ fills in, its codebooks are kept', async ({
    page,
  }) => {
    // Every change of the page is watched from the start: was there a moment with exact's results and no PQ's?
    await page.addInitScript(() => {
      const seen = { exactFirst: false, status: false };
      (window as unknown as { pqOrder: typeof seen }).pqOrder = seen;
      new MutationObserver(() => {
        const count = (engine: string) =>
          document.querySelectorAll(`[data-testid=result][data-engine=${engine}]`).length;
        if (count('exact') > 0 && count('pq') === 0) seen.exactFirst = true;
        if (document.querySelector('[data-testid=engine-status][data-engine=pq]')) seen.status = true;
      }).observe(document, { subtree: true, childList: true });
    });
    const id = 3;
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&k=${K}&engines=exact,hnsw,pq&q=${id}`);
    await waitForState(page, 'ready');
    await page.waitForFunction(
      (k) => document.querySelectorAll('[data-testid=result][data-engine=pq]').length === k,
      K,
      { timeout: 60_000 },
    );
    // The query ran as soon as the index served, while PQ's worker was still starting: exact answered without it.
    const order = await page.evaluate(() => (window as unknown as { pqOrder: object }).pqOrder);
    expect(order).toEqual({ exactFirst: true, status: true });
    expect(await page.$(byTestId('engine-status', '[data-engine=pq]'))).toBeNull();
    const recall = Number(await page.getAttribute(byMetric('recall-at-k', '[data-engine=pq]'), 'data-value'));
    expect(recall).toBeGreaterThan(0);
    // Kept in its own IndexedDB database, keyed by catalogue, model, m and seed, with the codes of every image.
    const stored = await page.evaluate(
      () =>
        new Promise<{ key: string; rows: number }[]>((resolve, reject) => {
          const open = indexedDB.open('visual-search-lab-pq');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('codebooks').objectStore('codebooks').getAll();
            all.onsuccess = () =>
              resolve(all.result.map((r: { key: string; ids: Int32Array }) => ({ key: r.key, rows: r.ids.length })));
          };
        }),
    );
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0].key)).toEqual([E2E_CATALOGUE, expect.any(String), expect.any(Number), 7]);
    expect(stored[0].rows).toBe(E2E_INDEXED);
  });

  test('the Scale lab measures the compact codes beside HNSW, and refuses HNSW at a million', async ({
    sharedPage: page,
  }) => {
    await page.click(byTestId('tab-scale'));
    await page.uncheck(byTestId('scale-n-10000'));
    await page.check(byTestId('scale-compact'));
    await page.click(byTestId('run-scale'));
    await page.waitForSelector('[data-testid=scale-row][data-n="1000"][data-method=binary-rescore]', {
      timeout: 120_000,
    });
    const compact = await page.$$eval('[data-testid=scale-row][data-method]', (els) =>
      els.map((el) => ({
        method: el.getAttribute('data-method'),
        n: el.getAttribute('data-n'),
        recall: Number(el.getAttribute('data-recall')),
        bytes: Number(el.getAttribute('data-code-bytes')),
      })),
    );
    const dim = Number(await page.getAttribute(byMetric('dimensions'), 'data-value'));
    expect(compact).toEqual([
      { method: 'sq8', n: '1000', recall: expect.any(Number), bytes: 1000 * Math.ceil(dim / 16) * 16 },
      { method: 'binary-rescore', n: '1000', recall: expect.any(Number), bytes: (1000 * Math.ceil(dim / 64) * 64) / 8 },
    ]);
    // Rescoring 1,000 regenerated rows out of 1,000 is the exact scan.
    expect(compact[1].recall).toBeCloseTo(1, 9);
    expect(await page.$('[data-testid=scale-row][data-n="1000"]:not([data-method])')).not.toBeNull();

    await page.uncheck(byTestId('scale-n-1000'));
    await page.uncheck(byTestId('scale-compact'));
    await page.check(byTestId('scale-n-1000000'));
    await page.click(byTestId('run-scale'));
    const refused = await page.waitForSelector(byTestId('scale-refused'));
    expect(await refused.textContent()).toMatch(/1,000,000 vectors would pass the 2 GiB wasm heap/);
  });
});
