import { readFileSync } from 'node:fs';
import { describe, expect, inject } from 'vitest';
import type { Page } from 'playwright-core';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import type { ClickEvent } from '../../src/lib/clickLog';
import { test } from './fixture';
import { waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');

const numbers = (page: Page, selector: string, attribute: string) =>
  page.$$eval(selector, (els, name) => els.map((el) => Number(el.getAttribute(name))), attribute);

async function simulate(page: Page, sessions: number): Promise<void> {
  await page.fill('[data-testid=sim-sessions]', String(sessions));
  await page.click('[data-testid=run-simulation]');
  await page.waitForSelector('[data-testid=cancel-simulation]');
  await page.waitForSelector('[data-testid=cancel-simulation]', { state: 'detached', timeout: 120_000 });
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=online-summary]')?.textContent?.includes(want),
    sessions.toLocaleString('en'),
  );
}

describe('the Online tab on the subset (simulated users)', () => {
  test('the position-bias curve falls with rank, and interleaving prefers exact to the starved index', async ({
    sharedPage: page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&view=online`);
    await waitForState(page, 'ready');
    expect(await page.inputValue('[data-testid=sim-arm-a]')).toBe('exact');
    expect(await page.inputValue('[data-testid=sim-arm-b]')).toBe('hnsw-starved');
    expect(
      await page.$eval('[data-testid=sim-arm-a] option[value=trained]', (o) => (o as HTMLOptionElement).disabled),
    ).toBe(true);

    // Position-based users, η = 1: rank r is looked at with probability 1/r.
    await simulate(page, 3000);
    const ranks = await numbers(page, '[data-testid=rank-ctr]', 'data-rank');
    const ctr = await numbers(page, '[data-testid=rank-ctr]', 'data-value');
    expect(ranks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ctr[0]).toBeGreaterThan(ctr[1]);
    expect(ctr[1]).toBeGreaterThan(ctr[2]);
    expect(ctr[2]).toBeGreaterThan(ctr[4]);
    expect(ctr[9]).toBeLessThan(ctr[4]);
    for (const arm of ['a', 'b']) {
      const value = Number(await page.getAttribute(`[data-metric=ctr][data-arm=${arm}]`, 'data-value'));
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(1);
      expect(
        Number(await page.getAttribute(`[data-metric=dwell-seconds][data-arm=${arm}]`, 'data-value')),
      ).toBeGreaterThan(0);
    }
    const [diff, low, high] = await Promise.all(
      ['data-diff', 'data-ci-low', 'data-ci-high'].map((name) => page.getAttribute('[data-testid=ab-result]', name)),
    );
    expect(Number(low)).toBeLessThanOrEqual(Number(diff));
    expect(Number(diff)).toBeLessThanOrEqual(Number(high));
    // The simulated clicks are in the log, labelled as simulated.
    expect(await page.$$('[data-testid=click-log-row][data-source=sim]')).toHaveLength(50);

    // Users who look at every rank (η = 0) see the starved index's misses further down: interleaving notices.
    await page.fill('[data-testid=sim-decay]', '0');
    await simulate(page, 5000);
    const result = '[data-testid=interleaving-result]';
    const aWins = Number(await page.getAttribute(result, 'data-a-wins'));
    const bWins = Number(await page.getAttribute(result, 'data-b-wins'));
    expect(aWins).toBeGreaterThan(bWins);
    expect(Number(await page.getAttribute(result, 'data-p-value'))).toBeLessThan(0.05);
    expect(Number(await page.getAttribute(result, 'data-sessions-needed'))).toBeGreaterThan(0);
  });

  test("a person's click in the Search tab is logged, exported as JSONL and cleared", async ({ sharedPage: page }) => {
    await page.click('[data-testid=tab-search]');
    const query = Number(await page.getAttribute('[data-testid=catalogue-item]:not(.skipped)', 'data-id'));
    await page.click(`[data-testid=catalogue-item][data-id="${query}"]`);
    await waitForResults(page, 10);
    const clicked = '[data-testid=result][data-engine=hnsw][data-rank="2"]';
    const resultId = Number(await page.getAttribute(clicked, 'data-id'));
    await page.click(`${clicked} img`);

    await page.click('[data-testid=tab-online]');
    const newest = '[data-testid=click-log-row][data-source=page]';
    await page.waitForSelector(newest);
    expect(await page.getAttribute(newest, 'data-ranker')).toBe('hnsw');
    expect(await page.getAttribute(newest, 'data-rank')).toBe('2');
    expect(Number(await page.getAttribute(newest, 'data-id'))).toBe(resultId);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=click-log-export]')]);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    const events = lines.map((line) => JSON.parse(line) as ClickEvent);
    expect(events.filter((e) => e.source === 'sim').length).toBeGreaterThan(1000);
    expect(events.at(-1)).toMatchObject({
      catalogue: E2E_CATALOGUE,
      source: 'page',
      queryId: query,
      ranker: 'hnsw',
      rank: 2,
      resultId,
      propensity: null,
    });
    for (const event of events.filter((e) => e.source === 'sim').slice(0, 100)) {
      expect(event.propensity).toBeGreaterThan(0);
      expect(event.propensity).toBeLessThanOrEqual(1);
    }

    await page.click('[data-testid=click-log-clear]');
    await page.waitForSelector('[data-testid=click-log-row]', { state: 'detached' });
  });
});
