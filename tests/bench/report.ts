import type { Figure, PairedRatio } from './figures';
import {
  STAGES,
  type BenchReport,
  type EmbeddingRow,
  type LoadFigures,
  type PartialBenchReport,
  type StartPath,
} from './types';

/** One of the targets, with the statistic it is judged on and what this run measured of it. */
export interface Target {
  figure: string;
  target: string;
  /** How `measured` is computed from the runs: the same statistic decides `met`. */
  statistic: string;
  measured: string;
  met: boolean;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
/** median (min–max), or the value and `1 run` when there was one. */
const spread = (x: Figure, digits = 1) =>
  x.runs === 1
    ? `${x.median.toFixed(digits)} (1 run)`
    : `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
/** A speed-up factor: one decimal, two below 1 (so 0.04× does not read 0.0×). */
const times = (x: number) => `${x < 1 ? f2(x) : f1(x)}×`;
const ratio = (r: PairedRatio) =>
  `${times(r.median)} (p5–p95 ${times(r.p5)}–${times(r.p95)}; min–max ${times(r.min)}–${times(r.max)}; ${r.pairs} queries)`;
const runsOf = (n: number, what: string) => (n === 1 ? `1 ${what}` : `${n} ${what}s`);
const batchKeys = (e: EmbeddingRow) => Object.keys(e).filter((key) => /^batch\d+$/.test(key)) as `batch${number}`[];

/** The best (lowest median) WASM variant and batch of the Chromium workers. */
function bestWasm(embedding: Record<string, EmbeddingRow>) {
  const candidates = Object.entries(embedding)
    .filter(([id]) => id.startsWith('wasm'))
    .flatMap(([id, e]) => batchKeys(e).map((batch) => ({ id, batch: batch.replace('batch', ''), figure: e[batch] })));
  return candidates.reduce((best, c) => (c.figure.median < best.figure.median ? c : best));
}

/** The issue's targets, each with the statistic it is judged on; only those whose stage this report has. */
export function targets(report: PartialBenchReport): Target[] {
  const rows: Target[] = [];
  if (report.embedding) {
    const best = bestWasm(report.embedding);
    rows.push({
      figure: `${report.defaultModel} embedding, WASM, model ms/image in one Chromium worker (best variant and batch: ${best.id}, batch ${best.batch})`,
      target: '≤ 20',
      statistic: `median of ${runsOf(best.figure.runs, 'run')}, after an untimed batch`,
      measured: spread(best.figure),
      met: best.figure.median <= 20,
    });
  }
  const s = report.start;
  if (s) {
    /** A page-load figure in ms, judged and shown in seconds. */
    const startRow = (label: string, fig: Figure, limitSeconds: number) => ({
      figure: label,
      target: `≤ ${limitSeconds}`,
      statistic: `median of ${runsOf(fig.runs, 'fresh profile')}`,
      measured: spread({ ...fig, median: fig.median / 1000, min: fig.min / 1000, max: fig.max / 1000 }, 2),
      met: fig.median <= limitSeconds * 1000,
    });
    rows.push(
      startRow(
        `cold start in the browser (\`precomputed=0\`, every image embedded): page load to ready index, ${s.images} images (s)`,
        s.browser.cold.readyMs,
        40,
      ),
      startRow(
        `cold start as shipped (fresh profile, the precomputed bundle and shipped index): page load to ready, ${s.images} images (s)`,
        s.shipped.cold.readyMs,
        3,
      ),
      startRow('warm start as shipped (second load, same profile): page load to ready (s)', s.shipped.warm.readyMs, 1),
      startRow(
        'warm start after embedding in the browser (second load, same profile, after the first saved its index and embeddings): page load to ready index (s)',
        s.browser.warm.readyMs,
        1.5,
      ),
    );
    // The issue's goal is about jank: a long task, or a long frame (the tasks with the style, layout
    // and paint after them, which `longtask` entries leave out), judged on the worst cold load.
    const worst = (figs: (Figure | undefined)[]) => {
      const present = figs.filter((f): f is Figure => f !== undefined);
      return present.length === figs.length ? Math.max(...present.map((f) => f.max)) : null;
    };
    const longRow = (figure: string, statistic: string, longest: number | null) => ({
      figure,
      target: '≤ 50',
      statistic,
      measured: longest === null ? 'missing' : int(longest),
      met: longest !== null && longest <= 50,
    });
    const cold = `worst of ${runsOf(s.shipped.cold.firstResultLongTaskMaxMs.runs, 'cold load')}`;
    const coldBoth = `worst of ${runsOf(s.browser.cold.longTaskMaxMs.runs + s.shipped.cold.longTaskMaxMs.runs, 'cold load')} (in the browser and as shipped)`;
    rows.push(
      longRow(
        'longest main-thread task (`longtask`), navigation → first result, as shipped (ms)',
        cold,
        s.shipped.cold.firstResultLongTaskMaxMs.max,
      ),
      longRow(
        'longest animation frame (`long-animation-frame`: tasks + style, layout, paint), navigation → first result, as shipped (ms)',
        cold,
        worst([s.shipped.cold.firstResultLongFrameMaxMs]),
      ),
      longRow(
        'longest main-thread task while the catalogue is embedded and indexed, cold start (ms)',
        coldBoth,
        Math.max(s.browser.cold.longTaskMaxMs.max, s.shipped.cold.longTaskMaxMs.max),
      ),
      longRow(
        'longest animation frame while the catalogue is embedded and indexed, cold start (ms)',
        coldBoth,
        worst([s.browser.cold.longFrameMaxMs, s.shipped.cold.longFrameMaxMs]),
      ),
    );
    const memory = s.shipped.cold.memoryBytes;
    rows.push({
      figure: 'page + workers memory after ready, as shipped (MiB)',
      target: '≤ 300',
      statistic: `median of ${runsOf(memory.runs, 'fresh profile')}`,
      measured: spread(
        { ...memory, median: memory.median / 2 ** 20, min: memory.min / 2 ** 20, max: memory.max / 2 ** 20 },
        0,
      ),
      met: memory.median <= 300 * 2 ** 20,
    });
    const firstQuery = s.shipped.cold.firstQueryRatio;
    const nextSpread = s.shipped.cold.nextQuerySpread;
    if (firstQuery)
      rows.push({
        figure: 'first HNSW query ÷ median of the next ten, as shipped, cold',
        target: '≤ 1.5',
        statistic:
          `median of ${runsOf(firstQuery.runs, 'fresh profile')}` +
          (nextSpread ? `; the next ten's own slowest ÷ fastest: ${spread(nextSpread, 1)}` : ''),
        measured: spread(firstQuery, 2),
        met: firstQuery.median <= 1.5,
      });
  }
  if (report.hnsw) {
    const largest = report.hnsw[report.hnsw.length - 1];
    rows.push({
      figure: `HNSW vs exact query speed-up, N = ${int(largest.n)}, efSearch ${largest.efSearch} (recall@10 ${f3(largest.recall)}, held-out queries)`,
      target: '≥ 20×',
      statistic: `median of ${largest.speedup.pairs} per-query ratios, exact and HNSW timed side by side (p5–p95)`,
      measured: `${times(largest.speedup.median)} (${times(largest.speedup.p5)}–${times(largest.speedup.p95)})`,
      met: largest.speedup.median >= 20,
    });
  }
  if (report.scan) {
    rows.push({
      figure: 'exact scan bandwidth ÷ memory-copy bandwidth (same worker)',
      target: '≥ 0.5',
      statistic: `median scan GB/s ÷ the better median copy GB/s, ${report.scan.scanGBs.runs} runs each`,
      measured: f2(report.scan.ratio),
      met: report.scan.ratio >= 0.5,
    });
  }
  if (report.peers) {
    const p = report.peers;
    rows.push({
      figure: `hnswlib-wasm ÷ hnswlib-node query time (Chromium; Node), N = ${int(p.n)}, same vectors and parameters`,
      target: '≤ 2× (goal)',
      statistic: `median ÷ median, ${p.native.queryMs.runs} queries each, one library after the other`,
      measured: `${f2(p.queryRatioChromium)}×; ${f2(p.queryRatioNode)}×`,
      met: p.queryRatioChromium <= 2,
    });
  }
  return rows;
}

/** The highest 1-minute load average seen, and when. */
function peakLoad(report: PartialBenchReport): { loadAverage: number; stage: string } {
  const samples = [{ stage: 'start', loadAverage: report.machine.loadAverageAtStart }, ...report.machine.load];
  return samples.reduce((a, b) => (b.loadAverage > a.loadAverage ? b : a));
}

function loadLine(report: PartialBenchReport): string {
  const m = report.machine;
  const peak = peakLoad(report);
  const end = m.loadAverageAtEnd === undefined ? '' : `, ${f1(m.loadAverageAtEnd)} at the end`;
  const busy =
    peak.loadAverage > m.cores
      ? ` — **the machine was busy (load above its ${m.cores} cores): absolute times are inflated; the ratios, measured side by side, hold better**`
      : '';
  const forced = m.forcedBy
    ? ` **Started over the load limit with \`${m.forcedBy}\`** (the bench refuses to start above ${m.cores} without it).`
    : '';
  return `1-minute load average ${f1(m.loadAverageAtStart)} at the start, ${f1(peak.loadAverage)} at most (${peak.stage === 'start' ? 'at the start' : `after the ${peak.stage} stage`})${end}, on ${m.cores} cores${busy}.${forced}`;
}

function targetTable(report: PartialBenchReport): string[] {
  const lines = ['| figure | target | statistic | measured | met |', '| --- | --- | --- | ---: | --- |'];
  for (const t of targets(report))
    lines.push(`| ${t.figure} | ${t.target} | ${t.statistic} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
  return lines;
}

function perModelTable(report: PartialBenchReport): string[] {
  const lines = [
    '| model | N | dim | ms/image (prep + model) | embed s | build ms | exact ms | HNSW ms | ANN recall@10 | P@10 exact | mAP@10 | nDCG@10 | P@10 HNSW | embedded / precomputed / stored |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [id, r] of Object.entries(report.models ?? {})) {
    const o = r.readouts;
    const e = r.evaluation;
    lines.push(
      `| \`${id}\`${id === report.defaultModel ? ' (default)' : ''} | ${o.n} | ${o.dimensions} | ${f1(o['embed-ms-per-image'])} (${f1(o['decode-ms-per-image'])} + ${f1(o['infer-ms-per-image'])}) | ${f1(o['embed-seconds'])} | ${int(o['build-ms'])} | ${f3(r.exactMs)} | ${f3(r.hnswMs)} | ${f3(r.annRecallAt10)} | ${f3(e['precision-at-k/exact'])} | ${f3(e['map-at-k/exact'])} | ${f3(e['ndcg-at-k/exact'])} | ${f3(e['precision-at-k/hnsw'])} | ${o['embedded-count']} / ${o['precomputed-hits']} / ${o['cache-hits']} |`,
    );
  }
  return lines;
}

const PER_MODEL_NOTE =
  'Per model, whole catalogue, through the app with `precomputed=0` (every image embedded in the browser, one fresh page each; efSearch 64): ' +
  'exact and HNSW ms are the medians over the queries of the app’s readouts at k = 10 (each itself the median of 7 runs), after one untimed query; ' +
  'ANN recall@10 leaves the query out — both engines asked for 11, the query dropped from both lists, the first 10 compared; ' +
  'P@10, mAP@10, nDCG@10 are leave-one-out on the exact ranking.';

/**
 * The block docs/performance.md takes whole: the run's date, machine and load, the targets with
 * their statistics, the ratios and the per-model table. Every figure the doc quotes is in here.
 */
export function docBlock(report: PartialBenchReport, file: string): string[] {
  const m = report.machine;
  const lines = [
    '<!-- bench:begin -->',
    `Measured by \`npm run bench\` on ${report.date.slice(0, 10)}: ${m.cores} cores, headless Chromium ${m.chromium}, Node ${m.node}` +
      ` ([\`tests/bench/results/${file}\`](../tests/bench/results/${file}) has every table, the \`.json\` beside it every run).`,
    loadLine(report),
    'Each row states its statistic, which also decides *met*; min–max is the spread over the runs, and a figure from a single run says `1 run`.',
    '',
    ...targetTable(report),
  ];
  const bullets: string[] = [];
  if (report.scan) {
    const sc = report.scan;
    bullets.push(
      `- **Exact scan** (${int(sc.n)} × ${sc.dim} float32, one worker, median of ${sc.scanGBs.runs} runs after 2 untimed): WebAssembly SIMD ${f2(sc.scanGBs.median)} GB/s, plain JavaScript ${f2(sc.plainScanGBs.median)} GB/s (${f1(sc.scanGBs.median / sc.plainScanGBs.median)}×); \`copyWithin\` ${f2(sc.copyWithinGBs.median)} GB/s, \`TypedArray.set\` ${f2(sc.setGBs.median)} GB/s.`,
    );
  }
  if (report.hnsw) {
    const rows = report.hnsw.map(
      (h) =>
        `N = ${int(h.n)}: ${ratio(h.speedup)} at efSearch ${h.efSearch} (recall@10 ${f3(h.recall)}; exact p50 ${f2(h.exactMs.median)} ms, HNSW p50 ${f3(h.hnswMs.median)} ms), build ${f1(h.build.median / 1000)} s (1 run)`,
    );
    bullets.push(
      `- **HNSW vs exact** (hnswlib-wasm in a Chromium worker, clustered 1280-d, M=16, efConstruction=100, k=10, held-out queries; exact and HNSW timed side by side per query): ${rows.join('; ')}.`,
    );
  }
  if (report.peers) {
    const p = report.peers;
    bullets.push(
      `- **hnswlib-wasm vs native hnswlib** (N = ${int(p.n)}, efSearch ${p.efSearch}; builds 1 run each; queries median of ${p.native.queryMs.runs} after an untimed pass): build ${f1(p.chromiumWasm.build.median / 1000)} s in Chromium and ${f1(p.wasmNode.build.median / 1000)} s as wasm in Node against ${f1(p.native.build.median / 1000)} s native (${f2(p.buildRatioChromium)}× and ${f2(p.buildRatioNode)}×); queries ${f3(p.chromiumWasm.queryMs.median)}, ${f3(p.wasmNode.queryMs.median)} and ${f3(p.native.queryMs.median)} ms.`,
    );
  }
  if (report.embedding) {
    const e = report.embedding;
    const cells = Object.entries(e).map(
      ([id, row]) =>
        `${id} ${batchKeys(row)
          .map((b) => f1(row[b].median))
          .join(' / ')}`,
    );
    const batches = batchKeys(Object.values(e)[0]).map((b) => b.replace('batch', ''));
    const prep = e['wasm-simd']?.prepMs;
    bullets.push(
      `- **Backends**, ${report.defaultModel}, one worker, batch ${batches.join(' / ')}, model ms/image (median of ${Object.values(e)[0][batchKeys(Object.values(e)[0])[0]].runs} runs): ${cells.join('; ')}.` +
        (prep ? ` Data preparation (fetch, decode, crop, resize) ${f1(prep.median)} ms/image.` : '') +
        (report.modelLoadMs
          ? ` Model load (fresh worker, after one untimed load): ${Object.entries(report.modelLoadMs)
              .map(([id, fig]) => `${id} ${int(fig.median)} ms`)
              .join(', ')}.`
          : ''),
    );
  }
  if (report.pool) {
    const pool = Object.entries(report.pool.workers)
      .map(([id, row]) => `${f1(row.imagesPerSecond.median)} images/s with ${id.replace('workers', '')} worker(s)`)
      .join(', ');
    const runs = Object.values(report.pool.workers)[0].imagesPerSecond.runs;
    bullets.push(
      `- **Pool**, embedding in the browser (\`precomputed=0\`, ${report.pool.images} images, whole pipeline, median of ${runsOf(runs, 'fresh page')}): ${pool}.`,
    );
  }
  if (report.start) {
    const s = report.start;
    const b = s.browser;
    const sh = s.shipped;
    bullets.push(
      `- **Start**, ${s.images} images, ${s.model}, median of ${runsOf(s.profiles, 'fresh profile')}: in the browser, cold ${f2(b.cold.readyMs.median / 1000)} s to ready (${b.cold.embeddedCount.median} embedded${b.cold.embedSeconds ? ` in ${f1(b.cold.embedSeconds.median)} s` : ''}, build ${int(b.cold.buildMs.median)} ms), warm ${f2(b.warm.readyMs.median / 1000)} s (${b.warm.cacheHits.median} from browser storage, index read back in ${int(b.warm.buildMs.median)} ms); as shipped, cold ${f2(sh.cold.readyMs.median / 1000)} s (${sh.cold.precomputedHits.median} precomputed, build ${int(sh.cold.buildMs.median)} ms), warm ${f2(sh.warm.readyMs.median / 1000)} s (index read back in ${int(sh.warm.buildMs.median)} ms). Longest main-thread task from page load to ready (start-up included): ${int(Math.max(b.cold.loadLongTaskMaxMs.max, sh.cold.loadLongTaskMaxMs.max))} ms, worst cold load. As shipped, ${startExtras(sh)}.`,
      `- **Memory** after the cold start in the browser (median): page and workers ${mib(b.cold.memoryBytes.median)} (${mib(b.cold.workerMemoryBytes.median)} in the workers), main-thread JS heap ${mib(b.cold.mainJsHeapBytes.median)}; as shipped ${mib(sh.cold.memoryBytes.median)}.` +
        (report.hnsw
          ? ` hnswlib's heap at N = ${int(report.hnsw[report.hnsw.length - 1].n)}: ${mib(report.hnsw[report.hnsw.length - 1].wasmHeapBytes)}.`
          : ''),
    );
  }
  if (bullets.length > 0) lines.push('', 'Ratios and figures from the same run:', '', ...bullets);
  if (report.models) lines.push('', PER_MODEL_NOTE, '', ...perModelTable(report));
  lines.push('<!-- bench:end -->');
  return lines;
}

function startTable(s: NonNullable<PartialBenchReport['start']>): string[] {
  const columns: [string, LoadFigures][] = [
    ['in the browser, cold', s.browser.cold],
    ['in the browser, warm', s.browser.warm],
    ['as shipped, cold', s.shipped.cold],
    ['as shipped, warm', s.shipped.warm],
  ];
  const row = (label: string, get: (l: LoadFigures) => Figure | undefined, digits = 0, scale = 1) =>
    `| ${label} | ${columns
      .map(([, l]) => {
        const fig = get(l);
        return fig
          ? spread({ ...fig, median: fig.median * scale, min: fig.min * scale, max: fig.max * scale }, digits)
          : '—';
      })
      .join(' | ')} |`;
  const memory = (get: (l: LoadFigures) => Figure) => `| ${columns.map(([, l]) => mib(get(l).median)).join(' | ')} |`;
  return [
    `| figure | ${columns.map(([name]) => name).join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    row('page load to ready index, s', (l) => l.readyMs, 2, 1e-3),
    row('page load to first result, s', (l) => l.firstResultMs, 2, 1e-3),
    row('`embedded-count`', (l) => l.embeddedCount),
    row('`precomputed-hits`', (l) => l.precomputedHits),
    row('`cache-hits`', (l) => l.cacheHits),
    row('`embed-ms-per-image` (prep + model, per worker)', (l) => l.embedMsPerImage, 1),
    row('`embed-seconds` (embedding wall time)', (l) => l.embedSeconds, 1),
    row('`build-ms` (HNSW build, or the saved index read back)', (l) => l.buildMs),
    row('main-thread long tasks while indexing: count', (l) => l.longTaskCount),
    row('main-thread long tasks while indexing: longest, ms', (l) => l.longTaskMaxMs),
    row('main-thread long tasks, page load to ready: longest, ms', (l) => l.loadLongTaskMaxMs),
    row('longest long task, navigation → first result, ms', (l) => l.firstResultLongTaskMaxMs),
    row('longest animation frame while indexing, ms', (l) => l.longFrameMaxMs),
    row('longest animation frame, navigation → first result, ms', (l) => l.firstResultLongFrameMaxMs),
    `| memory, page + workers (median) ${memory((l) => l.memoryBytes)}`,
    `| memory, workers only (median) ${memory((l) => l.workerMemoryBytes)}`,
    `| JS heap, main thread (median) ${memory((l) => l.mainJsHeapBytes)}`,
  ];
}

/** The report as Markdown; a partial report shows the stages it has and names the others. */
export function markdown(report: PartialBenchReport, file = `${report.date.slice(0, 10)}.md`): string {
  const missing = STAGES.filter((stage) => report[stage] === undefined);
  const lines = [
    `# Visual Search Lab bench, ${report.date}${report.quick ? ' (quick)' : ''}${report.complete ? '' : ' — PARTIAL'}`,
    '',
  ];
  if (!report.complete)
    lines.push(
      `**Partial results**: the run has not finished (or stopped); not measured: ${missing.join(', ') || 'none'}.`,
      '',
    );
  const m = report.machine;
  lines.push(
    `${m.cores} cores, Chromium ${m.chromium} (cross-origin isolated: ${m.crossOriginIsolated}), Node ${m.node}. ${loadLine(report)}`,
    '',
    'Figures: median (min–max) of the runs; a figure from one run says `1 run`. Every timed block follows an untimed warm-up, except cold starts, which are cold by design.',
    '',
  );
  lines.push('## Targets', '', ...targetTable(report));

  if (report.modelLoadMs) {
    lines.push(
      '',
      '## Model load (WASM, a fresh worker each run after one untimed load: backend start + download + parse, ms)',
      '',
      '| model | ms |',
      '| --- | ---: |',
    );
    for (const [id, fig] of Object.entries(report.modelLoadMs)) lines.push(`| ${id} | ${spread(fig, 0)} |`);
  }

  if (report.embedding) {
    const embedding = report.embedding;
    const batches = batchKeys(Object.values(embedding)[0]);
    lines.push(
      '',
      `## Embedding, ${report.defaultModel}, one worker (model ms/image, after an untimed batch of each size)`,
      '',
    );
    lines.push(
      `| backend | threads used | ${batches.map((b) => b.replace('batch', 'batch ')).join(' | ')} | first inference ms (1 run) | prep ms/image | wasm heap |`,
    );
    lines.push(`| --- | ---: | ${batches.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
    for (const [id, e] of Object.entries(embedding)) {
      const where = id.startsWith('node') ? `${id} (Node peer)` : `${id} (Chromium worker)`;
      lines.push(
        `| ${where} | ${e.threadCount ?? 1} | ${batches.map((b) => spread(e[b])).join(' | ')} | ${e.firstInferenceMs === undefined ? '—' : int(e.firstInferenceMs)} | ${e.prepMs ? spread(e.prepMs) : '—'} | ${e.wasmHeapBytes ? mib(e.wasmHeapBytes) : '—'} |`,
      );
    }
  }

  if (report.scan) {
    const sc = report.scan;
    lines.push(
      '',
      `## Exact scan against a memory copy (${sc.n} × ${sc.dim} float32 = ${mib(sc.bytes)}, one worker, GB/s, after 2 untimed runs of each)`,
      '',
      '| exact top-10 scan (WebAssembly SIMD, the app) | plain JavaScript scan | TypedArray.set | copyWithin | app scan ÷ best copy |',
      '| ---: | ---: | ---: | ---: | ---: |',
      `| ${spread(sc.scanGBs, 2)} | ${spread(sc.plainScanGBs, 2)} | ${spread(sc.setGBs, 2)} | ${spread(sc.copyWithinGBs, 2)} | ${f2(sc.ratio)} |`,
    );
  }

  if (report.hnsw) {
    lines.push(
      '',
      '## HNSW (hnswlib-wasm, Chromium worker) against the exact scan (WebAssembly SIMD), clustered 1280-d, M=16, efConstruction=100, k=10',
      '',
      'Held-out queries (never indexed). One build per N (`1 run`), after an untimed build of a small index. The efSearch ladder runs untimed and stops at the first rung with recall@10 ≥ 0.95 (or its last rung); then, per query, exact and HNSW are timed side by side, which goes first alternating. The speed-up is the median of the per-query ratios exact ÷ HNSW, with their spread — not a ratio of two medians.',
      '',
      '| N | build s | efSearch | recall@10 | exact p50 / p95 ms | HNSW p50 / p95 ms | speed-up: median of per-query ratios (p5–p95; min–max) | wasm heap |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const h of report.hnsw) {
      lines.push(
        `| ${h.n} | ${spread({ ...h.build, median: h.build.median / 1000, min: h.build.min / 1000, max: h.build.max / 1000 })} | ${h.efSearch} | ${f3(h.recall)} | ${f3(h.exactMs.median)} / ${f3(h.exactMs.p95)} | ${f3(h.hnswMs.median)} / ${f3(h.hnswMs.p95)} | ${times(h.speedup.median)} (${times(h.speedup.p5)}–${times(h.speedup.p95)}; ${times(h.speedup.min)}–${times(h.speedup.max)}) | ${mib(h.wasmHeapBytes)} |`,
      );
    }
    lines.push('');
    for (const h of report.hnsw)
      lines.push(
        `Ladder at N = ${h.n} (efSearch: recall@10): ${h.ladder.map((r) => `${r.efSearch}: ${f3(r.recall)}`).join(', ')}.`,
      );
  }

  if (report.peers) {
    const p = report.peers;
    const build = (fig: Figure) =>
      spread({ ...fig, median: fig.median / 1000, min: fig.min / 1000, max: fig.max / 1000 });
    lines.push(
      '',
      `## Peers: the same vectors and parameters (N = ${p.n}, efSearch ${p.efSearch}; one build each, queries after an untimed pass)`,
      '',
      '| library | where | build s | query p50 / p95 ms | recall@10 |',
      '| --- | --- | ---: | ---: | ---: |',
      `| hnswlib-wasm | Chromium worker | ${build(p.chromiumWasm.build)} | ${f3(p.chromiumWasm.queryMs.median)} / ${f3(p.chromiumWasm.queryMs.p95)} | ${f3(p.chromiumWasm.recall)} |`,
      `| hnswlib-wasm | Node | ${build(p.wasmNode.build)} | ${f3(p.wasmNode.queryMs.median)} / ${f3(p.wasmNode.queryMs.p95)} | ${f3(p.wasmNode.recall)} |`,
      `| hnswlib-node (native) | Node | ${build(p.native.build)} | ${f3(p.native.queryMs.median)} / ${f3(p.native.queryMs.p95)} | ${f3(p.native.recall)} |`,
      '',
      `wasm ÷ native (ratios of medians; the libraries run one after the other): query ${f2(p.queryRatioChromium)}× (Chromium), ${f2(p.queryRatioNode)}× (Node); build ${f2(p.buildRatioChromium)}× (Chromium), ${f2(p.buildRatioNode)}× (Node).`,
    );
  }

  if (report.start) {
    const s = report.start;
    lines.push(
      '',
      `## Start, ${s.images} images of ${s.catalogue}, ${s.model}, ${s.backend} (the app, ${runsOf(s.profiles, 'fresh profile')} per path)`,
      '',
      `In the browser: \`?${s.browser.query}\` (the bundle bypassed). As shipped: \`?${s.shipped.query}\`. Warm = a second load in the same profile, after the cold page showed \`index-saved\` (its index and embeddings kept).`,
      '',
      ...startTable(s),
    );
  }

  if (report.pool) {
    lines.push(
      '',
      `## Catalogue throughput in the browser (images/s, the app, whole pipeline; \`?${report.pool.query}&workers=n\`, a fresh page each run)`,
      '',
      '| pool | images/s | embedded / precomputed / stored |',
      '| --- | ---: | ---: |',
    );
    for (const [id, row] of Object.entries(report.pool.workers))
      lines.push(
        `| ${id.replace('workers', '')} worker(s) | ${spread(row.imagesPerSecond)} | ${row.embeddedCount.median} / ${row.precomputedHits.median} / ${row.cacheHits.median} |`,
      );
  }

  if (report.models) {
    lines.push('', '## Per model (the app, its readouts)', '', PER_MODEL_NOTE, '', ...perModelTable(report));
    const sweep = Object.values(report.models).find((r) => r.sweepCsv)?.sweepCsv;
    if (sweep)
      lines.push(
        '',
        "Sweep (default model; the app's Sweep lab as it runs it — its queries, warm-up and recall are the lab's):",
        '',
        '```csv',
        sweep.trim(),
        '```',
      );
  }

  lines.push('', '## Load during the run', '', '| after stage | at s | 1-min load average |', '| --- | ---: | ---: |');
  lines.push(`| (start) | 0 | ${f1(m.loadAverageAtStart)} |`);
  for (const l of m.load) lines.push(`| ${l.stage} | ${l.seconds} | ${f1(l.loadAverage)} |`);

  lines.push(
    '',
    '## For docs/performance.md',
    '',
    'Replace the block between `<!-- bench:begin -->` and `<!-- bench:end -->` in docs/performance.md with the one below (markers included).',
    '',
    ...docBlock(report, file),
  );
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

/** Sections every complete report has; with incompleteFields, what the smoke test checks. */
export const REPORT_SECTIONS = ['machine', ...STAGES] as const satisfies readonly (keyof BenchReport)[];

/** The shipped path's index source, first-query ratio and model time, each said to be missing when it is. */
function startExtras(path: StartPath): string {
  const sources = (l: LoadFigures) => [...new Set(l.indexSources.map((s) => s || 'not said'))].join('/');
  const optional = (f: Figure | undefined, show: (f: Figure) => string) => (f ? show(f) : 'missing');
  return [
    `index ${sources(path.cold)} cold and ${sources(path.warm)} warm`,
    `first HNSW query ÷ median of the next ten queries' first runs ${optional(path.cold.firstQueryRatio, (f) => f2(f.median))} cold, ${optional(path.warm.firstQueryRatio, (f) => f2(f.median))} warm`,
    `MobileNet in ${optional(path.cold.modelReadyMs, (f) => `${f2(f.median / 1000)} s`)} after navigation (cold; the page is ready before it)`,
  ].join('; ');
}
