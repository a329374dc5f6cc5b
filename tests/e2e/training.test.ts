import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE, E2E_INDEXED, E2E_LABELS } from '../fixtures/catalogues';
import { byTestId } from '../../src/lib/testContract';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const EPOCHS = 12;
/** Results per engine: the app's default k. */
const K = 10;

describe('the Training and Map tabs in the built app', () => {
  test('trains a head on labels, fills the before/after table, the index uses it, and the map shows both', async ({
    page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&view=training`);
    await waitForState(page, 'ready');
    const frozenDim = await metric(page, 'dimensions');
    await page.selectOption(byTestId('train-positives'), 'labels');
    await page.fill(byTestId('train-epochs'), String(EPOCHS));
    await page.fill(byTestId('train-dim'), '32');
    await page.click(byTestId('run-training'));
    await page.waitForSelector(`${byTestId('training-status')}[data-state=done]`, { timeout: 120_000 });

    // The loss falls: every epoch reported, the last train loss below the first.
    const epochs = await page.$$eval(byTestId('training-epoch'), (rows) =>
      rows.map((row) => ({
        epoch: Number(row.getAttribute('data-epoch')),
        train: Number(row.getAttribute('data-train-loss')),
        test: Number(row.getAttribute('data-test-loss')),
      })),
    );
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(epochs.at(-1)!.train).toBeLessThan(epochs[0].train);
    expect(Number.isFinite(epochs.at(-1)!.test)).toBe(true);
    expect(await page.getAttribute(byTestId('training-status'), 'data-epoch')).toBe(String(EPOCHS));
    expect(await page.getAttribute(byTestId('training-loss-chart'), 'data-points')).toBe(String(EPOCHS));

    // Before and after on the test split, every metric a number in [0, 1]; a row per test-split class.
    const results = await page.$$eval(byTestId('training-result'), (rows) =>
      rows.map((row) => [
        row.getAttribute('data-metric'),
        Number(row.getAttribute('data-before')),
        Number(row.getAttribute('data-after')),
      ]),
    );
    expect(results.map((r) => r[0])).toEqual(['precision-at-k', 'label-recall-at-k', 'mrr', 'map-at-k', 'ndcg-at-k']);
    for (const [, before, after] of results) {
      expect(before).toBeGreaterThanOrEqual(0);
      expect(before).toBeLessThanOrEqual(1);
      expect(after).toBeGreaterThanOrEqual(0);
      expect(after).toBeLessThanOrEqual(1);
    }
    const classes = await page.$$eval(byTestId('training-class-row'), (rows) =>
      rows.map((row) => row.getAttribute('data-label')),
    );
    expect([...classes].sort()).toEqual([...E2E_LABELS].sort());

    // Use it: the index serves 32-d vectors, the model readout says so, and a query still finds itself first.
    await page.check(byTestId('use-trained'));
    await page.waitForSelector('[data-metric=dimensions][data-value="32"]', { state: 'attached', timeout: 60_000 });
    expect(await page.getAttribute('[data-metric=model]', 'data-value')).toContain('+ head');
    await waitForState(page, 'ready');
    await page.click(byTestId('tab-search'));
    const id = await page.getAttribute(`${byTestId('catalogue-item')}:not(.skipped)`, 'data-id');
    await page.click(`${byTestId('catalogue-item')}[data-id="${id}"]`);
    await page.waitForSelector(`${byTestId('result')}[data-engine=exact][data-rank="1"][data-id="${id}"]`);
    await page.waitForSelector(`${byTestId('result')}[data-engine=hnsw][data-rank="1"][data-id="${id}"]`);

    // Switching back serves the frozen embeddings again.
    await page.click(byTestId('tab-training'));
    await page.uncheck(byTestId('use-trained'));
    await page.waitForSelector(`[data-metric=dimensions][data-value="${frozenDim}"]`, {
      state: 'attached',
      timeout: 60_000,
    });

    // The map: one point per indexed image, before and after training side by side (UMAP once it is done), the
    // query and its neighbours of both engines marked.
    await waitForState(page, 'ready');
    await page.click(byTestId('tab-search'));
    await page.click(`${byTestId('catalogue-item')}[data-id="${id}"]`);
    await waitForResults(page, K);
    const exact = (await shownResults(page, 'exact')).map((r) => r.id);
    await page.click(byTestId('tab-map'));
    await page.waitForFunction(
      (n) => {
        const maps = [...document.querySelectorAll('[data-testid=embedding-map]')];
        const captions = [...document.querySelectorAll('figcaption')].map((c) => c.textContent ?? '');
        return (
          maps.length === 2 &&
          maps.every((m) => m.getAttribute('data-points') === String(n)) &&
          captions.filter((c) => c.includes('UMAP')).length === 2
        );
      },
      E2E_INDEXED,
      { timeout: 90_000 },
    );
    expect(await page.$$(byTestId('map-point-query'))).toHaveLength(2);
    const marked = await page.$$eval(`${byTestId('map-neighbour')}[data-engine=exact]`, (els) =>
      els.map((el) => Number(el.getAttribute('data-id'))),
    );
    expect(marked).toEqual([...exact, ...exact]);
    expect(await page.$$(`${byTestId('map-neighbour')}[data-engine=hnsw]`)).toHaveLength(2 * K);

    // The Online tab's trained arm: the exact top k through this head, against exact without it.
    await page.click(byTestId('tab-online'));
    // The Online panel's code loads when the tab first opens ($eval does not wait for it).
    await page.waitForSelector(byTestId('sim-arm-a'));
    expect(
      await page.$eval(`${byTestId('sim-arm-a')} option[value=trained]`, (o) => (o as HTMLOptionElement).disabled),
    ).toBe(false);
    await page.selectOption(byTestId('sim-arm-a'), 'trained');
    await page.selectOption(byTestId('sim-arm-b'), 'exact');
    await page.fill(byTestId('sim-sessions'), '500');
    await page.click(byTestId('run-simulation'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid=online-summary]')?.textContent?.includes('500'),
      undefined,
      { timeout: 120_000 },
    );
    const ctr = Number(await page.getAttribute('[data-metric=ctr][data-arm=a]', 'data-value'));
    expect(ctr).toBeGreaterThan(0);
    expect(await page.$$(byTestId('rank-ctr'))).toHaveLength(K);
  });

  test('augment embeds two views of each training image once, then reads them from the cache', async ({ page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&view=training`);
    await waitForState(page, 'ready');
    await page.selectOption(byTestId('train-positives'), 'augment');
    await page.fill(byTestId('train-epochs'), '3');
    const cost = async () => {
      await page.click(byTestId('run-training'));
      await page.waitForSelector(`${byTestId('training-status')}[data-state=done]`, { timeout: 120_000 });
      return page.textContent(byTestId('training-view-cost'));
    };
    const first = await cost();
    const trained = Number(/Trained on (\d+) images/.exec((await page.textContent(byTestId('training-summary')))!)![1]);
    expect(first).toContain(`Augmented views: ${2 * trained} `);
    expect(first).toContain(`${2 * trained} embedded`);
    expect(await page.getAttribute(byTestId('training-status'), 'data-test-loss')).toBe('');
    const second = await cost();
    expect(second).toContain(`0 embedded`);
    expect(second).toContain(`${2 * trained} read from the cache`);
  });

  test("a click or a lasso on the map filters the Search tab's catalogue grid; Clear restores it", async ({ page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(page, 'ready');
    const tiles = () =>
      page.$$eval(byTestId('catalogue-item'), (els) => els.map((el) => el.getAttribute('data-label')));
    const all = await tiles();
    const query = await page.$(`${byTestId('catalogue-item')}:not(.skipped)`);
    const label = (await query!.getAttribute('data-label'))!;
    await query!.click();
    await waitForResults(page, K);

    // A click on the query's own point picks its class.
    await page.click(byTestId('tab-map'));
    await page.waitForSelector(`${byTestId('embedding-map')}[data-points="${E2E_INDEXED}"]`);
    const mark = (await page.$(byTestId('map-point-query')))!.boundingBox();
    const point = (await mark)!;
    await page.mouse.click(point.x + point.width / 2, point.y + point.height / 2);
    await page.waitForSelector(`${byTestId('map-filtered')}[data-label="${label}"]`);
    await page.click(byTestId('tab-search'));
    const chip = byTestId('catalogue-filter');
    expect(Number(await page.getAttribute(chip, 'data-count'))).toBe(all.filter((l) => l === label).length);
    expect(new Set(await tiles())).toEqual(new Set([label]));
    await page.click(byTestId('catalogue-filter-clear'));
    expect(await page.$(chip)).toBeNull();
    expect(await tiles()).toEqual(all);

    // A lasso drawn around the whole first map takes every indexed image.
    await page.click(byTestId('tab-map'));
    const box = (await (await page.$(byTestId('embedding-map')))!.boundingBox())!;
    const corners = [
      [box.x + 3, box.y + 3],
      [box.x + box.width - 3, box.y + 3],
      [box.x + box.width - 3, box.y + box.height - 3],
      [box.x + 3, box.y + box.height - 3],
    ];
    await page.mouse.move(corners[0][0], corners[0][1]);
    await page.mouse.down();
    for (const [x, y] of corners.slice(1)) await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector(`${byTestId('map-filtered')}[data-label=""]`);
    await page.click(byTestId('tab-search'));
    expect(Number(await page.getAttribute(chip, 'data-count'))).toBe(E2E_INDEXED);
  });
});
