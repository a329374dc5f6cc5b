import type { Figure, Latency, PairedRatio } from './figures';

/** The machine the run measured on; the load says how far its absolute times can be trusted. */
export interface Machine {
  cores: number;
  chromium: string;
  crossOriginIsolated: boolean;
  node: string;
  /** 1-minute load average when the run started, as each stage finished, and at the end. */
  loadAverageAtStart: number;
  /** How the run was told to start although the load average was above the core count. */
  forcedBy?: string;
  load: { stage: string; seconds: number; loadAverage: number }[];
  loadAverageAtEnd?: number;
}

/** One backend in one worker (or the Node peer): model ms/image per batch size, `batch1`, `batch16`… */
export type EmbeddingRow = {
  threadCount?: number;
  simd?: boolean;
  threads?: boolean;
  wasmHeapBytes?: number;
  /** The first inference of a fresh worker (kernels compiled, buffers sized): one run, not in the batch figures. */
  firstInferenceMs?: number;
  prepMs?: Figure;
} & { [batch: `batch${number}`]: Figure };

export interface ScanRow {
  n: number;
  dim: number;
  bytes: number;
  scanGBs: Figure;
  plainScanGBs: Figure;
  setGBs: Figure;
  copyWithinGBs: Figure;
  /** Median scan GB/s ÷ the better median copy GB/s. */
  ratio: number;
}

export interface HnswRow {
  n: number;
  queries: number;
  /** One build per N: a single run (`runs: 1`), after an untimed warm-up build of a small index. */
  build: Figure;
  /** The smallest efSearch of the ladder reaching the recall target, and each rung tried (untimed). */
  efSearch: number;
  recall: number;
  ladder: { efSearch: number; recall: number }[];
  /** Per query, exact and HNSW timed side by side (the order alternating), after the untimed ladder. */
  exactMs: Latency;
  hnswMs: Latency;
  /** Median of the per-query ratios exact ÷ HNSW, with p5–p95 and min–max. */
  speedup: PairedRatio;
  wasmHeapBytes: number;
}

export interface PeerRow {
  /** One build: a single run. */
  build: Figure;
  /** After one untimed pass over the same queries. */
  queryMs: Latency;
  recall: number;
}

export interface PeerFigures {
  n: number;
  efSearch: number;
  wasmNode: PeerRow;
  native: PeerRow;
  chromiumWasm: PeerRow;
  /** Ratios of medians: the libraries run one after the other (and Chromium in another process), not pairwise. */
  queryRatioNode: number;
  queryRatioChromium: number;
  buildRatioNode: number;
  buildRatioChromium: number;
}

/** Where a page load's catalogue vectors came from: the app's readouts. */
export interface Sources {
  embeddedCount: number;
  precomputedHits: number;
  cacheHits: number;
}

/** Page loads of one kind, each field over the runs. */
export interface LoadFigures {
  readyMs: Figure;
  firstResultMs: Figure;
  longTaskCount: Figure;
  longTaskMaxMs: Figure;
  loadLongTaskMaxMs: Figure;
  /** Missing where the browser has no long-animation-frame entries. */
  longFrameMaxMs?: Figure;
  firstResultLongTaskMaxMs: Figure;
  firstResultLongFrameMaxMs?: Figure;
  buildMs: Figure;
  memoryBytes: Figure;
  workerMemoryBytes: Figure;
  mainJsHeapBytes: Figure;
  embeddedCount: Figure;
  precomputedHits: Figure;
  cacheHits: Figure;
  /** Only when the load embedded images. */
  embedSeconds?: Figure;
  embedMsPerImage?: Figure;
  /** Each load's index source (`shipped`, `stored`, `built`; '' when the app did not say). */
  indexSources: string[];
  /** First HNSW query ÷ median of the next ten queries' first runs; missing when a load lacked it. */
  firstQueryRatio?: Figure;
  /** The next ten queries' slowest first run ÷ their fastest; missing when a load lacked it. */
  nextQuerySpread?: Figure;
  /** Navigation to MobileNet loaded; missing when a load lacked it. */
  modelReadyMs?: Figure;
}

/** A cold load in a fresh profile, and a warm one in the same profile after the cold one saved its index. */
export interface StartPath {
  /** The page's query string. */
  query: string;
  cold: LoadFigures;
  warm: LoadFigures;
}

export interface StartFigures {
  catalogue: string;
  model: string;
  images: number;
  /** The Backend readout of the browser path's cold load, e.g. `wasm + SIMD + threads`. */
  backend: string;
  /** Fresh profiles per path. */
  profiles: number;
  /** `precomputed=0`: the bundle bypassed, every image embedded in the browser. */
  browser: StartPath;
  /** As shipped: the catalogue's precomputed bundle. */
  shipped: StartPath;
}

export interface PoolRow {
  imagesPerSecond: Figure;
  embeddedCount: Figure;
  precomputedHits: Figure;
  cacheHits: Figure;
}

export interface PoolFigures {
  images: number;
  query: string;
  /** By pool size: `workers1`, `workers2`… */
  workers: Record<string, PoolRow>;
}

export interface ModelFigures {
  query: string;
  /** The app's readouts after indexing, by their contract names. */
  readouts: Record<string, number>;
  queries: number;
  /** Median over the queries of the app's `exact-ms` / `hnsw-ms` readouts, at k = 10, after one untimed query. */
  exactMs: number;
  hnswMs: number;
  /** Mean over the queries; the query itself excluded from both lists (k + 1 searched, the query dropped). */
  annRecallAt10: number;
  evaluation: Record<string, number>;
  sweepCsv?: string;
}

export interface BenchReport {
  date: string;
  quick: boolean;
  /** False while the run is under way (the partial files), true once every stage finished. */
  complete: boolean;
  machine: Machine;
  catalogue: string;
  defaultModel: string;
  modelLoadMs: Record<string, Figure>;
  embedding: Record<string, EmbeddingRow>;
  scan: ScanRow;
  hnsw: HnswRow[];
  peers: PeerFigures;
  start: StartFigures;
  pool: PoolFigures;
  models: Record<string, ModelFigures>;
}

/** The measured sections, in the order the run measures them. */
export const STAGES = [
  'modelLoadMs',
  'embedding',
  'scan',
  'hnsw',
  'peers',
  'start',
  'pool',
  'models',
] as const satisfies readonly (keyof BenchReport)[];
export type Stage = (typeof STAGES)[number];

/** What a run has measured so far: every stage that finished. */
export type PartialBenchReport = Omit<BenchReport, Stage> & Partial<Pick<BenchReport, Stage>>;
