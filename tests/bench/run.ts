/**
 * Figures for the README and the closing notes, measured in headless Chromium on the built
 * app through its testing contract (the same selectors the e2e tests use).
 *
 *   npm run bench                 # the default catalogue, both models, every backend, N up to 100k
 *   npm run bench -- --quick      # tiny sizes: checks the bench itself runs (a few minutes)
 *   npm run bench -- --sizes 1000,10000
 *
 * Writes tests/bench/results/<date>.json and .md. Each latency is the median over the queries.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CATALOGUE, PUBLIC_DIR, setupCatalogue, setupModels } from '../../datasets/setup';
import { median } from '../../src/lib/stats';
import { seededSample } from '../../src/lib/experiments';
import { launchChromium } from '../e2e/browser';
import { metric, waitForResults, waitForState } from '../e2e/page';
import { serveBuiltApp } from '../e2e/server';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, sizes: { type: 'string' }, out: { type: 'string' } },
});
const quick = values.quick;
const scaleSizes = (values.sizes ?? (quick ? '1000' : '1000,10000,50000,100000')).split(',').map(Number);
const LONG = 60 * 60_000;

async function open(browser: Browser, base: string, query: string): Promise<{ page: Page; readyMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const started = Date.now();
  await page.goto(`${base}?${query}`);
  await waitForState(page, 'ready', LONG);
  return { page, readyMs: Date.now() - started };
}

async function readMetrics(page: Page, names: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of names) out[name] = await metric(page, name);
  return out;
}

async function queryLatencies(page: Page, queries: number) {
  const ids = await page.$$eval('[data-testid=catalogue-item]:not(.skipped)', (els) => els.map((el) => el.getAttribute('data-id')!));
  const exact: number[] = [];
  const hnsw: number[] = [];
  const recall: number[] = [];
  for (const id of seededSample(ids, queries, 7)) {
    await page.click(`[data-testid=catalogue-item][data-id="${id}"]`);
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    await waitForResults(page, 10);
    exact.push(await metric(page, 'exact-ms'));
    hnsw.push(await metric(page, 'hnsw-ms'));
    recall.push(await metric(page, 'recall-at-k'));
  }
  return { queries: exact.length, exactMs: median(exact), hnswMs: median(hnsw), annRecallAt10: recall.reduce((a, b) => a + b, 0) / recall.length };
}

async function evaluation(page: Page) {
  await page.click('[data-testid=tab-evaluation]');
  await page.fill('[data-testid=eval-k]', '10');
  await page.click('[data-testid=run-evaluation]');
  await page.waitForSelector('[data-metric=precision-at-k][data-engine=exact]', { timeout: LONG });
  const out: Record<string, number> = {};
  for (const el of await page.$$('[data-metric][data-engine]')) {
    out[`${await el.getAttribute('data-metric')}/${await el.getAttribute('data-engine')}`] = Number(await el.getAttribute('data-value'));
  }
  await page.click('[data-testid=tab-search]');
  return out;
}

async function sweep(page: Page) {
  await page.click('[data-testid=tab-sweep]');
  for (const M of [8, 16, 32]) await page.check(`[data-testid=sweep-m-${M}]`);
  await page.fill('[data-testid=sweep-queries]', quick ? '20' : '200');
  await page.click('[data-testid=run-sweep]');
  await page.waitForSelector('[data-testid=sweep-csv]', { timeout: LONG });
  return page.$eval('[data-testid=sweep-csv]', async (a) => (await fetch((a as HTMLAnchorElement).href)).text());
}

async function scale(page: Page) {
  await page.click('[data-testid=tab-scale]');
  for (const n of [1000, 10000, 50000, 100000]) {
    if (scaleSizes.includes(n)) await page.check(`[data-testid=scale-n-${n}]`);
    else await page.uncheck(`[data-testid=scale-n-${n}]`);
  }
  await page.click('[data-testid=run-scale]');
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid=scale-row]').length === want, scaleSizes.length, {
    timeout: LONG,
    polling: 2000,
  });
  return page.$$eval('[data-testid=scale-row]', (els) =>
    els.map((el) => ({
      n: Number(el.getAttribute('data-n')),
      exactMs: Number(el.getAttribute('data-exact-ms')),
      hnswMs: Number(el.getAttribute('data-hnsw-ms')),
      efSearch: Number(el.getAttribute('data-ef')),
      recall: Number(el.getAttribute('data-recall')),
      buildMs: Number(el.getAttribute('data-build-ms')),
      indexBytes: Number(el.getAttribute('data-index-bytes')),
    })),
  );
}

async function main(): Promise<void> {
  const assets = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
  const models = await setupModels(assets, PUBLIC_DIR);
  await setupCatalogue(join(assets, 'datasets', DEFAULT_CATALOGUE), DEFAULT_CATALOGUE, PUBLIC_DIR);
  const server = await serveBuiltApp(PUBLIC_DIR, join(root, 'dist'));
  const browser = await launchChromium();
  const limit = quick ? '&limit=48' : '';
  const report: Record<string, unknown> = { date: new Date().toISOString(), quick, catalogue: DEFAULT_CATALOGUE, hardwareConcurrency: 2 };
  try {
    const perModel: Record<string, unknown> = {};
    for (const model of models.models) {
      console.log(`model ${model.id}: embedding, indexing, queries, evaluation…`);
      const { page, readyMs } = await open(browser, server.url, `model=${model.id}${limit}`);
      perModel[model.id] = {
        readyMs,
        ...(await readMetrics(page, ['n', 'dimensions', 'embed-ms-per-image', 'decode-ms-per-image', 'infer-ms-per-image', 'embed-seconds', 'build-ms', 'index-bytes', 'model-load-ms'])),
        ...(await queryLatencies(page, quick ? 5 : 30)),
        evaluation: await evaluation(page),
        ...(model.id === models.default ? { sweepCsv: await sweep(page) } : {}),
      };
      await page.close();
    }
    report.models = perModel;

    const backends: Record<string, unknown> = {};
    for (const [backend, images] of [['wasm', 256], ['webgl', 64], ['cpu', 32]] as const) {
      console.log(`backend ${backend}: one worker, ${quick ? 16 : images} images…`);
      const { page } = await open(browser, server.url, `backend=${backend}&workers=1&limit=${quick ? 16 : images}`);
      backends[backend] = { images: quick ? 16 : images, backend: await page.getAttribute('[data-metric=backend]', 'data-value'), ...(await readMetrics(page, ['embed-ms-per-image', 'decode-ms-per-image', 'infer-ms-per-image'])) };
      await page.close();
    }
    report.backends = backends;

    console.log(`scale: N = ${scaleSizes.join(', ')}…`);
    const { page } = await open(browser, server.url, `limit=16`);
    report.scale = await scale(page);
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }

  const outDir = join(root, 'tests', 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const stem = values.out ?? new Date().toISOString().slice(0, 10) + (quick ? '-quick' : '');
  writeFileSync(join(outDir, `${stem}.json`), JSON.stringify(report, null, 2));
  writeFileSync(join(outDir, `${stem}.md`), markdown(report));
  console.log(markdown(report));
  console.log(`wrote tests/bench/results/${stem}.json and .md`);
}

function markdown(report: Record<string, unknown>): string {
  const lines = [`# Visual Search Lab bench, ${report.date}${report.quick ? ' (quick)' : ''}`, ''];
  lines.push('| model | N | dim | ms/image (prep + model) | embed s | build ms | exact ms | HNSW ms | ANN recall@10 | P@10 exact | mAP@10 | nDCG@10 | P@10 HNSW |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [id, m] of Object.entries(report.models as Record<string, Record<string, number> & { evaluation: Record<string, number> }>)) {
    const e = m.evaluation;
    lines.push(
      `| ${id} | ${m.n} | ${m.dimensions} | ${m['embed-ms-per-image'].toFixed(1)} (${m['decode-ms-per-image'].toFixed(1)} + ${m['infer-ms-per-image'].toFixed(1)}) | ${m['embed-seconds'].toFixed(1)} | ${m['build-ms'].toFixed(0)} | ${m.exactMs.toFixed(3)} | ${m.hnswMs.toFixed(3)} | ${m.annRecallAt10.toFixed(3)} | ${e['precision-at-k/exact'].toFixed(3)} | ${e['map-at-k/exact'].toFixed(3)} | ${e['ndcg-at-k/exact'].toFixed(3)} | ${e['precision-at-k/hnsw'].toFixed(3)} |`,
    );
  }
  lines.push('', '| backend (1 worker) | ms/image | prep | model |', '| --- | ---: | ---: | ---: |');
  for (const [id, b] of Object.entries(report.backends as Record<string, Record<string, number | string>>)) {
    lines.push(`| ${b.backend ?? id} | ${Number(b['embed-ms-per-image']).toFixed(1)} | ${Number(b['decode-ms-per-image']).toFixed(1)} | ${Number(b['infer-ms-per-image']).toFixed(1)} |`);
  }
  lines.push('', '| N | exact ms | HNSW ms | efSearch | recall@10 | speed-up | build s | index MiB |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of report.scale as { n: number; exactMs: number; hnswMs: number; efSearch: number; recall: number; buildMs: number; indexBytes: number }[]) {
    lines.push(`| ${r.n} | ${r.exactMs.toFixed(3)} | ${r.hnswMs.toFixed(3)} | ${r.efSearch} | ${r.recall.toFixed(3)} | ${(r.exactMs / r.hnswMs).toFixed(1)}× | ${(r.buildMs / 1000).toFixed(1)} | ${(r.indexBytes / 2 ** 20).toFixed(1)} |`);
  }
  const defaultModel = Object.values(report.models as Record<string, { sweepCsv?: string }>).find((m) => m.sweepCsv);
  if (defaultModel?.sweepCsv) lines.push('', 'Sweep (default model):', '', '```csv', defaultModel.sweepCsv.trim(), '```');
  return lines.join('\n') + '\n';
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
