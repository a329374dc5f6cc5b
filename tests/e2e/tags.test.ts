import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { byTestId } from '../../src/lib/testContract';
import { test } from './fixture';
import { shownResults, waitForState } from './page';

const baseUrl = inject('baseUrl');

/**
 * Search by words on the subset, embedded (and so tagged) in the browser: MobileNet's ImageNet
 * head calls caltech's leopards "cheetah" (checked on the default catalogue's bundle: every
 * Leopards image of the subset has that tag, and no other image has it).
 */
describe('search by words (tags)', () => {
  test.beforeAll(async ({ sharedPage }) => {
    await sharedPage.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(sharedPage, 'ready');
  });

  test('a tag query returns images of the class it names, ranked by probability', async ({ sharedPage: page }) => {
    await page.waitForFunction(
      (sel) => /^\s*[1-9]\d* of \d+ images tagged/.test(document.querySelector(sel)?.textContent ?? ''),
      byTestId('tag-status'),
    );
    expect(await page.textContent(byTestId('tag-note'))).toContain('not free-text semantic search');
    await page.fill(byTestId('tag-query'), 'Cheet');
    await page.press(byTestId('tag-query'), 'Enter');
    await page.waitForSelector('[data-testid=result][data-engine=tags][data-rank="1"]');
    const hits = await shownResults(page, 'tags');
    expect(hits.length).toBeGreaterThanOrEqual(6);
    expect(new Set(hits.map((h) => h.label))).toEqual(new Set(['Leopards']));
    expect(hits.map((h) => h.rank)).toEqual(hits.map((_, i) => i + 1));
    for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeLessThanOrEqual(hits[i - 1].score);
    // The tags show on hover, on the result and on its catalogue tile.
    expect(await page.getAttribute('[data-testid=result][data-engine=tags][data-rank="1"]', 'title')).toMatch(
      /tags: cheetah \d+%/,
    );
    expect(
      await page.textContent(`[data-testid=catalogue-item][data-id="${hits[0].id}"] [data-testid=tile-tags]`),
    ).toMatch(/cheetah \d+%/);
    expect(new URL(page.url()).searchParams.get('tags')).toBe('Cheet');
    // An image query replaces the tag query, in the grid and in the URL.
    await page.click(`[data-testid=catalogue-item][data-label=pizza]`);
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"]');
    expect(await page.$$('[data-testid=result][data-engine=tags]')).toHaveLength(0);
    expect(new URL(page.url()).searchParams.has('tags')).toBe(false);
  });

  // The same browser profile: embeddings and tags now come from browser storage, not the model.
  test('tags= in the URL restores the tag query and its results', async ({ sharedPage: page }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&tags=pizza`);
    await waitForState(page, 'ready');
    expect(await page.inputValue(byTestId('tag-query'))).toBe('pizza');
    await page.waitForSelector('[data-testid=result][data-engine=tags][data-rank="3"]');
    const hits = await shownResults(page, 'tags');
    expect(new Set(hits.map((h) => h.label))).toEqual(new Set(['pizza']));
  });

  test('"only results tagged …" keeps the image results that carry such a tag', async ({ sharedPage: page }) => {
    await page.click('[data-testid=catalogue-item][data-label=Leopards]');
    await page.waitForSelector('[data-testid=result][data-engine=exact][data-rank="1"]');
    await page.fill(byTestId('rerank-tagged'), 'cheetah');
    await page.$eval(byTestId('rerank-tagged'), (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tagged') === 'cheetah');
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid=result][data-engine=exact]')];
      return shown.length > 0 && shown.every((el) => el.getAttribute('data-label') === 'Leopards');
    });
    expect((await shownResults(page, 'exact')).length).toBeGreaterThanOrEqual(6);
  });
});
