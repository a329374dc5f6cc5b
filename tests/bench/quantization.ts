/**
 * The quantization section of the bench (issue 14's targets), in Node on the same code the search
 * and scale workers run: `npm run bench` runs it after the browser bench; on its own:
 *   npx tsx tests/bench/quantization.ts [--quick] [--skip-million]
 * Writes tests/bench/results/<date>-quantization.json and .md (quick runs: -quick, not committed).
 * Longer than 300 lines because the measurements and the report they fill stay together, so each
 * field of the report is written next to the code that measures it.
 *
 * - the quantization table on the default catalogue (every image a query, left out of its lists);
 * - SQ8 against the float32 SIMD scan, complete top-10 searches, median per-query ratio;
 * - binary + rescoring at N = 100k synthetic vectors of the default model's dimension: recall@10
 *   for R = 200, 1,000 and 10,000 and the speed ratio to the float scan; the codes' memory ratio;
 * - binary codes with and without the random rotation on the default catalogue (recall@10);
 * - PQ's memory ratio at m = 64 and 128, and its ADC scan in WebAssembly against the plain JS one;
 * - 1,000,000 vectors held as compact codes (the Scale lab's rows): memory and query time.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOGUE, PUBLIC_DIR, bundlePath } from '../../datasets/setup';
import { JobControl } from '../../src/bridge/jobControl';
import { measureCompactScale } from '../../src/features/quantize/worker/compactScale';
import { runQuantization } from '../../src/features/quantize/worker/quantizationLab';
import { buildQuantizedIndex } from '../../src/features/quantize/worker/quantizedIndex';
import { AdcScanner } from '../../src/features/quantize/worker/quantKernel';
import { PQ_CENTROIDS, adcScores } from '../../src/features/quantize/shared/productQuantizer';
import { PQ_SEED, bytesPerVector, modelBytes } from '../../src/features/quantize/shared/methods';
import { quantizationTable, type QuantizationTableRow } from '../../src/features/quantize/shared/quantizationTable';
import type { CompactScaleRow } from '../../src/features/quantize/shared/compactScale';
import { VectorStore } from '../../src/features/search/worker/vectorStore';
import { ExactScanner } from '../../src/features/search/worker/exactScan';
import { annRecallAtK } from '../../src/lib/annRecall';
import { leaveOut } from '../../src/lib/offlineEvaluation';
import { decodeEmbeddingBundle } from '../../src/lib/embeddingBundle';
import { median } from '../../src/lib/stats';
import { ClusteredVectorSource, seededRandom } from '../../src/lib/syntheticVectors';
import type { CatalogueManifest, ModelIndex } from '../../src/lib/types';

const root = resolve(import.meta.dirname, '../..');

interface SpeedRatio {
  /** Median over queries of float32 ms / method ms. */
  ratio: number;
  floatMs: number;
  methodMs: number;
}

export interface QuantizationBenchReport {
  date: string;
  quick: boolean;
  catalogue: {
    id: string;
    model: string;
    n: number;
    dim: number;
    k: number;
    rescore: number;
    pqM: number;
    rows: QuantizationTableRow[];
  };
  sq8VsFloat: SpeedRatio & { recall: number };
  binaryAt100k: {
    n: number;
    dim: number;
    codeMemoryRatio: number;
    rows: (SpeedRatio & { rescore: number; recall: number })[];
  };
  pqMemory: { m: number; catalogueRatio: number; millionRatio: number; codesRatio: number }[];
  /** Binary codes' recall@k on the catalogue without and with the random rotation (R: the catalogue's). */
  rotation: { method: 'binary' | 'binary-rescore'; plain: number; rotated: number; rotatedTrainMs: number }[];
  /** The ADC scan alone (table given), WebAssembly against plain JS ("float" fields: the JS scan). */
  adcScan: { n: number; rows: (SpeedRatio & { m: number })[] };
  million: CompactScaleRow[] | null;
}

/** The default catalogue's vectors in manifest order (duplicate files share a bundle row), with their labels. */
function defaultCatalogue(publicDir: string) {
  const models = JSON.parse(readFileSync(join(publicDir, 'models', 'index.json'), 'utf8')) as ModelIndex;
  const model = models.default!;
  const bundle = decodeEmbeddingBundle(readFileSync(bundlePath(DEFAULT_CATALOGUE, model, publicDir)));
  const manifest = JSON.parse(
    readFileSync(join(publicDir, 'catalogues', DEFAULT_CATALOGUE, 'manifest.json'), 'utf8'),
  ) as CatalogueManifest;
  const rowOf = new Map(bundle.hashes.map((hash, row) => [hash, row]));
  const items = manifest.items.filter((item) => rowOf.has(item.hash));
  const { dim } = bundle;
  const vectors = new Float32Array(items.length * dim);
  items.forEach((item, i) => {
    const row = rowOf.get(item.hash)!;
    vectors.set(bundle.vectors.subarray(row * dim, (row + 1) * dim), i * dim);
  });
  return {
    model,
    dim,
    vectors,
    ids: Int32Array.from(items, (item) => item.id),
    labelOf: new Map(items.map((item) => [item.id, item.label])),
  };
}

/** Each query timed on both searches, interleaved, after a few untimed ones. */
function pairedSpeedRatio(
  queries: Float32Array[],
  float: (q: Float32Array) => unknown,
  method: (q: Float32Array) => unknown,
): SpeedRatio {
  const ratios: number[] = [];
  const floatMs: number[] = [];
  const methodMs: number[] = [];
  for (const q of queries.slice(0, 5)) {
    float(q);
    method(q);
  }
  for (const q of queries) {
    let start = performance.now();
    float(q);
    const a = performance.now() - start;
    start = performance.now();
    method(q);
    const b = performance.now() - start;
    floatMs.push(a);
    methodMs.push(b);
    ratios.push(a / b);
  }
  return { ratio: median(ratios), floatMs: median(floatMs), methodMs: median(methodMs) };
}

export async function runQuantizationBench(options: {
  quick: boolean;
  million: boolean;
  log: (line: string) => void;
}): Promise<QuantizationBenchReport> {
  const { quick, log } = options;
  const k = 10;

  // 1. The default catalogue's table.
  const catalogue = defaultCatalogue(PUBLIC_DIR);
  const { dim } = catalogue;
  const limit = quick ? 300 : catalogue.ids.length;
  const store = new VectorStore(catalogue.vectors.slice(0, limit * dim), catalogue.ids.slice(0, limit), dim);
  const ids = Array.from(store.ids);
  log(`default catalogue: ${ids.length} × ${dim}-d (${catalogue.model})`);
  const request = { k, rescore: 200, pqM: 64, queryIds: ids };
  const result = await runQuantization(store, request, new JobControl(), (p) => {
    if (p.done % 500 === 0) log(`${p.stage} ${p.done}/${p.total}`);
  });
  const rows = quantizationTable(result, catalogue.labelOf, ids);

  // 1b. The binary codes after a random rotation, on the same queries against the same exact lists.
  const rotation = await Promise.all(
    (['binary', 'binary-rescore'] as const).map(async (method) => {
      const index = await buildQuantizedIndex(method, store, { pqM: 64, pqSeed: PQ_SEED, rotate: true });
      const lists = ids.map((id) =>
        leaveOut(
          id,
          index.search(store.vectorOf(id), { k: k + 1, rescore: 200 }).map((n) => n.id),
          k,
        ),
      );
      const rotated =
        lists.reduce((sum, list, q) => sum + annRecallAtK(result.rankings.float32[q], list), 0) / ids.length;
      const plain = rows.find((r) => r.method === method)!.recall;
      log(`${method}: recall@${k} plain ${plain.toFixed(3)}, after a random rotation ${rotated.toFixed(3)}`);
      return { method, plain, rotated, rotatedTrainMs: index.trainMs };
    }),
  );

  // 2. SQ8 against the float32 SIMD scan, complete top-10 searches.
  const sq8 = await buildQuantizedIndex('sq8', store, { pqM: 64, pqSeed: PQ_SEED });
  const queries = ids.slice(0, quick ? 50 : 500).map((id) => store.vectorOf(id));
  const sq8Speed = pairedSpeedRatio(
    queries,
    (q) => store.exactTopK(q, k),
    (q) => sq8.search(q, { k, rescore: 0 }),
  );
  log(`SQ8: ${sq8Speed.ratio.toFixed(2)}× the float scan`);

  // 3. Binary + rescoring at N = 100k synthetic vectors of the model's dimension.
  const n = quick ? 10_000 : 100_000;
  const q = quick ? 10 : 50;
  const scanner = new ExactScanner(n + q, dim);
  const source = new ClusteredVectorSource({ dim, clusters: 40, spread: 0.8, seed: n, intrinsicDim: 16 });
  for (let from = 0; from < n + q; from += 5000) source.fill(scanner.vectors, from, Math.min(n + q, from + 5000));
  const synthetic = {
    vectors: scanner.vectors.subarray(0, n * dim),
    ids: Int32Array.from({ length: n }, (_, i) => i),
    dim,
  };
  const held = Array.from({ length: q }, (_, i) => scanner.vectors.slice((n + i) * dim, (n + i + 1) * dim));
  const binary = await buildQuantizedIndex('binary-rescore', synthetic, { pqM: 64, pqSeed: PQ_SEED });
  const truth = held.map((query) => scanner.topK(synthetic.ids, query, k).map((x) => x.id));
  // The target allows any R ≤ 10k: the app's default 200, then deeper.
  const binaryRows = [200, 1000, 10_000].map((rescore) => {
    const found = held.map((query) => binary.search(query, { k, rescore }).map((x) => x.id));
    const recall = found.reduce((sum, list, i) => sum + annRecallAtK(truth[i], list), 0) / q;
    const speed = pairedSpeedRatio(
      held,
      (query) => scanner.topK(synthetic.ids, query, k),
      (query) => binary.search(query, { k, rescore }),
    );
    log(
      `binary + rescore R=${rescore} at N=${n}: recall ${recall.toFixed(3)}, ${speed.ratio.toFixed(1)}× the float scan`,
    );
    return { rescore, recall, ...speed };
  });

  // 4. PQ's ADC scan: WebAssembly against plain JavaScript, the same sums. Only the scan is timed
  // (the table is the same work for both), over seeded random codes and tables: its speed does
  // not depend on what the codes mean.
  const adcN = quick ? 10_000 : 100_000;
  const adcRows = [64, 128].map((m) => {
    const random = seededRandom(m);
    const codes = Uint8Array.from({ length: adcN * m }, () => Math.floor(random() * 256));
    const tables = Array.from({ length: q }, () =>
      Float32Array.from({ length: m * PQ_CENTROIDS }, () => random() - 0.5),
    );
    const wasm = new AdcScanner(codes, m);
    const js = new Float32Array(adcN);
    const pq = { m } as Parameters<typeof adcScores>[0];
    const speed = pairedSpeedRatio(
      tables,
      (table) => adcScores(pq, codes, table, js),
      (table) => wasm.scores(table),
    );
    log(`PQ ADC scan m=${m} at N=${adcN}: WebAssembly ${speed.ratio.toFixed(2)}× the JS scan`);
    return { m, ...speed };
  });

  // 5. A million vectors as compact codes.
  let million: CompactScaleRow[] | null = null;
  if (options.million) {
    const size = quick ? 20_000 : 1_000_000;
    let last = 0;
    million = await measureCompactScale(
      { n: size, dim, k, queries: 20, rescore: 1000, seed: size },
      new JobControl(),
      (p) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          log(`${p.stage} ${p.done}/${p.total}`);
        }
      },
    );
  }

  return {
    date: new Date().toISOString(),
    quick,
    catalogue: { id: DEFAULT_CATALOGUE, model: catalogue.model, n: ids.length, dim, k, rescore: 200, pqM: 64, rows },
    sq8VsFloat: { ...sq8Speed, recall: rows.find((r) => r.method === 'sq8')!.recall },
    binaryAt100k: { n, dim, codeMemoryRatio: (dim * 4) / bytesPerVector('binary', dim, 0), rows: binaryRows },
    // PQ's memory against float32, codes + codebooks.
    pqMemory: [64, 128].map((m) => ({
      m,
      catalogueRatio: (ids.length * dim * 4) / (ids.length * m + modelBytes('pq', dim, m, ids.length)),
      millionRatio: (1e6 * dim * 4) / (1e6 * m + modelBytes('pq', dim, m, 1e6)),
      codesRatio: (dim * 4) / m,
    })),
    rotation,
    adcScan: { n: adcN, rows: adcRows },
    million,
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function quantizationMarkdown(report: QuantizationBenchReport): string {
  const { catalogue, sq8VsFloat, binaryAt100k, pqMemory, rotation, adcScan, million } = report;
  const lines = [
    `# Quantization bench, ${report.date}${report.quick ? ' (quick)' : ''}`,
    '',
    `${catalogue.id}: N ${catalogue.n}, ${catalogue.dim}-d (${catalogue.model}), k ${catalogue.k}, R ${catalogue.rescore}, ` +
      `PQ m ${catalogue.pqM}; every image a query, left out of its own lists.`,
    '',
    `| method | bytes / vector | memory | training ms | p50 ms | p95 ms | recall@${catalogue.k} | mAP@${catalogue.k} | nDCG@${catalogue.k} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...catalogue.rows.map(
      (r) =>
        `| ${r.method} | ${r.bytes_per_vector} | ${mib(r.total_bytes)} | ${r.train_ms.toFixed(0)} | ${r.p50_ms.toFixed(3)} | ` +
        `${r.p95_ms.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.map.toFixed(3)} | ${r.ndcg.toFixed(3)} |`,
    ),
    '',
    `Binary codes after a seeded random rotation (${catalogue.dim} × ${catalogue.dim}), recall@${catalogue.k} on the ` +
      'same queries: ' +
      rotation
        .map(
          (r) =>
            `${r.method} ${r.plain.toFixed(3)} → ${r.rotated.toFixed(3)} (training ${r.rotatedTrainMs.toFixed(0)} ms)`,
        )
        .join('; ') +
      '.',
    '',
    `SQ8 against the float32 SIMD scan (top 10, median of per-query ratios): **${sq8VsFloat.ratio.toFixed(2)}×** ` +
      `(${sq8VsFloat.floatMs.toFixed(3)} ms → ${sq8VsFloat.methodMs.toFixed(3)} ms), recall@10 ${sq8VsFloat.recall.toFixed(3)}; ` +
      'target ≥ 2.5× and recall@10 ≥ 0.99.',
    '',
    `Binary + rescoring at N ${binaryAt100k.n}, ${binaryAt100k.dim}-d synthetic clustered vectors (codes ` +
      `${binaryAt100k.codeMemoryRatio}× smaller than float32; target recall@10 ≥ 0.95 at ≥ 10× the float scan, codes ≤ 1/25):`,
    '',
    '| R | recall@10 | float ms | binary + rescore ms | speed-up |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...binaryAt100k.rows.map(
      (r) =>
        `| ${r.rescore} | ${r.recall.toFixed(3)} | ${r.floatMs.toFixed(2)} | ${r.methodMs.toFixed(2)} | ${r.ratio.toFixed(1)}× |`,
    ),
    '',
    'PQ memory against float32 (codes + codebooks; target ≥ 20×): ' +
      pqMemory
        .map(
          (p) =>
            `m ${p.m}: ${p.catalogueRatio.toFixed(1)}× on the catalogue, ${p.millionRatio.toFixed(1)}× at 1M (codes alone ${p.codesRatio}×)`,
        )
        .join('; ') +
      '.',
    '',
    `PQ's ADC scan alone at N ${adcScan.n} (the per-query table given; median of per-query ratios): WebAssembly ` +
      '(f32x4 lanes) against the plain JS scan with the same float32 sums: ' +
      adcScan.rows
        .map((r) => `m ${r.m}: **${r.ratio.toFixed(2)}×** (${r.floatMs.toFixed(2)} ms → ${r.methodMs.toFixed(2)} ms)`)
        .join('; ') +
      '.',
    '',
  ];
  if (million) {
    lines.push(
      `${million[0].n.toLocaleString('en')} vectors as compact codes, floats regenerated from the seed (target: query ≤ 100 ms):`,
      '',
      '| method | codes | float32 would take | query ms (median) | p95 ms | recall@10 | one pass s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...million.map((r) =>
        r.refused
          ? `| ${r.method} | refused: ${r.refused} | | | | | |`
          : `| ${r.method} | ${mib(r.codeBytes)} | ${mib(r.floatBytes)} | ${r.queryMs.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ` +
            `${r.recall.toFixed(3)} | ${(r.passMs / 1000).toFixed(0)} |`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

/** Runs the section and writes tests/bench/results/<date>-quantization[-quick].json and .md. */
export async function quantizationBench(quick: boolean, million = true): Promise<void> {
  const log = (line: string) => console.log(`[quantization] ${line}`);
  const report = await runQuantizationBench({ quick, million, log });
  const dir = join(root, 'tests', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `${report.date.slice(0, 10)}-quantization${quick ? '-quick' : ''}`);
  writeFileSync(`${stem}.json`, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(`${stem}.md`, quantizationMarkdown(report));
  console.log(quantizationMarkdown(report));
  log(`wrote ${stem}.json and .md`);
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, 'skip-million': { type: 'boolean', default: false } },
  });
  quantizationBench(values.quick, !values['skip-million']).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
