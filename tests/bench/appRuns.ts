import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seededSample } from '../../src/lib/experiments';
import { median } from '../../src/lib/stats';
import { launchPersistentChromium } from '../e2e/browser';
import { metric, waitForResults, waitForState } from '../e2e/page';
import { recallWithoutQuery } from './figures';
import type { ModelFigures, Sources } from './types';

/** Measurements of the built app through its testing contract, as a person would meet it. */

const LONG = 60 * 60_000;

interface Watched {
  longTasks: { start: number; duration: number }[];
  /**
   * Long animation frames (Chromium 123+): a frame's tasks together with the style, layout and
   * paint after them, which `longtask` entries leave out (a grid of 2,369 tiles is all rendering).
   */
  longFrames: { start: number; duration: number }[];
  /** When the status bar first said `embedding`: catalogue indexing starts. */
  indexingFrom: number | null;
}

/** Records main-thread long tasks and frames from the first script on, and when catalogue indexing starts. */
function watchLongTasks(): void {
  const watched: Watched = { longTasks: [], longFrames: [], indexingFrom: null };
  (window as unknown as { watched: Watched }).watched = watched;
  // No named functions in here: the page runs this function's source, without the bundler's helpers.
  for (const [type, into] of [
    ['longtask', watched.longTasks],
    ['long-animation-frame', watched.longFrames],
  ] as const) {
    if (!PerformanceObserver.supportedEntryTypes.includes(type)) continue;
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => into.push({ start: e.startTime, duration: e.duration })),
    ).observe({ type, buffered: true });
  }
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
  /** The longest long animation frame while indexing; NaN where the browser has no such entries. */
  longFrameMaxMs: number;
  /** From navigation to the first result: the longest long task, and the longest long animation frame. */
  firstResultLongTaskMaxMs: number;
  firstResultLongFrameMaxMs: number;
  buildMs: number;
  n: number;
  /** The Backend readout, e.g. `wasm + SIMD`; empty when no embedding worker started. */
  backend: string;
  /** JS and wasm memory of the page and its workers (measureUserAgentSpecificMemory), and the main thread's JS heap. */
  memoryBytes: number;
  workerMemoryBytes: number;
  mainJsHeapBytes: number;
  /** Where the vectors came from: `embedded-count`, `precomputed-hits`, `cache-hits`. */
  sources: Sources;
  /** `embed-seconds` and `embed-ms-per-image`, when this load embedded catalogue images; else null. */
  embedSeconds: number | null;
  embedMsPerImage: number | null;
  /** Where the index came from (`build-ms`'s `data-source`: shipped, stored, built); '' when the app does not say. */
  indexSource: string;
  /** The page's first HNSW query (`first-query-ms`) ÷ the median of the next ten queries' first runs; null when missing. */
  firstQueryRatio: number | null;
  /**
   * The next ten queries' own spread, slowest first run ÷ fastest: what a query of about a millisecond
   * moves from one to the next with nothing cold about it (the ratio above reads against it).
   */
  nextQuerySpread: number | null;
  /** `model-ready-ms`: navigation to MobileNet loaded (after ready as shipped); null when missing or not in yet. */
  modelReadyMs: number | null;
}

/** A readout that may be missing or empty: null then, instead of NaN. */
async function optionalMetric(page: Page, name: string): Promise<number | null> {
  if (!(await page.$(`[data-metric=${name}]`))) return null;
  const value = await metric(page, name);
  return Number.isFinite(value) ? value : null;
}

/**
 * The first query's HNSW first run ÷ the median of the first runs of ten more catalogue queries
 * (spread over the grid), each timed on its own in the search worker: ≈ 1 when the first query
 * pays nothing extra for cold code or caches.
 */
async function firstQueryRatio(page: Page): Promise<{ ratio: number; nextSpread: number } | null> {
  const first = await optionalMetric(page, 'first-query-ms');
  if (first === null) return null;
  const ids = await page.$$eval('[data-testid=catalogue-item]:not(.skipped)', (els) =>
    els.map((el) => el.getAttribute('data-id')!),
  );
  const step = Math.max(1, Math.floor(ids.length / 11));
  const next: number[] = [];
  for (let i = 1; i <= 10 && i * step < ids.length; i++) {
    const id = ids[i * step];
    await page.click(`[data-testid=catalogue-item][data-id="${id}"]`);
    // A byte-identical twin can rank first instead: that query is left out, the bench goes on.
    const answered = await page
      .waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`, { timeout: 30_000 })
      .then(() => true)
      .catch(() => false);
    const ms = answered ? await optionalMetric(page, 'hnsw-first-ms') : null;
    if (ms !== null && ms > 0) next.push(ms);
  }
  return next.length > 0 ? { ratio: first / median(next), nextSpread: Math.max(...next) / Math.min(...next) } : null;
}

/** The readouts that say where a page load's vectors came from. */
export async function sources(page: Page): Promise<Sources> {
  return {
    embeddedCount: await metric(page, 'embedded-count'),
    precomputedHits: await metric(page, 'precomputed-hits'),
    cacheHits: await metric(page, 'cache-hits'),
  };
}

/**
 * One page load to its first result. With `keep`, the page stays open until the app says the
 * index and the embeddings are kept for the next visit (`index-saved`), so a warm load after it
 * finds them.
 */
async function loadToFirstResult(context: BrowserContext, url: string, keep: boolean): Promise<PageLoad> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await waitForState(page, 'ready', LONG);
    const readyAt = await page.evaluate(() => performance.now());
    const reported = (await page.$('[data-metric=ready-ms]')) ? await metric(page, 'ready-ms') : NaN;
    const [longTaskCount, longTaskMaxMs, loadLongTaskMaxMs, longFrameMaxMs] = await page.evaluate(() => {
      const { longTasks, longFrames, indexingFrom } = (window as unknown as { watched: Watched }).watched;
      const [indexing, indexingFrames] = [longTasks, longFrames].map((entries) =>
        entries.filter((t) => indexingFrom !== null && t.start + t.duration > indexingFrom).map((t) => t.duration),
      );
      const frames = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
      return [
        indexing.length,
        Math.max(0, ...indexing),
        Math.max(0, ...longTasks.map((t) => t.duration)),
        frames ? Math.max(0, ...indexingFrames) : NaN,
      ];
    });
    await page.click('[data-testid=catalogue-item]:not(.skipped)');
    await waitForResults(page, Math.min(10, await metric(page, 'n')));
    const [firstResultMs, firstResultLongTaskMaxMs, firstResultLongFrameMaxMs] = await page.evaluate(() => {
      const { longTasks, longFrames } = (window as unknown as { watched: Watched }).watched;
      const frames = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
      return [
        performance.now(),
        Math.max(0, ...longTasks.map((t) => t.duration)),
        frames ? Math.max(0, ...longFrames.map((t) => t.duration)) : NaN,
      ];
    });
    const from = await sources(page);
    const embedded = from.embeddedCount > 0;
    const indexSource = (await page.getAttribute('[data-metric=build-ms]', 'data-source')) ?? '';
    const queries = await firstQueryRatio(page);
    // After the ten further queries: MobileNet starts loading at the first answer, and is in by now.
    const modelReadyMs = await optionalMetric(page, 'model-ready-ms');
    const load: PageLoad = {
      readyMs: Number.isFinite(reported) && reported > 0 ? reported : readyAt,
      firstResultMs,
      longTaskCount,
      longTaskMaxMs,
      loadLongTaskMaxMs,
      longFrameMaxMs,
      firstResultLongTaskMaxMs,
      firstResultLongFrameMaxMs,
      buildMs: await metric(page, 'build-ms'),
      n: await metric(page, 'n'),
      backend: (await page.textContent('[data-metric=backend] dd'))?.trim() ?? '',
      ...(await memory(page)),
      sources: from,
      embedSeconds: embedded ? await metric(page, 'embed-seconds') : null,
      embedMsPerImage: embedded ? await metric(page, 'embed-ms-per-image') : null,
      indexSource,
      firstQueryRatio: queries?.ratio ?? null,
      nextQuerySpread: queries?.nextSpread ?? null,
      modelReadyMs,
    };
    if (keep) await page.waitForSelector('[data-testid=index-saved]', { timeout: LONG });
    return load;
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
 * Cold start in a fresh profile, then warm start as a second page load in the same profile. The
 * cold page stays open until it has saved its index and embeddings, so the warm load measures
 * what the app keeps (embeddings, index), not a second cold start.
 */
export async function coldAndWarm(appUrl: string, query: string): Promise<{ cold: PageLoad; warm: PageLoad }> {
  const profile = mkdtempSync(join(tmpdir(), 'vsl-bench-profile-'));
  const context = await launchPersistentChromium(profile);
  try {
    await context.addInitScript(watchLongTasks);
    const cold = await loadToFirstResult(context, `${appUrl}?${query}`, true);
    const warm = await loadToFirstResult(context, `${appUrl}?${query}`, false);
    return { cold, warm };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Catalogue images embedded per second by a pool of `workers` (fresh page, fresh workers, fresh
 * storage): the query must bypass any precomputed bundle (`precomputed=0`), or nothing is embedded.
 */
export async function poolThroughput(
  browser: Browser,
  appUrl: string,
  query: string,
  workers: number,
): Promise<{ imagesPerSecond: number; sources: Sources }> {
  const page = await browser.newPage();
  try {
    await page.goto(`${appUrl}?${query}&workers=${workers}`);
    await waitForState(page, 'ready', LONG);
    const from = await sources(page);
    return { imagesPerSecond: from.embeddedCount / (await metric(page, 'embed-seconds')), sources: from };
  } finally {
    await page.close();
  }
}

/** The readouts a model run records after indexing, by their contract names. */
const MODEL_READOUTS = [
  'n',
  'dimensions',
  'embed-ms-per-image',
  'decode-ms-per-image',
  'infer-ms-per-image',
  'embed-seconds',
  'build-ms',
  'index-bytes',
  'model-load-ms',
  'embedded-count',
  'precomputed-hits',
  'cache-hits',
] as const;

/**
 * Per model: the app's own readouts after indexing, query latencies, ANN recall@10 without the
 * query itself, the leave-one-out metrics, and the sweep for one. The query should bypass the
 * precomputed bundle (`precomputed=0`), so the embedding readouts measure the browser.
 */
export async function modelRun(
  browser: Browser,
  appUrl: string,
  query: string,
  queries: number,
  sweepQueries: number | null,
): Promise<ModelFigures> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    await page.goto(`${appUrl}?${query}`);
    await waitForState(page, 'ready', LONG);
    const readouts: Record<string, number> = {};
    for (const name of MODEL_READOUTS) readouts[name] = await metric(page, name);
    const ids = await page.$$eval('[data-testid=catalogue-item]:not(.skipped)', (els) =>
      els.map((el) => el.getAttribute('data-id')!),
    );
    const sample = seededSample(ids, queries, 7);
    return {
      query,
      readouts,
      ...(await queryLatencies(page, ids, sample)),
      annRecallAt10: await recallWithoutSelf(page, sample, 10),
      evaluation: await evaluation(page),
      ...(sweepQueries ? { sweepCsv: await sweep(page, sweepQueries) } : {}),
    };
  } finally {
    await page.close();
  }
}

/** Clicks a catalogue image and waits until both columns show its `k` answers. */
async function search(page: Page, id: string, k: number): Promise<void> {
  await page.click(`[data-testid=catalogue-item][data-id="${id}"]`);
  await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
  await waitForResults(page, k);
}

/** The app's exact-ms and hnsw-ms readouts at k = 10, medians over the sample, after one untimed query. */
async function queryLatencies(page: Page, ids: string[], sample: string[]) {
  const k = Math.min(10, ids.length);
  const warmUp = ids.find((id) => !sample.includes(id)) ?? ids[0];
  await search(page, warmUp, k);
  const exact: number[] = [];
  const hnsw: number[] = [];
  for (const id of sample) {
    await search(page, id, k);
    exact.push(await metric(page, 'exact-ms'));
    hnsw.push(await metric(page, 'hnsw-ms'));
  }
  return { queries: exact.length, exactMs: median(exact), hnswMs: median(hnsw) };
}

/**
 * ANN recall@k over the sample without self-matches: each query is an indexed image, so both
 * engines are asked for k + 1 results (the k knob) and the query is dropped from both lists.
 */
async function recallWithoutSelf(page: Page, sample: string[], k: number): Promise<number> {
  const n = await metric(page, 'n');
  const asked = Math.min(k + 1, n);
  await setK(page, asked);
  const ids = (engine: 'exact' | 'hnsw') =>
    page.$$eval(`[data-testid=result][data-engine=${engine}]`, (els) =>
      els.map((el) => Number(el.getAttribute('data-id'))),
    );
  let sum = 0;
  for (const id of sample) {
    await search(page, id, asked);
    sum += recallWithoutQuery(Number(id), await ids('exact'), await ids('hnsw'), k);
  }
  await setK(page, Math.min(k, n));
  return sum / sample.length;
}

/** Sets the k knob (Search again) and waits until the current query shows k answers in both columns. */
async function setK(page: Page, k: number): Promise<void> {
  await page.fill('[data-testid=knob-k]', String(k));
  await page.press('[data-testid=knob-k]', 'Enter');
  await waitForResults(page, k);
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
