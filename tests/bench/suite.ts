import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { imageUrl } from '../../src/lib/catalogue';
import type { CatalogueManifest, ModelIndex, ModelInfo } from '../../src/lib/types';
import { launchChromium } from '../e2e/browser';
import { coldAndWarm, modelRun, poolThroughput, type PageLoad } from './appRuns';
import { figure, gigabytesPerSecond, latency, optionalFigure, pairedRatio, type Figure } from './figures';
import { embeddingInNode } from './nodeEmbedding';
import { hnswPeers } from './peers';
import { runProbe } from './probePage';
import type {
  BenchReport,
  EmbeddingRow,
  HnswRow,
  LoadFigures,
  ModelFigures,
  PartialBenchReport,
  PoolRow,
  Sources,
  Stage,
  StartPath,
} from './types';

export interface BenchOptions {
  quick: boolean;
  /** The built app and the built probe page, both served with the models of `publicDir`. */
  appUrl: string;
  probeUrl: string;
  publicDir: string;
  catalogue: string;
  /**
   * The cold and warm start's catalogue and model: one with a precomputed bundle for that model,
   * so the start is measured both as shipped (the bundle) and in the browser (`precomputed=0`).
   */
  start: { catalogue: string; model: string };
  /** Cores of this machine: the pool's N. */
  cores: number;
  /** Set when the run was started over the load limit anyway (tests/bench/loadGate.ts). */
  forcedBy?: string;
  log?: (line: string) => void;
  /** Called with everything measured so far each time a stage finishes (for partial results). */
  onStage?: (report: PartialBenchReport) => void;
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

/** efConstruction 100, half the app's default: recall@10 still reaches 0.95 at a small efSearch on these vectors, at half the build. */
const HNSW = { M: 16, efConstruction: 100, k: 10, recallTarget: 0.95, seed: 1 };

/** Each field of several page loads as a figure; the embedding figures only when every load embedded. */
function loadFigures(loads: PageLoad[]): LoadFigures {
  const pick = (get: (load: PageLoad) => number) => figure(loads.map(get));
  const embedded = loads.every((l) => l.embedSeconds !== null && l.embedMsPerImage !== null);
  return {
    readyMs: pick((l) => l.readyMs),
    firstResultMs: pick((l) => l.firstResultMs),
    longTaskCount: pick((l) => l.longTaskCount),
    longTaskMaxMs: pick((l) => l.longTaskMaxMs),
    loadLongTaskMaxMs: pick((l) => l.loadLongTaskMaxMs),
    longFrameMaxMs: optionalFigure(loads.map((l) => l.longFrameMaxMs)),
    firstResultLongTaskMaxMs: pick((l) => l.firstResultLongTaskMaxMs),
    firstResultLongFrameMaxMs: optionalFigure(loads.map((l) => l.firstResultLongFrameMaxMs)),
    buildMs: pick((l) => l.buildMs),
    memoryBytes: pick((l) => l.memoryBytes),
    workerMemoryBytes: pick((l) => l.workerMemoryBytes),
    mainJsHeapBytes: pick((l) => l.mainJsHeapBytes),
    embeddedCount: pick((l) => l.sources.embeddedCount),
    precomputedHits: pick((l) => l.sources.precomputedHits),
    cacheHits: pick((l) => l.sources.cacheHits),
    ...(embedded
      ? { embedSeconds: pick((l) => l.embedSeconds!), embedMsPerImage: pick((l) => l.embedMsPerImage!) }
      : {}),
    indexSources: loads.map((l) => l.indexSource),
    firstQueryRatio: optionalFigure(loads.map((l) => l.firstQueryRatio)),
    nextQuerySpread: optionalFigure(loads.map((l) => l.nextQuerySpread)),
    modelReadyMs: optionalFigure(loads.map((l) => l.modelReadyMs)),
  };
}

/**
 * Where a load's vectors came from must match its row's label, or the row measures something else:
 * `embedded` — all in the browser (no bundle, nothing stored); `kept` — nothing embedded again,
 * the vectors from browser storage; `shipped` — from the precomputed bundle.
 */
export function sourcesProblem(kind: 'embedded' | 'kept' | 'shipped', s: Sources): string | null {
  const counts = `embedded-count ${s.embeddedCount}, precomputed-hits ${s.precomputedHits}, cache-hits ${s.cacheHits}`;
  const ok =
    kind === 'embedded'
      ? s.embeddedCount > 0 && s.precomputedHits === 0 && s.cacheHits === 0
      : kind === 'kept'
        ? s.embeddedCount === 0 && s.cacheHits > 0
        : s.precomputedHits > 0;
  if (ok) return null;
  const want = {
    embedded: 'every image embedded in the browser, none precomputed or stored',
    kept: 'nothing embedded again, the vectors from browser storage',
    shipped: 'the vectors from the precomputed bundle',
  }[kind];
  return `expected ${want}; the readouts say ${counts}`;
}

function expectSources(what: string, kind: 'embedded' | 'kept' | 'shipped', s: Sources): void {
  const problem = sourcesProblem(kind, s);
  if (problem) throw new Error(`${what}: ${problem}, so its row would not measure what its label says`);
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { quick, appUrl, probeUrl, publicDir, catalogue, cores } = options;
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 1000);
  const log = (line: string) => (options.log ?? console.log)(`[${seconds()} s] ${line}`);
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
    // The machine is shared: its load says how much the figures can be trusted.
    const report: PartialBenchReport = {
      date: new Date().toISOString(),
      quick,
      complete: false,
      machine: {
        cores,
        chromium: browser.version(),
        crossOriginIsolated: await probePage.evaluate(() => self.crossOriginIsolated),
        node: process.version,
        loadAverageAtStart: loadavg()[0],
        ...(options.forcedBy ? { forcedBy: options.forcedBy } : {}),
        load: [],
      },
      catalogue,
      defaultModel: defaultModel.id,
    };
    /** Records a finished stage and hands everything measured so far to onStage. */
    const finished = <S extends Stage>(stage: S, value: BenchReport[S]) => {
      Object.assign(report, { [stage]: value });
      report.machine.load.push({ stage, seconds: seconds(), loadAverage: loadavg()[0] });
      options.onStage?.(report);
    };

    log('model load, per model (WASM, a fresh worker each run, after one untimed load)…');
    const modelLoadMs: Record<string, Figure> = {};
    for (const model of models.models) {
      const load = () =>
        runProbe(probePage, 'embedding', {
          model,
          modelUrl: modelUrl(model),
          backend: 'wasm',
          threads: true,
          batches: [1],
          runs: 1,
          imageUrls,
        });
      await load();
      const runs: number[] = [];
      for (let r = 0; r < size.runs; r++) runs.push((await load()).loadMs);
      modelLoadMs[model.id] = figure(runs);
    }
    finished('modelLoadMs', modelLoadMs);

    log(`embedding ms/image per backend, batch ${size.batches.join(' and ')}…`);
    const embedding: Record<string, EmbeddingRow> = {};
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
    finished('embedding', embedding);

    log('exact scan bandwidth against a memory copy, in one worker…');
    const scan = await runProbe(probePage, 'scan', {
      n: size.scanN,
      dim: 1280,
      queries: Math.max(size.runs, 15),
      k: 10,
    });
    const scanGBs = figure(scan.scanMs.map((ms) => gigabytesPerSecond(scan.bytes, ms)));
    const setGBs = figure(scan.setMs.map((ms) => gigabytesPerSecond(scan.bytes, ms)));
    const copyWithinGBs = figure(scan.copyWithinMs.map((ms) => gigabytesPerSecond(scan.bytes, ms)));
    finished('scan', {
      n: size.scanN,
      dim: 1280,
      bytes: scan.bytes,
      scanGBs,
      plainScanGBs: figure(scan.plainScanMs.map((ms) => gigabytesPerSecond(scan.bytes, ms))),
      setGBs,
      copyWithinGBs,
      ratio: scanGBs.median / Math.max(setGBs.median, copyWithinGBs.median),
    });

    log(`HNSW build and queries at N = ${size.hnswSizes.join(', ')} (clustered 1280-d), exact and HNSW per query…`);
    const hnsw: HnswRow[] = [];
    for (const n of size.hnswSizes) {
      const r = await runProbe(probePage, 'hnsw', { n, dim: 1280, ...HNSW, queries: size.hnswQueries });
      hnsw.push({
        n,
        queries: size.hnswQueries,
        build: figure([r.buildMs]),
        efSearch: r.efSearch,
        recall: r.recall,
        ladder: r.ladder,
        exactMs: latency(r.exactMs),
        hnswMs: latency(r.hnswMs),
        speedup: pairedRatio(r.exactMs, r.hnswMs),
        wasmHeapBytes: r.wasmHeapBytes,
      });
    }
    await probePage.close();
    finished('hnsw', hnsw);

    const atPeerN = hnsw.find((h) => h.n === size.peerN) ?? hnsw[0];
    log(`peers in Node at N = ${size.peerN}: hnswlib-wasm and native hnswlib-node, efSearch ${atPeerN.efSearch}…`);
    const peers = await hnswPeers({
      n: size.peerN,
      dim: 1280,
      ...HNSW,
      efSearch: atPeerN.efSearch,
      queries: size.hnswQueries,
    });
    const wasmNode = {
      build: figure([peers.wasm.buildMs]),
      queryMs: latency(peers.wasm.queryMs),
      recall: peers.wasm.recall,
    };
    const native = {
      build: figure([peers.native.buildMs]),
      queryMs: latency(peers.native.queryMs),
      recall: peers.native.recall,
    };
    finished('peers', {
      n: size.peerN,
      efSearch: atPeerN.efSearch,
      wasmNode,
      native,
      chromiumWasm: { build: atPeerN.build, queryMs: atPeerN.hnswMs, recall: atPeerN.recall },
      queryRatioNode: wasmNode.queryMs.median / native.queryMs.median,
      queryRatioChromium: atPeerN.hnswMs.median / native.queryMs.median,
      buildRatioNode: wasmNode.build.median / native.build.median,
      buildRatioChromium: atPeerN.build.median / native.build.median,
    });

    const start = options.start;
    const startQuery = `catalogue=${start.catalogue}&model=${start.model}${limit}`;
    const paths = { browser: `${startQuery}&precomputed=0`, shipped: startQuery };
    log(
      `cold and warm start to first result, in the browser (precomputed=0) and as shipped (the bundle); ${size.coldRuns} fresh profile(s) each, ${size.catalogueLimit ?? 'all'} images…`,
    );
    const loads = {
      browser: [] as { cold: PageLoad; warm: PageLoad }[],
      shipped: [] as { cold: PageLoad; warm: PageLoad }[],
    };
    for (let r = 0; r < size.coldRuns; r++) {
      const browserRun = await coldAndWarm(appUrl, paths.browser);
      expectSources(`run ${r + 1}, cold start in the browser`, 'embedded', browserRun.cold.sources);
      expectSources(`run ${r + 1}, warm start after the browser's cold start`, 'kept', browserRun.warm.sources);
      loads.browser.push(browserRun);
      const shippedRun = await coldAndWarm(appUrl, paths.shipped);
      expectSources(`run ${r + 1}, cold start as shipped`, 'shipped', shippedRun.cold.sources);
      expectSources(`run ${r + 1}, warm start as shipped`, 'shipped', shippedRun.warm.sources);
      loads.shipped.push(shippedRun);
    }
    const startPath = (which: 'browser' | 'shipped'): StartPath => ({
      query: paths[which],
      cold: loadFigures(loads[which].map((l) => l.cold)),
      warm: loadFigures(loads[which].map((l) => l.warm)),
    });
    finished('start', {
      catalogue: start.catalogue,
      model: start.model,
      images: loads.browser[0].cold.n,
      backend: loads.browser[0].cold.backend,
      profiles: size.coldRuns,
      browser: startPath('browser'),
      shipped: startPath('shipped'),
    });

    const poolQuery = `catalogue=${catalogue}&limit=${size.poolImages}&precomputed=0`;
    log(`catalogue throughput in the browser, pool of 1 and ${cores} workers (${size.poolImages} images)…`);
    const workers: Record<string, PoolRow> = {};
    for (const count of [1, cores]) {
      const runs: Awaited<ReturnType<typeof poolThroughput>>[] = [];
      for (let r = 0; r < size.poolRuns; r++) {
        const run = await poolThroughput(browser, appUrl, poolQuery, count);
        expectSources(`pool of ${count}, run ${r + 1}`, 'embedded', run.sources);
        runs.push(run);
      }
      workers[`workers${count}`] = {
        imagesPerSecond: figure(runs.map((r) => r.imagesPerSecond)),
        embeddedCount: figure(runs.map((r) => r.sources.embeddedCount)),
        precomputedHits: figure(runs.map((r) => r.sources.precomputedHits)),
        cacheHits: figure(runs.map((r) => r.sources.cacheHits)),
      };
    }
    finished('pool', { images: size.poolImages, query: poolQuery, workers });

    log('per model, embedding in the browser: the app readouts, queries, leave-one-out evaluation, sweep…');
    const perModel: Record<string, ModelFigures> = {};
    // Quick runs check the path with the default model only.
    for (const model of quick ? [defaultModel] : models.models) {
      const run = await modelRun(
        browser,
        appUrl,
        `catalogue=${catalogue}&model=${model.id}${limit}&precomputed=0`,
        size.modelQueries,
        model.id === models.default ? size.sweepQueries : null,
      );
      expectSources(`model ${model.id}`, 'embedded', {
        embeddedCount: run.readouts['embedded-count'],
        precomputedHits: run.readouts['precomputed-hits'],
        cacheHits: run.readouts['cache-hits'],
      });
      perModel[model.id] = run;
    }
    finished('models', perModel);

    report.machine.loadAverageAtEnd = loadavg()[0];
    return { ...(report as BenchReport), complete: true };
  } finally {
    await browser.close();
  }
}
