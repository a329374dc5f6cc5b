import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { imageUrl } from '../../src/lib/catalogue';
import type { CatalogueManifest, ModelIndex, ModelInfo } from '../../src/lib/types';
import { launchChromium } from '../e2e/browser';
import { coldAndWarm, modelRun, poolThroughput, type PageLoad } from './appRuns';
import { figure, gigabytesPerSecond, latency, type Figure, type Latency } from './figures';
import { embeddingInNode } from './nodeEmbedding';
import { hnswPeers } from './peers';
import { runProbe } from './probePage';

export interface BenchOptions {
  quick: boolean;
  /** The built app and the built probe page, both served with the models of `publicDir`. */
  appUrl: string;
  probeUrl: string;
  publicDir: string;
  catalogue: string;
  /** Cores of this machine: the pool's N. */
  cores: number;
  log?: (line: string) => void;
}

/** Sizes per mode: the quick mode only proves that every measurement runs and lands in the report. */
function sizes(quick: boolean) {
  return quick
    ? {
        runs: 2,
        poolRuns: 1,
        batches: [1, 2],
        catalogueLimit: 8,
        poolImages: 8,
        coldRuns: 1,
        hnswSizes: [300],
        peerN: 300,
        hnswQueries: 10,
        scanN: 1000,
        modelQueries: 2,
        sweepQueries: 4,
      }
    : {
        runs: 5,
        poolRuns: 3,
        batches: [1, 16],
        catalogueLimit: null,
        poolImages: 192,
        coldRuns: 2,
        hnswSizes: [10_000, 100_000],
        peerN: 10_000,
        hnswQueries: 100,
        scanN: 10_000,
        modelQueries: 30,
        sweepQueries: 200,
      };
}

const EMBEDDING_VARIANTS = [
  { id: 'wasm-simd', backend: 'wasm', threads: false },
  { id: 'wasm-simd-threads', backend: 'wasm', threads: true },
  { id: 'webgl', backend: 'webgl', threads: false },
  { id: 'cpu', backend: 'cpu', threads: false },
] as const;

interface HnswRow {
  n: number;
  buildMs: number;
  efSearch: number;
  recall: number;
  exactMs: Latency;
  hnswMs: Latency;
  speedup: number;
  wasmHeapBytes: number;
}

/** efConstruction 100, half the app's default: recall@10 still reaches 0.95 at a small efSearch on these vectors, at half the build. */
const HNSW = { M: 16, efConstruction: 100, k: 10, recallTarget: 0.95, seed: 1 };

export async function runBench(options: BenchOptions) {
  const { quick, appUrl, probeUrl, publicDir, catalogue, cores } = options;
  const started = performance.now();
  // The machine is shared: its load says how much the figures can be trusted.
  const loadAverageAtStart = loadavg()[0];
  const log = (line: string) =>
    (options.log ?? console.log)(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);
  const size = sizes(quick);
  const models = JSON.parse(readFileSync(join(publicDir, 'models', 'index.json'), 'utf8')) as ModelIndex;
  const defaultModel = models.models.find((m) => m.id === models.default)!;
  const manifest = JSON.parse(
    readFileSync(join(publicDir, 'catalogues', catalogue, 'manifest.json'), 'utf8'),
  ) as CatalogueManifest;
  const imageUrls = manifest.items
    .slice(0, Math.max(...size.batches))
    .map((item) => new URL(imageUrl(catalogue, item), probeUrl).href);
  const modelUrl = (model: ModelInfo) => `${probeUrl}models/${model.id}/model.json`;
  const limit = size.catalogueLimit ? `&limit=${size.catalogueLimit}` : '';

  const browser = await launchChromium();
  try {
    const probePage = await browser.newPage();
    await probePage.goto(probeUrl);
    await probePage.waitForSelector('body[data-ready=true]');
    const chromium = browser.version();
    const crossOriginIsolated = await probePage.evaluate(() => self.crossOriginIsolated);

    log('model load, per model (WASM, one worker)…');
    const modelLoadMs: Record<string, Figure> = {};
    for (const model of models.models) {
      const runs: number[] = [];
      for (let r = 0; r < size.runs; r++) {
        runs.push(
          (
            await runProbe(probePage, 'embedding', {
              model,
              modelUrl: modelUrl(model),
              backend: 'wasm',
              threads: true,
              batches: [1],
              runs: 1,
              imageUrls,
            })
          ).loadMs,
        );
      }
      modelLoadMs[model.id] = figure(runs);
    }

    log(`embedding ms/image per backend, batch ${size.batches.join(' and ')}…`);
    const embedding: Record<string, unknown> = {};
    for (const variant of EMBEDDING_VARIANTS) {
      const result = await runProbe(probePage, 'embedding', {
        model: defaultModel,
        modelUrl: modelUrl(defaultModel),
        backend: variant.backend,
        threads: variant.threads,
        batches: size.batches,
        runs: size.runs,
        imageUrls,
      });
      const perBatch = Object.fromEntries(
        size.batches.map((batch) => [`batch${batch}`, figure(result.inferMsPerImage[batch])]),
      );
      const { threadCount, simd, threads, wasmHeapBytes, warmupMs } = result;
      embedding[variant.id] = {
        threadCount,
        simd,
        threads,
        wasmHeapBytes,
        firstInferenceMs: warmupMs,
        prepMs: figure(result.prepMs),
        ...perBatch,
      };
    }

    log('the same model in Node (tfjs-backend-wasm, SIMD, one thread)…');
    const nodeRuns = await embeddingInNode(defaultModel, modelUrl(defaultModel), size.batches, size.runs);
    embedding['node-wasm-simd'] = Object.fromEntries(
      size.batches.map((batch) => [`batch${batch}`, figure(nodeRuns[batch])]),
    );

    log('exact scan bandwidth against a memory copy, in one worker…');
    const scan = await runProbe(probePage, 'scan', {
      n: size.scanN,
      dim: 1280,
      queries: Math.max(size.runs, 15),
      k: 10,
    });
    const scanFigures = {
      n: size.scanN,
      dim: 1280,
      bytes: scan.bytes,
      scanGBs: figure(scan.scanMs.map((ms) => gigabytesPerSecond(scan.bytes, ms))),
      plainScanGBs: figure(scan.plainScanMs.map((ms) => gigabytesPerSecond(scan.bytes, ms))),
      setGBs: figure(scan.setMs.map((ms) => gigabytesPerSecond(scan.bytes, ms))),
      copyWithinGBs: figure(scan.copyWithinMs.map((ms) => gigabytesPerSecond(scan.bytes, ms))),
      ratio: 0,
    };
    scanFigures.ratio =
      scanFigures.scanGBs.median / Math.max(scanFigures.setGBs.median, scanFigures.copyWithinGBs.median);

    log(`HNSW build and queries at N = ${size.hnswSizes.join(', ')} (clustered 1280-d)…`);
    const hnsw: HnswRow[] = [];
    for (const n of size.hnswSizes) {
      const r = await runProbe(probePage, 'hnsw', { n, dim: 1280, ...HNSW, queries: size.hnswQueries });
      const exact = latency(r.exactMs);
      const approximate = latency(r.hnswMs);
      hnsw.push({
        n,
        buildMs: r.buildMs,
        efSearch: r.efSearch,
        recall: r.recall,
        exactMs: exact,
        hnswMs: approximate,
        speedup: exact.median / approximate.median,
        wasmHeapBytes: r.wasmHeapBytes,
      });
    }
    await probePage.close();

    const atPeerN = hnsw.find((h) => h.n === size.peerN) ?? hnsw[0];
    log(`peers in Node at N = ${size.peerN}: hnswlib-wasm and native hnswlib-node, efSearch ${atPeerN.efSearch}…`);
    const peers = await hnswPeers({
      n: size.peerN,
      dim: 1280,
      ...HNSW,
      efSearch: atPeerN.efSearch,
      queries: size.hnswQueries,
    });
    const peerFigures = {
      n: size.peerN,
      efSearch: atPeerN.efSearch,
      wasmNode: { buildMs: peers.wasm.buildMs, queryMs: latency(peers.wasm.queryMs), recall: peers.wasm.recall },
      native: { buildMs: peers.native.buildMs, queryMs: latency(peers.native.queryMs), recall: peers.native.recall },
      chromiumWasm: { buildMs: atPeerN.buildMs, queryMs: atPeerN.hnswMs, recall: atPeerN.recall },
      queryRatioNode: peers.wasm.queryMs.length
        ? latency(peers.wasm.queryMs).median / latency(peers.native.queryMs).median
        : NaN,
      queryRatioChromium: atPeerN.hnswMs.median / latency(peers.native.queryMs).median,
      buildRatioNode: peers.wasm.buildMs / peers.native.buildMs,
      buildRatioChromium: atPeerN.buildMs / peers.native.buildMs,
    };

    log(`cold and warm start to first result (${size.coldRuns} profile(s), ${size.catalogueLimit ?? 'all'} images)…`);
    const loads: { cold: PageLoad; warm: PageLoad }[] = [];
    for (let r = 0; r < size.coldRuns; r++) loads.push(await coldAndWarm(appUrl, `catalogue=${catalogue}${limit}`));
    const pick = (which: 'cold' | 'warm', key: Exclude<keyof PageLoad, 'backend'>) =>
      figure(loads.map((l) => l[which][key]));
    const start = {
      images: loads[0].cold.n,
      backend: loads[0].cold.backend,
      coldReadyMs: pick('cold', 'readyMs'),
      coldFirstResultMs: pick('cold', 'firstResultMs'),
      warmReadyMs: pick('warm', 'readyMs'),
      warmFirstResultMs: pick('warm', 'firstResultMs'),
      embedSeconds: pick('cold', 'embedSeconds'),
      buildMs: pick('cold', 'buildMs'),
      longTaskCount: pick('cold', 'longTaskCount'),
      longTaskMaxMs: pick('cold', 'longTaskMaxMs'),
      loadLongTaskMaxMs: pick('cold', 'loadLongTaskMaxMs'),
      memoryBytes: pick('cold', 'memoryBytes'),
      workerMemoryBytes: pick('cold', 'workerMemoryBytes'),
      mainJsHeapBytes: pick('cold', 'mainJsHeapBytes'),
    };

    log(`catalogue throughput, pool of 1 and ${cores} workers (${size.poolImages} images)…`);
    const pool: Record<string, Figure> = {};
    for (const workers of [1, cores]) {
      const runs: number[] = [];
      for (let r = 0; r < size.poolRuns; r++)
        runs.push(await poolThroughput(browser, appUrl, `catalogue=${catalogue}&limit=${size.poolImages}`, workers));
      pool[`workers${workers}`] = figure(runs);
    }

    log('per model: the app readouts, queries, leave-one-out evaluation, sweep…');
    const perModel: Record<string, unknown> = {};
    // Quick runs check the path with the default model only.
    for (const model of quick ? [defaultModel] : models.models) {
      perModel[model.id] = await modelRun(
        browser,
        appUrl,
        `catalogue=${catalogue}&model=${model.id}${limit}`,
        size.modelQueries,
        model.id === models.default ? size.sweepQueries : null,
      );
    }

    return {
      date: new Date().toISOString(),
      quick,
      machine: {
        cores,
        chromium,
        crossOriginIsolated,
        node: process.version,
        loadAverageAtStart,
        loadAverageAtEnd: loadavg()[0],
      },
      catalogue,
      defaultModel: defaultModel.id,
      modelLoadMs,
      embedding,
      pool,
      start,
      scan: scanFigures,
      hnsw,
      peers: peerFigures,
      models: perModel,
    };
  } finally {
    await browser.close();
  }
}

export type BenchReport = Awaited<ReturnType<typeof runBench>>;
