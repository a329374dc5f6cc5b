import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
/** Screenshots of each size, for a person to look at (git-ignored, beside the e2e build). */
const SHOTS = resolve(import.meta.dirname, '..', '.fixtures', 'screenshots');

/** The projector sizes in presenter mode, and a laptop in normal mode (issue 19). */
const SIZES = [
  { width: 1280, height: 720, present: true },
  { width: 1366, height: 768, present: true },
  { width: 1920, height: 1080, present: true },
  { width: 1440, height: 900, present: false },
];

/**
 * Elements of `selector` not wholly on screen: outside the window, or cut off by a scrolling
 * ancestor (a row scrolled out of the results is not "in view" even if its box is in the window).
 */
function notShown(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) =>
    els
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return true;
        const inside = (outer: { left: number; top: number; right: number; bottom: number }) =>
          box.left >= outer.left - 1 &&
          box.top >= outer.top - 1 &&
          box.right <= outer.right + 1 &&
          box.bottom <= outer.bottom + 1;
        if (!inside({ left: 0, top: 0, right: innerWidth, bottom: innerHeight })) return true;
        for (let up = el.parentElement; up; up = up.parentElement) {
          const style = getComputedStyle(up);
          if (style.display === 'none' || style.visibility === 'hidden') return true;
          if (
            /(auto|scroll|hidden|clip)/.test(style.overflowX + style.overflowY) &&
            !inside(up.getBoundingClientRect())
          )
            return true;
        }
        return false;
      })
      .map((el) => `${el.getAttribute('data-testid') ?? el.getAttribute('data-metric')} ${el.outerHTML.slice(0, 90)}`),
  );
}

/** Text of `selector`'s elements (their own text) in a font smaller than `px`. */
function smallerThan(page: Page, selector: string, px: number): Promise<string[]> {
  return page.$$eval(
    selector,
    (els, min) =>
      els
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''))
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => ({ text: el.textContent!.trim(), size: parseFloat(getComputedStyle(el).fontSize) }))
        .filter((t) => t.size < min)
        .map((t) => `${t.text} (${t.size}px)`),
    px,
  );
}

const settle = (page: Page) =>
  page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

describe('projector-first layout: the comparison on one screen', () => {
  let queryId = '';

  test.beforeAll(async ({ sharedPage: page }) => {
    mkdirSync(SHOTS, { recursive: true });
    // Positions are read after the arrival animations; with reduced motion there are none.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&present=1`);
    await waitForState(page, 'ready');
    // A catalogue query, from the presenter's catalogue strip.
    const tile = page.locator('[data-testid=catalogue-item][data-label=Leopards]').nth(1);
    queryId = (await tile.getAttribute('data-id'))!;
    await tile.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${queryId}"]`);
    await waitForResults(page, 10);
  });

  for (const size of SIZES) {
    const name = `${size.width}×${size.height} ${size.present ? 'presenter' : 'normal'}`;
    test(`${name}: every result of both engines, recall@k and both latencies in view, no scrolling`, async ({
      sharedPage: page,
    }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const present = (await page.getAttribute('[data-testid=presenter-toggle]', 'aria-pressed')) === 'true';
      if (present !== size.present) await page.keyboard.press('f');
      await page.waitForFunction((on) => document.documentElement.classList.contains('present') === on, size.present);
      await waitForResults(page, 10);
      await settle(page);
      await page.screenshot({ path: join(SHOTS, `projector-${size.width}x${size.height}.png`) });

      for (const engine of ['exact', 'hnsw']) {
        expect(await page.$$(`[data-testid=result][data-engine=${engine}]`)).toHaveLength(10);
        expect(await notShown(page, `[data-testid=result][data-engine=${engine}]`), engine).toEqual([]);
      }
      for (const name of ['recall-at-k', 'exact-ms', 'hnsw-ms', 'exact-first-ms', 'hnsw-first-ms']) {
        expect(await notShown(page, `[data-metric=${name}]`), name).toEqual([]);
        expect(await metric(page, name), name).toBeGreaterThanOrEqual(0);
      }
      expect(await notShown(page, '[data-testid=query-image]')).toEqual([]);
      // The page itself never scrolls.
      expect(
        await page.evaluate(() => [
          document.documentElement.scrollHeight - innerHeight,
          document.documentElement.scrollWidth - innerWidth,
        ]),
      ).toEqual([0, 0]);

      // Rank by rank: the engines' results of one rank share a row.
      for (let rank = 1; rank <= 10; rank++) {
        const tops = await page.$$eval(`[data-testid=result][data-rank="${rank}"]`, (els) =>
          els.map((el) => el.getBoundingClientRect().top),
        );
        expect(tops).toHaveLength(2);
        expect(Math.abs(tops[0] - tops[1]), `rank ${rank}`).toBeLessThanOrEqual(3);
      }
      // The header says which statistic the latency is, in words on the page.
      for (const engine of ['exact', 'hnsw']) {
        const header = await page.textContent(`[data-testid=results-${engine}]`);
        expect(header).toContain('warm median of 7');
        expect(header).toContain('first run');
        expect(await page.locator(`[data-testid=results-${engine}]`).getByText('warm median of 7').isVisible()).toBe(
          true,
        );
      }
    });
  }

  test('result-row groups the results of one rank, one per engine, in rank order', async ({ sharedPage: page }) => {
    const rows = await page.$$eval('[data-testid=result-row]', (els) =>
      els.map((row) => ({
        rank: row.getAttribute('data-rank'),
        results: [...row.querySelectorAll('[data-testid=result]')].map(
          (r) => `${r.getAttribute('data-engine')}:${r.getAttribute('data-rank')}`,
        ),
      })),
    );
    expect(rows).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ rank: String(i + 1), results: [`exact:${i + 1}`, `hnsw:${i + 1}`] })),
    );
  });

  test('engines= picks the columns: engines=hnsw shows HNSW alone, its recall still measured against exact', async ({
    page,
  }) => {
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&q=3&engines=hnsw`);
    await page.waitForSelector('[data-testid=result][data-engine=hnsw][data-rank="10"]');
    expect(await page.$$('[data-testid=results-exact]')).toHaveLength(0);
    expect(await page.$$('[data-testid=result][data-engine=exact]')).toHaveLength(0);
    const recall = await page.getAttribute('[data-metric=recall-at-k][data-engine=hnsw]', 'data-value');
    expect(Number(recall)).toBeGreaterThan(0);
    expect((await shownResults(page, 'hnsw'))[0].id).toBe(3);
  });

  test('presenter mode at 1280×720: captions and header values at least 18 px; the readouts drawer opens with i', async ({
    sharedPage: page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    if ((await page.getAttribute('[data-testid=presenter-toggle]', 'aria-pressed')) !== 'true') {
      await page.keyboard.press('f');
    }
    await page.waitForFunction(() => document.documentElement.classList.contains('present'));
    await settle(page);
    expect(await smallerThan(page, '[data-testid=result] *', 18)).toEqual([]);
    expect(await smallerThan(page, '[data-testid=results-exact] *, [data-testid=results-hnsw] *', 18)).toEqual([]);
    // The query is large: at least a fifth of the screen's width or a third of its height.
    const query = (await page.$eval('[data-testid=query-image]', (el) => el.getBoundingClientRect().toJSON())) as {
      width: number;
      height: number;
    };
    expect(query.width >= 1280 / 5 || query.height >= 720 / 3).toBe(true);

    // The full readouts are a drawer: closed in presenter mode, i opens it, Esc (or i) closes it.
    const drawer = '[data-testid=readouts-drawer]';
    expect(await page.getAttribute(drawer, 'data-open')).toBe('false');
    expect(await page.isVisible(`${drawer} [data-metric=n]`)).toBe(false);
    await page.keyboard.press('i');
    await page.waitForSelector(`${drawer}[data-open=true] [data-metric=n]`);
    expect(await page.getAttribute('[data-testid=readouts-toggle]', 'aria-expanded')).toBe('true');
    expect(await smallerThan(page, `${drawer} dd, ${drawer} dd *`, 18)).toEqual([]);
    expect(await notShown(page, `${drawer} [data-metric=n]`)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForSelector(`${drawer}[data-open=false]`, { state: 'attached' });
    await page.keyboard.press('i');
    await page.waitForSelector(`${drawer}[data-open=true]`);
    await page.keyboard.press('i');
    await page.waitForSelector(`${drawer}[data-open=false]`, { state: 'attached' });
    // The key is in the ? list.
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=shortcut][data-action=toggle-readouts]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=shortcuts-overlay]', { state: 'detached' });

    // n / p still walk the catalogue, and the strip shows where.
    await page.keyboard.press('n');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('q') !== id, queryId);
    const next = new URL(page.url()).searchParams.get('q');
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${next}"]`);
    await settle(page);
    expect(await notShown(page, '[data-testid=catalogue-item].current')).toEqual([]);
    await page.keyboard.press('p');
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${queryId}"]`);
  });

  test('normal mode: the panel is docked and open; i hides it and shows it again', async ({ sharedPage: page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    if ((await page.getAttribute('[data-testid=presenter-toggle]', 'aria-pressed')) === 'true') {
      await page.keyboard.press('f');
    }
    const drawer = '[data-testid=readouts-drawer]';
    await page.waitForSelector(`${drawer}[data-open=true] [data-testid=knob-k]`);
    await page.keyboard.press('i');
    await page.waitForSelector(`${drawer}[data-open=false]`, { state: 'attached' });
    expect(await page.isVisible('[data-testid=knob-k]')).toBe(false);
    // Escape leaves the docked panel alone: it only closes the drawer over the view.
    await page.keyboard.press('i');
    await page.waitForSelector(`${drawer}[data-open=true]`);
    await page.keyboard.press('Escape');
    expect(await page.getAttribute(drawer, 'data-open')).toBe('true');
  });

  test('a new query or a changed efSearch animates what moved, unless reduced motion is asked for', async ({
    sharedPage: page,
  }) => {
    const arrivals = () =>
      page.evaluate(
        () =>
          document
            .getAnimations()
            .filter((a) => a instanceof CSSAnimation && a.animationName.includes('arrive') && a.playState === 'running')
            .length,
      );
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.keyboard.press('n');
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .some((a) => a instanceof CSSAnimation && a.animationName.includes('arrive') && a.playState === 'running'),
    );
    await settle(page);
    // A changed efSearch: the HNSW header's knobs flash (and any result that moved arrives anew).
    await page.keyboard.press('e');
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .some((a) => a instanceof CSSAnimation && a.animationName.includes('flash') && a.playState === 'running'),
    );
    expect(await page.textContent('[data-testid=results-hnsw]')).toContain('efSearch 128');
    await page.keyboard.press('E');
    await settle(page);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.keyboard.press('n');
    await waitForResults(page, 10);
    expect(await arrivals()).toBe(0);
  });
});

describe('projector-first layout: misses, crops and the other tabs', () => {
  test('a miss is marked on the exact result, in its own row; an extra is marked where HNSW has it', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    // A sparse graph searched with the smallest candidate list misses true neighbours even at N = 48.
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&M=3&efc=10&ef=1&present=1`);
    await waitForState(page, 'ready');
    let recall = 1;
    for (let i = 0; i < 48 && recall === 1; i++) {
      const before = new URL(page.url()).searchParams.get('q');
      await page.keyboard.press('n');
      await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') !== q, before);
      // A catalogue image finds itself first: then the figures are this query's.
      const q = new URL(page.url()).searchParams.get('q');
      await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${q}"]`);
      await waitForResults(page, 10);
      recall = await metric(page, 'recall-at-k');
    }
    expect(recall).toBeLessThan(1);
    const exact = await shownResults(page, 'exact');
    const hnswIds = new Set((await shownResults(page, 'hnsw')).map((r) => r.id));
    const marks = await page.$$eval('[data-testid=missed-result]', (els) =>
      els.map((el) => ({
        id: Number(el.getAttribute('data-id')),
        by: el.getAttribute('data-missed-by'),
        row: Number(el.closest('[data-testid=result-row]')!.getAttribute('data-rank')),
        on: el.closest('[data-testid=result]')!.getAttribute('data-engine'),
      })),
    );
    expect(marks).toEqual(
      exact.filter((r) => !hnswIds.has(r.id)).map((r) => ({ id: r.id, by: 'hnsw', row: r.rank, on: 'exact' })),
    );
    const exactIds = new Set(exact.map((r) => r.id));
    const extras = await page.$$eval('[data-testid=result][data-engine=hnsw]', (els) =>
      els.filter((el) => el.textContent!.includes('not in Exact')).map((el) => Number(el.getAttribute('data-id'))),
    );
    expect(extras).toEqual((await shownResults(page, 'hnsw')).filter((r) => !exactIds.has(r.id)).map((r) => r.id));
    expect(await notShown(page, '[data-testid=missed-result]')).toEqual([]);
  });

  test('a query with a crop shows the image with its region, and the results, on one 1280×720 screen', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&q=3&crop=20,20,120,90&present=1`);
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-testid=crop-box][data-searched=true]');
    await page.waitForSelector('[data-testid=crop-preview][data-crop="20,20,120,90"]');
    await waitForResults(page, 10);
    await settle(page);
    await page.screenshot({ path: join(SHOTS, 'projector-1280x720-crop.png') });
    for (const id of ['crop-image', 'crop-box', 'query-image', 'result']) {
      expect(await notShown(page, `[data-testid=${id}]`), id).toEqual([]);
    }
    expect(await notShown(page, '[data-metric=recall-at-k]')).toEqual([]);
  });

  test('the Pipeline tab and a lab chart fit 1280×720 in presenter mode', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}&q=3&present=1&view=pipeline`);
    await waitForState(page, 'ready');
    await page.waitForSelector('[data-stage=ann]:not([data-ms=""])');
    await page.screenshot({ path: join(SHOTS, 'projector-1280x720-pipeline.png') });
    // Prediction: detect, preprocess, embed, ann, exact, rerank, results; indexing: store, indexing, index.
    expect(await page.$$('[data-stage]')).toHaveLength(10);
    expect(await notShown(page, '[data-stage]')).toEqual([]);

    await page.click('[data-testid=tab-sweep]');
    await page.fill('[data-testid=sweep-queries]', '10');
    await page.click('[data-testid=run-sweep]');
    await page.waitForSelector('[data-testid=sweep-chart]', { timeout: 120_000 });
    await page.screenshot({ path: join(SHOTS, 'projector-1280x720-sweep.png') });
    expect(await notShown(page, '[data-testid=sweep-chart]')).toEqual([]);
  });
});
