import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { byMetric, byTestId } from '../../src/lib/testContract';
import { test } from './fixture';
import { shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const K = 10;

describe('pgvector as a third engine column', () => {
  test('fills its column, filters a hidden label in SQL, and reads its database back on reload', async ({ page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&engines=exact,hnsw,pgvector`);
    await waitForState(page, 'ready');
    const status = byTestId('pgvector-status');
    await page.waitForSelector(`${status}[data-state=ready][data-restored=false]`, { timeout: 150_000 });
    const buildMs = Number(await page.getAttribute(byMetric('pgvector-build-ms'), 'data-value'));
    expect(buildMs).toBeGreaterThan(0);

    await page.locator('[data-testid=catalogue-item][data-label=pizza]').first().click();
    await waitForResults(page, K);
    await page.waitForFunction(
      (k) => document.querySelectorAll('[data-testid=result][data-engine=pgvector]').length === k,
      K,
    );
    const exact = await shownResults(page, 'exact');
    const pgvector = await shownResults(page, 'pgvector');
    expect(pgvector[0].id).toBe(exact[0].id);
    expect(pgvector[0].score).toBeCloseTo(1, 4);
    // Its header's recall@k is the overlap of its top k with exact's, as the test counts it.
    const overlap = pgvector.filter((r) => exact.some((e) => e.id === r.id)).length / K;
    const recall = await page.getAttribute(byMetric('recall-at-k', '[data-engine=pgvector]'), 'data-value');
    expect(Number(recall)).toBeCloseTo(overlap, 6);
    expect(
      Number(await page.getAttribute(byMetric('pgvector-ms', '[data-engine=pgvector]'), 'data-value')),
    ).toBeGreaterThan(0);
    const pizzas = pgvector.filter((r) => r.label === 'pizza').length;
    expect(pizzas).toBeGreaterThan(4);

    // The hidden label becomes a WHERE: no pizza in the pgvector column, which still shows k results.
    await page.click('summary:has-text("Hide labels")');
    await page.check('[data-testid=hide-label][data-label=pizza]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=result][data-label=pizza]'));
    await page.waitForFunction(() => document.querySelector('[data-metric=pgvector-filtered-recall]') !== null);
    await page.waitForFunction(
      (k) => document.querySelectorAll('[data-testid=result][data-engine=pgvector]').length === k,
      K,
    );
    expect((await shownResults(page, 'pgvector')).filter((r) => r.label === 'pizza')).toEqual([]);
    const sql = (await page.textContent(byTestId('pgvector-sql'))) ?? '';
    expect(sql).toContain('USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 200)');
    expect(sql).toContain('SET hnsw.ef_search = 64;');
    expect(sql).toContain('WHERE NOT (id = ANY($2::int[]))');
    const filteredRecall = Number(await page.getAttribute(byMetric('pgvector-filtered-recall'), 'data-value'));
    expect(filteredRecall).toBeGreaterThanOrEqual(0);
    expect(filteredRecall).toBeLessThanOrEqual(1);

    // A second visit opens the database IndexedDB kept: no load, no rebuild.
    await page.reload();
    await waitForState(page, 'ready');
    await page.waitForSelector(`${status}[data-state=ready][data-restored=true]`, { timeout: 150_000 });
    await page.click('[data-testid=tab-storage]');
    await page.waitForSelector(`${byTestId('storage-pgvector')}[data-value="1"]`);
  });

  test('the Sweep tab sweeps ef_search for pgvector on the same queries, into the chart and the CSV', async ({
    page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&engines=exact,hnsw,pgvector&view=sweep`);
    await waitForState(page, 'ready');
    await page.waitForSelector(`${byTestId('pgvector-status')}[data-state=ready]`, { timeout: 150_000 });
    await page.fill('[data-testid=sweep-queries]', '20');
    await page.check(byTestId('sweep-pgvector'));
    await page.click('[data-testid=run-sweep]');
    await page.waitForSelector('[data-testid=sweep-chart]');
    const ladder = [11, 16, 32, 64, 128, 256, 512];
    const points = await page.$$eval(byTestId('sweep-pgvector-row'), (els) =>
      els.map((el) => ({ ef: Number(el.getAttribute('data-ef')), recall: Number(el.getAttribute('data-recall')) })),
    );
    expect(points.map((p) => p.ef)).toEqual(ladder);
    // 50 images: at ef_search 512 the graph is searched whole, so every true neighbour is found.
    expect(points.at(-1)!.recall).toBe(1);
    expect(Number(await page.getAttribute('[data-testid=sweep-chart]', 'data-points'))).toBe(2 * ladder.length);
    const csv = await page.$eval('[data-testid=sweep-csv]', async (a) =>
      (await fetch((a as HTMLAnchorElement).href)).text(),
    );
    const lines = csv.trim().split('\n').slice(1);
    expect(lines.map((line) => line.split(',').at(-1))).toEqual([
      ...ladder.map(() => 'hnswlib'),
      ...ladder.map(() => 'pgvector'),
    ]);
    const pgRecalls = lines.filter((line) => line.endsWith(',pgvector')).map((line) => Number(line.split(',')[4]));
    expect(pgRecalls).toEqual(points.map((p) => p.recall));
  });
});
