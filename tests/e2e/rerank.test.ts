import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE, NEAR_DUPLICATE_PAIR } from '../fixtures/catalogues';
import { test } from './fixture';
import { shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');

interface Removed {
  engine: string;
  id: number;
  reason: string;
  label: string;
  duplicateOf: number | null;
}

async function removedItems(page: Page): Promise<Removed[]> {
  return page.$$eval('[data-testid=removed-item]', (els) =>
    els.map((el) => ({
      engine: el.getAttribute('data-engine')!,
      id: Number(el.getAttribute('data-id')),
      reason: el.getAttribute('data-reason')!,
      label: el.getAttribute('data-label')!,
      duplicateOf: el.hasAttribute('data-duplicate-of') ? Number(el.getAttribute('data-duplicate-of')) : null,
    })),
  );
}

async function tileId(page: Page, file: string): Promise<number> {
  return Number(await page.getAttribute(`[data-testid=catalogue-item][title="${file}"]`, 'data-id'));
}

const urlParams = (page: Page) => new URL(page.url()).searchParams;

describe('the re-ranking service in the built app', () => {
  test.beforeAll(async ({ sharedPage }) => {
    await sharedPage.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(sharedPage, 'ready');
  });

  test('the near-duplicate threshold removes the known near-identical pair from both columns, saying why', async ({
    sharedPage: page,
  }) => {
    const [original, copy] = [await tileId(page, NEAR_DUPLICATE_PAIR[0]), await tileId(page, NEAR_DUPLICATE_PAIR[1])];
    await page.click(`[data-testid=catalogue-item][data-id="${original}"]`);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${original}"]`);
    await waitForResults(page, 10);
    for (const engine of ['exact', 'hnsw'] as const) {
      const results = await shownResults(page, engine);
      expect(results[1]).toMatchObject({ id: copy, label: 'llama' });
      // A rescaled copy; nothing else in the subset is that close.
      expect(results[1].score).toBeGreaterThan(0.95);
      expect(results[2].score).toBeLessThan(0.9);
    }
    expect(await removedItems(page)).toEqual([]);

    await page.check('[data-testid=dedup-toggle]');
    await page.waitForSelector(`[data-testid=removed-item][data-engine=hnsw][data-id="${copy}"]`);
    expect(urlParams(page).get('dedup')).toBe('0.95');
    await waitForResults(page, 10);
    for (const engine of ['exact', 'hnsw'] as const) {
      const ids = (await shownResults(page, engine)).map((r) => r.id);
      expect(ids[0]).toBe(original);
      expect(ids).not.toContain(copy);
    }
    const removed = await removedItems(page);
    expect(removed).toEqual([
      { engine: 'exact', id: copy, reason: 'near-duplicate', label: 'llama', duplicateOf: original },
      { engine: 'hnsw', id: copy, reason: 'near-duplicate', label: 'llama', duplicateOf: original },
    ]);
    expect(await page.textContent('[data-testid=removed-item][data-engine=exact]')).toContain(
      `near-duplicate of ${NEAR_DUPLICATE_PAIR[0]}`,
    );

    // A threshold above the pair's similarity (0.99996 with the default model) keeps both.
    await page.fill('[data-testid=knob-dedup]', '0.99999');
    await page.press('[data-testid=knob-dedup]', 'Enter');
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="2"][data-id="${copy}"]`);
    expect(await removedItems(page)).toEqual([]);
    await page.uncheck('[data-testid=dedup-toggle]');
    expect(urlParams(page).has('dedup')).toBe(false);
  });

  test('a hidden label disappears from both columns, which still show k results', async ({ sharedPage: page }) => {
    await page.locator('[data-testid=catalogue-item][data-label=pizza]').first().click();
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=pizza]');
    await waitForResults(page, 10);
    const before = [...(await shownResults(page, 'exact')), ...(await shownResults(page, 'hnsw'))];
    const pizzas = before.filter((r) => r.label === 'pizza');
    expect(pizzas.length).toBeGreaterThan(4);

    await page.click('summary:has-text("Hide labels")');
    await page.check('[data-testid=hide-label][data-label=pizza]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=result][data-label=pizza]'));
    await waitForResults(page, 10);
    expect(urlParams(page).getAll('hide')).toEqual(['pizza']);
    const removed = await removedItems(page);
    for (const engine of ['exact', 'hnsw'] as const) {
      expect((await shownResults(page, engine)).filter((r) => r.label === 'pizza')).toEqual([]);
      const gone = removed.filter((r) => r.engine === engine);
      // Every pizza image is within the 30 candidates of a pizza query in a 50-image catalogue.
      // Every pizza that was shown is listed as removed (the 30 candidates hold more of them).
      expect(gone.map((r) => r.id)).toEqual(
        expect.arrayContaining(pizzas.filter((r) => r.engine === engine).map((r) => r.id)),
      );
      expect(gone.every((r) => r.reason === 'hidden-label' && r.label === 'pizza')).toBe(true);
    }

    // Re-ranking off shows the raw lists again without forgetting the setting.
    await page.uncheck('[data-testid=rerank-toggle]');
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=pizza]');
    expect(urlParams(page).get('rerank')).toBe('0');
    expect(await removedItems(page)).toEqual([]);
    await page.check('[data-testid=rerank-toggle]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=result][data-label=pizza]'));
    await page.uncheck('[data-testid=hide-label][data-label=pizza]');
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=pizza]');
  });

  test('an image marked private or flagged never appears in results, until unmarked', async ({ sharedPage: page }) => {
    await page.locator('[data-testid=catalogue-item][data-label=watch]').first().click();
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=watch]');
    await waitForResults(page, 10);
    const second = (await shownResults(page, 'hnsw'))[1].id;
    const third = (await shownResults(page, 'hnsw'))[2].id;
    await page.click(`[data-testid=result][data-engine=hnsw][data-id="${second}"] [data-testid=mark-private]`);
    await page.waitForSelector(
      `[data-testid=removed-item][data-engine=hnsw][data-id="${second}"][data-reason=private]`,
    );
    await page.click(`[data-testid=result][data-engine=exact][data-id="${third}"] [data-testid=mark-flagged]`);
    await page.waitForSelector(
      `[data-testid=removed-item][data-engine=exact][data-id="${third}"][data-reason=flagged]`,
    );
    await waitForResults(page, 10);
    for (const engine of ['exact', 'hnsw'] as const) {
      const ids = (await shownResults(page, engine)).map((r) => r.id);
      expect(ids).not.toContain(second);
      expect(ids).not.toContain(third);
    }
    expect(urlParams(page).get('private')).toBe(String(second));
    expect(urlParams(page).get('flagged')).toBe(String(third));

    // Another query: the marks still hold.
    await page.click(`[data-testid=catalogue-item][data-id="${second}"]`);
    await page.waitForSelector(
      `[data-testid=removed-item][data-engine=exact][data-id="${second}"][data-reason=private]`,
    );
    expect((await shownResults(page, 'exact')).map((r) => r.id)).not.toContain(second);

    await page.click(`[data-testid=removed-item][data-engine=exact][data-id="${second}"] [data-testid=unmark]`);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${second}"]`);
    await page.click('[data-testid=clear-marks]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=removed-item]'));
    expect(urlParams(page).has('flagged')).toBe(false);
  });

  test('MMR diversity re-orders both columns, keeping the best match first', async ({ sharedPage: page }) => {
    await page.locator('[data-testid=catalogue-item][data-label=Leopards]').first().click();
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"][data-label=Leopards]');
    await waitForResults(page, 10);
    const rawResults = await shownResults(page, 'exact');
    const raw = rawResults.map((r) => r.id);
    const rawLabels = new Set(rawResults.map((r) => r.label)).size;
    await page.check('[data-testid=mmr-toggle]');
    await page.fill('[data-testid=knob-mmr]', '0.2');
    await page.press('[data-testid=knob-mmr]', 'Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('mmr') === '0.2');
    await page.waitForFunction((before) => {
      const ids = [...document.querySelectorAll('[data-testid=result][data-engine=exact]')].map((el) =>
        Number(el.getAttribute('data-id')),
      );
      return ids.length === 10 && ids.join() !== before.join();
    }, raw);
    for (const engine of ['exact', 'hnsw'] as const) {
      const diverse = await shownResults(page, engine);
      expect(diverse[0].id).toBe(raw[0]);
      // Novelty now outweighs similarity: more labels than the plain top 10, scores no longer descending.
      expect(new Set(diverse.map((r) => r.label)).size).toBeGreaterThan(rawLabels);
      expect(diverse.some((r, i) => i > 0 && r.score > diverse[i - 1].score)).toBe(true);
    }
    await page.uncheck('[data-testid=mmr-toggle]');
    await page.waitForFunction((before) => {
      const ids = [...document.querySelectorAll('[data-testid=result][data-engine=exact]')].map((el) =>
        Number(el.getAttribute('data-id')),
      );
      return ids.join() === before.join();
    }, raw);
  });

  test('a shared URL restores the re-ranking knobs and applies them to the query', async ({ sharedPage: page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&dedup=0.95&mmr=0.7&hide=watch`);
    await waitForState(page, 'ready');
    expect(await page.isChecked('[data-testid=dedup-toggle]')).toBe(true);
    expect(await page.inputValue('[data-testid=knob-dedup]')).toBe('0.95');
    expect(await page.inputValue('[data-testid=knob-mmr]')).toBe('0.7');
    await page.locator('[data-testid=catalogue-item][data-label=watch]').first().click();
    await page.waitForSelector('[data-testid=removed-item][data-reason=hidden-label]');
    // The query image itself is a watch: hidden too.
    await waitForResults(page, 10);
    expect(
      [...(await shownResults(page, 'exact')), ...(await shownResults(page, 'hnsw'))].filter(
        (r) => r.label === 'watch',
      ),
    ).toEqual([]);
  });
});
