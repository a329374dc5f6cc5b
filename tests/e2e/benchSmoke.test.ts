import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { partialFiles, writePartialReport, writeReport } from '../bench/output';
import { serveProbePage } from '../bench/probePage';
import { REPORT_SECTIONS, incompleteFields, targets } from '../bench/report';
import { runBench } from '../bench/suite';
import type { PartialBenchReport } from '../bench/types';
import { E2E_CATALOGUE, PRECOMPUTED_CATALOGUE, PRECOMPUTED_MODEL } from '../fixtures/catalogues';

const fixtures = resolve(import.meta.dirname, '..', '.fixtures');
const baseUrl = inject('baseUrl');

describe('npm run bench -- --quick (its core, on the e2e subset)', () => {
  let probe: Awaited<ReturnType<typeof serveProbePage>>;
  const outDir = mkdtempSync(join(tmpdir(), 'vsl-bench-smoke-'));
  beforeAll(async () => {
    probe = await serveProbePage(join(fixtures, 'public'), join(fixtures, 'probe-dist'));
  });
  afterAll(async () => {
    await probe?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('measures every section and writes a complete JSON report and its Markdown', { timeout: 900_000 }, async () => {
    // A folder that does not exist yet: the report's folders are created.
    const stem = join(outDir, 'nested', 'smoke');
    const partials: { stages: string[]; onDisk: PartialBenchReport }[] = [];
    const report = await runBench({
      quick: true,
      appUrl: baseUrl,
      probeUrl: probe.url,
      publicDir: join(fixtures, 'public'),
      catalogue: E2E_CATALOGUE,
      // A catalogue that ships a bundle for its model: the start is measured both ways on it.
      start: { catalogue: PRECOMPUTED_CATALOGUE, model: PRECOMPUTED_MODEL },
      cores: 2,
      log: () => {},
      onStage: (partial) => {
        const files = writePartialReport(partial, stem);
        partials.push({
          stages: REPORT_SECTIONS.filter((s) => s in partial),
          onDisk: JSON.parse(readFileSync(files.json, 'utf8')),
        });
      },
    });

    // Each stage left what it measured on disk before the next began.
    expect(partials.map((p) => p.stages.length)).toEqual(partials.map((_, i) => i + 2));
    expect(partials.every((p) => p.onDisk.complete === false)).toBe(true);
    expect(partials[3].onDisk.hnsw?.[0].speedup.pairs).toBe(10);
    expect(existsSync(partialFiles(stem).md)).toBe(true);

    const { json, md } = writeReport(report, stem);
    expect(existsSync(partialFiles(stem).json)).toBe(false);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed.complete).toBe(true);
    expect(Object.keys(parsed)).toEqual(expect.arrayContaining([...REPORT_SECTIONS]));
    // Every figure is a finite number: a NaN or a missing readout would be written as null.
    expect(incompleteFields(parsed)).toEqual([]);
    expect(Object.keys(parsed.embedding)).toEqual(['wasm-simd', 'wasm-simd-threads', 'webgl', 'cpu', 'node-wasm-simd']);
    expect(parsed.embedding['wasm-simd'].batch1.runs).toBeGreaterThanOrEqual(2);
    expect(parsed.embedding.webgl.threadCount).toBe(1);
    expect(parsed.peers.native.recall).toBeGreaterThan(0.9);
    expect([parsed.embedding['wasm-simd'].threads, parsed.embedding['wasm-simd-threads'].threads]).toEqual([
      false,
      true,
    ]);

    // The cold start in the browser bypassed the bundle and embedded every image…
    const { browser, shipped } = parsed.start;
    expect(parsed.start.images).toBe(6);
    expect(browser.query).toContain('precomputed=0');
    expect(browser.cold.embeddedCount.median).toBe(6);
    expect(browser.cold.precomputedHits.max).toBe(0);
    expect(browser.cold.embedMsPerImage.median).toBeGreaterThan(0);
    // …and its warm start found what the cold page kept, embedding nothing again.
    expect(browser.warm.embeddedCount.max).toBe(0);
    expect(browser.warm.cacheHits.median).toBe(6);
    // The shipped row read the bundle.
    expect(shipped.query).not.toContain('precomputed=0');
    expect(shipped.cold.precomputedHits.median).toBe(6);
    expect(shipped.cold.embeddedCount.max).toBe(0);
    expect(shipped.cold.embedMsPerImage).toBeUndefined();
    // The shipped row read the index shipped with the catalogue, its warm load the copy it kept; the
    // browser row built its own (its vectors are not the bundle's), and kept it for its warm load.
    const sources = (load: { indexSources: string[] }) => [...new Set(load.indexSources)];
    expect(sources(shipped.cold)).toEqual(['shipped']);
    expect(sources(shipped.warm)).toEqual(['stored']);
    expect(sources(browser.cold)).toEqual(['built']);
    expect(sources(browser.warm)).toEqual(['stored']);
    // The app's page is cross-origin isolated, so its workers run the threaded SIMD binary.
    expect(parsed.start.backend).toBe('wasm + SIMD + threads');

    // The pool and the per-model runs embed in the browser too.
    for (const row of Object.values(parsed.pool.workers) as { embeddedCount: { median: number } }[])
      expect(row.embeddedCount.median).toBe(8);
    const model = parsed.models[parsed.defaultModel];
    expect(model.readouts['embedded-count']).toBeGreaterThan(0);
    expect(model.readouts['embed-ms-per-image']).toBeGreaterThan(0);
    expect(model.annRecallAt10).toBeGreaterThanOrEqual(0);
    expect(model.annRecallAt10).toBeLessThanOrEqual(1);

    // The HNSW speed-up is a median of per-query ratios, with its spread; the build is one run.
    const h = parsed.hnsw[0];
    expect(h.speedup.pairs).toBe(h.queries);
    expect(h.speedup.p5).toBeLessThanOrEqual(h.speedup.median);
    expect(h.speedup.median).toBeLessThanOrEqual(h.speedup.p95);
    expect(h.speedup.min).toBeLessThan(h.speedup.max);
    expect(h.build.runs).toBe(1);
    expect(h.ladder.at(-1).efSearch).toBe(h.efSearch);

    const text = readFileSync(md, 'utf8');
    for (const t of targets(parsed)) {
      expect(text).toContain(t.figure);
      expect(text).toContain(t.statistic);
    }
    expect(text).toContain('(1 run)');
    expect(text).toContain('<!-- bench:begin -->');
    expect(text).toContain('<!-- bench:end -->');
    expect(text).not.toContain('PARTIAL');
  });
});
