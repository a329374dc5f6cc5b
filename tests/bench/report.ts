import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './figures';
import type { BenchReport } from './suite';

export interface Target {
  figure: string;
  target: string;
  measured: string;
  met: boolean;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
/** median (min–max) */
const spread = (x: Figure, digits = 1) =>
  `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

type Embedding = Record<
  string,
  { threadCount?: number; prepMs?: Figure; wasmHeapBytes?: number } & Record<string, Figure>
>;

/** The targets, each with the figure this run measured. */
export function targets(report: BenchReport): Target[] {
  const embedding = report.embedding as Embedding;
  const wasmBest = Math.min(
    ...Object.entries(embedding)
      .filter(([id]) => id.startsWith('wasm'))
      .flatMap(([, e]) =>
        Object.entries(e)
          .filter(([key]) => key.startsWith('batch'))
          .map(([, f]) => (f as Figure).median),
      ),
  );
  const largest = report.hnsw[report.hnsw.length - 1];
  const coldS = report.start.coldReadyMs.median / 1000;
  return [
    {
      figure: 'MobileNet v2 embedding, WASM, ms/image/worker in Chromium (best variant and batch)',
      target: '≤ 20',
      measured: f1(wasmBest),
      met: wasmBest <= 20,
    },
    {
      figure: `cold: page load to ready index, ${report.start.images} images (s)`,
      target: '≤ 40',
      measured: f1(coldS),
      met: coldS <= 40,
    },
    {
      figure: 'longest main-thread task while indexing (ms, worst run)',
      target: '≤ 50',
      measured: f1(report.start.longTaskMaxMs.max),
      met: report.start.longTaskMaxMs.max <= 50,
    },
    {
      figure: 'warm start to first result (s)',
      target: '≤ 1.5',
      measured: f2(report.start.warmFirstResultMs.median / 1000),
      met: report.start.warmFirstResultMs.median <= 1500,
    },
    {
      figure: `HNSW vs exact query speed-up, N = ${largest.n}, efSearch ${largest.efSearch} (recall@10 ${largest.recall.toFixed(3)})`,
      target: '≥ 20×',
      measured: `${f1(largest.speedup)}×`,
      met: largest.speedup >= 20,
    },
    {
      figure: 'exact scan bandwidth ÷ memory-copy bandwidth',
      target: '≥ 0.5',
      measured: f2(report.scan.ratio),
      met: report.scan.ratio >= 0.5,
    },
    {
      figure: `hnswlib-wasm ÷ hnswlib-node query time (Chromium; Node), N = ${report.peers.n}`,
      target: '≤ 2× (goal)',
      measured: `${f2(report.peers.queryRatioChromium)}×; ${f2(report.peers.queryRatioNode)}×`,
      met: report.peers.queryRatioChromium <= 2,
    },
  ];
}

export function markdown(report: BenchReport): string {
  const lines = [`# Visual Search Lab bench, ${report.date}${report.quick ? ' (quick)' : ''}`, ''];
  const m = report.machine;
  lines.push(
    `${m.cores} cores, Chromium ${m.chromium} (cross-origin isolated: ${m.crossOriginIsolated}), Node ${m.node}; load average ${m.loadAverageAtStart.toFixed(1)} at the start, ${m.loadAverageAtEnd.toFixed(1)} at the end (other jobs share the machine). Figures: median (min–max) of the runs.`,
    '',
  );
  lines.push('## Targets', '', '| figure | target | measured | met |', '| --- | --- | ---: | --- |');
  for (const t of targets(report))
    lines.push(`| ${t.figure} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);

  lines.push(
    '',
    '## Model load (WASM, one worker, backend start + download + parse, ms)',
    '',
    '| model | ms |',
    '| --- | ---: |',
  );
  for (const [id, fig] of Object.entries(report.modelLoadMs)) lines.push(`| ${id} | ${spread(fig, 0)} |`);

  const embedding = report.embedding as Embedding;
  const batches = Object.keys(Object.values(embedding)[0]).filter((key) => key.startsWith('batch'));
  lines.push('', `## Embedding, ${report.defaultModel}, one worker (model ms/image)`, '');
  lines.push(
    `| backend | threads used | ${batches.map((b) => b.replace('batch', 'batch ')).join(' | ')} | prep ms/image | wasm heap |`,
  );
  lines.push(`| --- | ---: | ${batches.map(() => '---:').join(' | ')} | ---: | ---: |`);
  for (const [id, e] of Object.entries(embedding)) {
    const where = id.startsWith('node') ? `${id} (Node peer)` : `${id} (Chromium worker)`;
    lines.push(
      `| ${where} | ${e.threadCount ?? 1} | ${batches.map((b) => spread(e[b])).join(' | ')} | ${e.prepMs ? spread(e.prepMs) : '—'} | ${e.wasmHeapBytes ? mib(e.wasmHeapBytes) : '—'} |`,
    );
  }

  const pool = Object.entries(report.pool);
  lines.push(
    '',
    '## Catalogue throughput (images/s, the app, whole pipeline)',
    '',
    '| pool | images/s |',
    '| --- | ---: |',
  );
  for (const [id, fig] of pool) lines.push(`| ${id.replace('workers', '')} worker(s) | ${spread(fig)} |`);

  const s = report.start;
  lines.push(
    '',
    `## Start, ${s.images} images, ${s.backend} (the app, ${s.coldReadyMs.runs} fresh profile(s); warm = second load in the same profile)`,
    '',
  );
  lines.push('| figure | value |', '| --- | ---: |');
  lines.push(`| cold: page load to ready index, ms | ${spread(s.coldReadyMs, 0)} |`);
  lines.push(`| cold: page load to first result, ms | ${spread(s.coldFirstResultMs, 0)} |`);
  lines.push(`| warm: page load to ready index, ms | ${spread(s.warmReadyMs, 0)} |`);
  lines.push(`| warm: page load to first result, ms | ${spread(s.warmFirstResultMs, 0)} |`);
  lines.push(`| embedding wall time, s | ${spread(s.embedSeconds)} |`);
  lines.push(`| HNSW build of the catalogue, ms | ${spread(s.buildMs, 0)} |`);
  lines.push(`| main-thread long tasks while indexing: count | ${spread(s.longTaskCount, 0)} |`);
  lines.push(`| main-thread long tasks while indexing: longest, ms | ${spread(s.longTaskMaxMs, 0)} |`);
  lines.push(
    `| main-thread long tasks from page load to ready (start-up included): longest, ms | ${spread(s.loadLongTaskMaxMs, 0)} |`,
  );
  lines.push(`| memory, page + workers (measureUserAgentSpecificMemory) | ${mib(s.memoryBytes.median)} |`);
  lines.push(`| memory, workers only | ${mib(s.workerMemoryBytes.median)} |`);
  lines.push(`| JS heap, main thread | ${mib(s.mainJsHeapBytes.median)} |`);

  const sc = report.scan;
  lines.push(
    '',
    `## Exact scan against a memory copy (${sc.n} × ${sc.dim} float32 = ${mib(sc.bytes)}, one worker, GB/s)`,
    '',
  );
  lines.push(
    '| exact top-10 scan (WebAssembly SIMD, the app) | plain JavaScript scan | TypedArray.set | copyWithin | app scan ÷ best copy |',
    '| ---: | ---: | ---: | ---: | ---: |',
  );
  lines.push(
    `| ${spread(sc.scanGBs, 2)} | ${spread(sc.plainScanGBs, 2)} | ${spread(sc.setGBs, 2)} | ${spread(sc.copyWithinGBs, 2)} | ${f2(sc.ratio)} |`,
  );

  lines.push(
    '',
    '## HNSW (hnswlib-wasm, Chromium worker) against the exact scan (WebAssembly SIMD), clustered 1280-d, M=16, efConstruction=100, k=10',
    '',
  );
  lines.push(
    '| N | build s | efSearch | recall@10 | exact p50 / p95 ms | HNSW p50 / p95 ms | speed-up (p50) | wasm heap |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const h of report.hnsw) {
    lines.push(
      `| ${h.n} | ${f1(h.buildMs / 1000)} | ${h.efSearch} | ${h.recall.toFixed(3)} | ${h.exactMs.median.toFixed(3)} / ${h.exactMs.p95.toFixed(3)} | ${h.hnswMs.median.toFixed(3)} / ${h.hnswMs.p95.toFixed(3)} | ${f1(h.speedup)}× | ${mib(h.wasmHeapBytes)} |`,
    );
  }

  const p = report.peers;
  lines.push('', `## Peers: the same vectors and parameters (N = ${p.n}, efSearch ${p.efSearch})`, '');
  lines.push('| library | where | build s | query p50 / p95 ms | recall@10 |', '| --- | --- | ---: | ---: | ---: |');
  lines.push(
    `| hnswlib-wasm | Chromium worker | ${f1(p.chromiumWasm.buildMs / 1000)} | ${p.chromiumWasm.queryMs.median.toFixed(3)} / ${p.chromiumWasm.queryMs.p95.toFixed(3)} | ${p.chromiumWasm.recall.toFixed(3)} |`,
  );
  lines.push(
    `| hnswlib-wasm | Node | ${f1(p.wasmNode.buildMs / 1000)} | ${p.wasmNode.queryMs.median.toFixed(3)} / ${p.wasmNode.queryMs.p95.toFixed(3)} | ${p.wasmNode.recall.toFixed(3)} |`,
  );
  lines.push(
    `| hnswlib-node (native) | Node | ${f1(p.native.buildMs / 1000)} | ${p.native.queryMs.median.toFixed(3)} / ${p.native.queryMs.p95.toFixed(3)} | ${p.native.recall.toFixed(3)} |`,
  );
  lines.push(
    '',
    `wasm ÷ native: query ${f2(p.queryRatioChromium)}× (Chromium), ${f2(p.queryRatioNode)}× (Node); build ${f2(p.buildRatioChromium)}× (Chromium), ${f2(p.buildRatioNode)}× (Node).`,
  );

  lines.push('', '## Per model (the app, its readouts)', '');
  lines.push(
    '| model | N | dim | ms/image (prep + model) | embed s | build ms | exact ms | HNSW ms | ANN recall@10 | P@10 exact | mAP@10 | nDCG@10 | P@10 HNSW |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [id, raw] of Object.entries(report.models)) {
    const r = raw as Record<string, number> & { evaluation: Record<string, number> };
    const e = r.evaluation;
    lines.push(
      `| ${id} | ${r.n} | ${r.dimensions} | ${f1(r['embed-ms-per-image'])} (${f1(r['decode-ms-per-image'])} + ${f1(r['infer-ms-per-image'])}) | ${f1(r['embed-seconds'])} | ${r['build-ms'].toFixed(0)} | ${r.exactMs.toFixed(3)} | ${r.hnswMs.toFixed(3)} | ${r.annRecallAt10.toFixed(3)} | ${e['precision-at-k/exact'].toFixed(3)} | ${e['map-at-k/exact'].toFixed(3)} | ${e['ndcg-at-k/exact'].toFixed(3)} | ${e['precision-at-k/hnsw'].toFixed(3)} |`,
    );
  }
  const sweep = Object.values(report.models as Record<string, { sweepCsv?: string }>).find((r) => r.sweepCsv)?.sweepCsv;
  if (sweep) lines.push('', 'Sweep (default model):', '', '```csv', sweep.trim(), '```');
  return lines.join('\n') + '\n';
}

/** Paths (a.b[2].c) of every value in a parsed report that is not a finite number, a string, a boolean or an object/array of them. */
export function incompleteFields(value: unknown, path = 'report'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (typeof value === 'string' || typeof value === 'boolean') return [];
  if (Array.isArray(value))
    return value.length === 0 ? [path] : value.flatMap((v, i) => incompleteFields(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => incompleteFields(v, `${path}.${k}`));
  }
  return [path];
}

/** Sections every report has; with incompleteFields, what the smoke test checks. */
export const REPORT_SECTIONS = [
  'machine',
  'modelLoadMs',
  'embedding',
  'pool',
  'start',
  'scan',
  'hnsw',
  'peers',
  'models',
] as const;

/** Writes <stem>.json and <stem>.md into `dir`; returns their paths. */
export function writeReport(report: BenchReport, dir: string, stem: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${stem}.json`);
  const md = join(dir, `${stem}.md`);
  writeFileSync(json, JSON.stringify(report, null, 2));
  writeFileSync(md, markdown(report));
  return { json, md };
}
