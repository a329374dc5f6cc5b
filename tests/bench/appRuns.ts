import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seededSample } from '../../src/lib/experiments';
import { median } from '../../src/lib/stats';
import { launchPersistentChromium } from '../e2e/browser';
import { metric, waitForResults, waitForState } from '../e2e/page';

/** Measurements of the built app through its testing contract, as a person would meet it. */

const LONG = 60 * 60_000;

interface Watched {
  longTasks: { start: number; duration: number }[];
  /** When the status bar first said `embedding`: catalogue indexing starts. */
  indexingFrom: number | null;
}

/** Records main-thread long tasks from the first script on, and when catalogue indexing starts. */
function watchLongTasks(): void {
  const watched: Watched = { longTasks: [], indexingFrom: null };
  (window as unknown as { watched: Watched }).watched = watched;
  new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => watched.longTasks.push({ start: e.startTime, duration: e.duration })),
  ).observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    if (watched.indexingFrom === null && document.querySelector('[data-testid=index-status][data-state=embedding]')) {
      watched.indexingFrom = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}

export interface PageLoad {
  /** ms from navigation start until the index is ready: the app's `ready-ms` when it reports one. */
  readyMs: number;
  /** ms from navigation start until both result columns show a clicked catalogue image's answers. */
  firstResultMs: number;
  /** Main-thread long tasks while the catalogue is embedded and indexed, and over the whole load (start-up included). */
  longTaskCount: number;
  longTaskMaxMs: number;
  loadLongTaskMaxMs: number;
  embedSeconds: number;
  buildMs: number;
  n: number;
  /** The Backend readout, e.g. `wasm + SIMD`. */
  backend: string;
  /** JS and wasm memory of the page and its workers (measureUserAgentSpecificMemory), and the main thread's JS heap. */
  memoryBytes: number;
  workerMemoryBytes: number;
  mainJsHeapBytes: number;
}

async function loadToFirstResult(context: BrowserContext, url: string): Promise<PageLoad> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await waitForState(page, 'ready', LONG);
    const readyAt = await page.evaluate(() => performance.now());
    const reported = (await page.$('[data-metric=ready-ms]')) ? await metric(page, 'ready-ms') : NaN;
    const [longTaskCount, longTaskMaxMs, loadLongTaskMaxMs] = await page.evaluate(() => {
      const { longTasks, indexingFrom } = (window as unknown as { watched: Watched }).watched;
      const indexing = longTasks
        .filter((t) => indexingFrom !== null && t.start + t.duration > indexingFrom)
        .map((t) => t.duration);
      return [indexing.length, Math.max(0, ...indexing), Math.max(0, ...longTasks.map((t) => t.duration))];
    });
    await page.click('[data-testid=catalogue-item]:not(.skipped)');
    await waitForResults(page, Math.min(10, await metric(page, 'n')));
    const firstResultMs = await page.evaluate(() => performance.now());
    return {
      readyMs: Number.isFinite(reported) && reported > 0 ? reported : readyAt,
      firstResultMs,
      longTaskCount,
      longTaskMaxMs,
      loadLongTaskMaxMs,
      embedSeconds: await metric(page, 'embed-seconds'),
      buildMs: await metric(page, 'build-ms'),
      n: await metric(page, 'n'),
      backend: (await page.textContent('[data-metric=backend] dd'))?.trim() ?? '',
      ...(await memory(page)),
    };
  } finally {
    await page.close();
  }
}

async function memory(page: Page): Promise<Pick<PageLoad, 'memoryBytes' | 'workerMemoryBytes' | 'mainJsHeapBytes'>> {
  return page.evaluate(async () => {
    type Breakdown = { bytes: number; attribution: { scope: string }[] };
    const measure = (
      performance as unknown as {
        measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: Breakdown[] }>;
      }
    ).measureUserAgentSpecificMemory;
    const mainJsHeapBytes = (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
    if (!measure) return { memoryBytes: NaN, workerMemoryBytes: NaN, mainJsHeapBytes };
    const result = await measure.call(performance);
    const workerMemoryBytes = result.breakdown
      .filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'))
      .reduce((sum, b) => sum + b.bytes, 0);
    return { memoryBytes: result.bytes, workerMemoryBytes, mainJsHeapBytes };
  });
}

/**
 * Cold start in a fresh profile, then warm start as a second page load in the same profile,
 * so whatever the app caches (embeddings, index) is found the second time.
 */
export async function coldAndWarm(appUrl: string, query: string): Promise<{ cold: PageLoad; warm: PageLoad }> {
  const profile = mkdtempSync(join(tmpdir(), 'vsl-bench-profile-'));
  const context = await launchPersistentChromium(profile);
  try {
    await context.addInitScript(watchLongTasks);
    const cold = await loadToFirstResult(context, `${appUrl}?${query}`);
    const warm = await loadToFirstResult(context, `${appUrl}?${query}`);
    return { cold, warm };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Catalogue images embedded per second by a pool of `workers` (fresh page, fresh workers). */
export async function poolThroughput(
  browser: Browser,
  appUrl: string,
  query: string,
  workers: number,
): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.goto(`${appUrl}?${query}&workers=${workers}`);
    await waitForState(page, 'ready', LONG);
    return (await metric(page, 'embedded-count')) / (await metric(page, 'embed-seconds'));
  } finally {
    await page.close();
  }
}

/** Per model: the app's own readouts after indexing, query latencies, the leave-one-out metrics, and the sweep for one. */
export async function modelRun(
  browser: Browser,
  appUrl: string,
  query: string,
  queries: number,
  sweepQueries: number | null,
) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    await page.goto(`${appUrl}?${query}`);
    await waitForState(page, 'ready', LONG);
    const readouts: Record<string, number> = {};
    for (const name of [
      'n',
      'dimensions',
      'embed-ms-per-image',
      'decode-ms-per-image',
      'infer-ms-per-image',
      'embed-seconds',
      'build-ms',
      'index-bytes',
      'model-load-ms',
    ]) {
      readouts[name] = await metric(page, name);
    }
    return {
      ...readouts,
      ...(await queryLatencies(page, queries)),
      evaluation: await evaluation(page),
      ...(sweepQueries ? { sweepCsv: await sweep(page, sweepQueries) } : {}),
    };
  } finally {
    await page.close();
  }
}

async function queryLatencies(page: Page, queries: number) {
  const ids = await page.$$eval('[data-testid=catalogue-item]:not(.skipped)', (els) =>
    els.map((el) => el.getAttribute('data-id')!),
  );
  const exact: number[] = [];
  const hnsw: number[] = [];
  const recall: number[] = [];
  const k = Math.min(10, ids.length);
  for (const id of seededSample(ids, queries, 7)) {
    await page.click(`[data-testid=catalogue-item][data-id="${id}"]`);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    await waitForResults(page, k);
    exact.push(await metric(page, 'exact-ms'));
    hnsw.push(await metric(page, 'hnsw-ms'));
    recall.push(await metric(page, 'recall-at-k'));
  }
  return {
    queries: exact.length,
    exactMs: median(exact),
    hnswMs: median(hnsw),
    annRecallAt10: recall.reduce((a, b) => a + b, 0) / recall.length,
  };
}

async function evaluation(page: Page) {
  await page.click('[data-testid=tab-evaluation]');
  await page.fill('[data-testid=eval-k]', '10');
  await page.click('[data-testid=run-evaluation]');
  await page.waitForSelector('[data-metric=precision-at-k][data-engine=exact]', { timeout: LONG });
  const out: Record<string, number> = {};
  for (const el of await page.$$('[data-metric][data-engine]')) {
    out[`${await el.getAttribute('data-metric')}/${await el.getAttribute('data-engine')}`] = Number(
      await el.getAttribute('data-value'),
    );
  }
  await page.click('[data-testid=tab-search]');
  return out;
}

async function sweep(page: Page, queries: number) {
  await page.click('[data-testid=tab-sweep]');
  for (const M of [8, 16, 32]) await page.check(`[data-testid=sweep-m-${M}]`);
  await page.fill('[data-testid=sweep-queries]', String(queries));
  await page.click('[data-testid=run-sweep]');
  await page.waitForSelector('[data-testid=sweep-csv]', { timeout: LONG });
  return page.$eval('[data-testid=sweep-csv]', async (a) => (await fetch((a as HTMLAnchorElement).href)).text());
}
