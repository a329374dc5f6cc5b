import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { figure, latency, pairedRatio } from '../bench/figures';
import { partialFiles, reportStem, writePartialReport, writeReport } from '../bench/output';
import { markdown, targets } from '../bench/report';
import type { BenchReport, PartialBenchReport } from '../bench/types';

const where = { resultsDir: '/r/results', cwd: '/r', date: '2026-12-01T10:00:00.000Z', quick: false };

describe('--out', () => {
  it('defaults to the date in the results folder', () => {
    expect(reportStem(undefined, where)).toBe(join('/r/results', '2026-12-01'));
    expect(reportStem(undefined, { ...where, quick: true })).toBe(join('/r/results', '2026-12-01-quick'));
  });

  it('takes a bare name as before, and a path as a path', () => {
    expect(reportStem('mine', where)).toBe(join('/r/results', 'mine'));
    expect(reportStem('some/dir/name', where)).toBe(resolve('/r', 'some/dir/name'));
    expect(reportStem('/elsewhere/run.json', where)).toBe('/elsewhere/run');
    expect(() => reportStem('some/dir/', where)).toThrow(/name the report/);
  });
});

/** A report after its first two stages. */
function partialReport(): PartialBenchReport {
  return {
    date: '2026-12-01T10:00:00.000Z',
    quick: true,
    complete: false,
    machine: {
      cores: 2,
      chromium: '1',
      crossOriginIsolated: true,
      node: 'v20',
      loadAverageAtStart: 0.5,
      load: [
        { stage: 'modelLoadMs', seconds: 10, loadAverage: 3.5 },
        { stage: 'embedding', seconds: 20, loadAverage: 1.2 },
      ],
    },
    catalogue: 'c',
    defaultModel: 'm',
    modelLoadMs: { m: figure([500, 600, 700]) },
    embedding: {
      'wasm-simd': { threadCount: 1, batch1: figure([30, 31, 32]), batch16: figure([25, 26, 40]) },
      'node-wasm-simd': { batch1: figure([20, 21]), batch16: figure([19, 22]) },
    },
  };
}

describe('partial and final reports', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const stemIn = (...parts: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'vsl-bench-out-'));
    dirs.push(dir);
    return join(dir, ...parts);
  };

  it('writes what was measured so far, creating the folders, and marks it partial', () => {
    const stem = stemIn('a', 'b', 'run');
    const files = writePartialReport(partialReport(), stem);
    expect(files).toEqual(partialFiles(stem));
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(json.complete).toBe(false);
    expect(json.embedding['wasm-simd'].batch16.median).toBe(26);
    const md = readFileSync(files.md, 'utf8');
    expect(md).toContain('PARTIAL');
    expect(md).toContain('not measured: scan, hnsw, peers, start, pool, models');
    expect(md).toContain('## Embedding');
    expect(md).not.toContain('## Start');
    // The load is recorded per stage, and the busiest moment is named.
    expect(md).toContain('3.5 at most (after the modelLoadMs stage)');
    expect(md).toContain('the machine was busy');
  });

  it('the final report replaces the partial files', () => {
    const stem = stemIn('run');
    writePartialReport(partialReport(), stem);
    const report = { ...partialReport(), complete: true } as unknown as BenchReport;
    const files = writeReport(report, stem);
    expect(existsSync(files.json) && existsSync(files.md)).toBe(true);
    expect(existsSync(partialFiles(stem).json)).toBe(false);
    expect(existsSync(partialFiles(stem).md)).toBe(false);
    expect(readFileSync(files.md, 'utf8')).not.toContain('PARTIAL');
  });

  it('each target states the statistic that decides it', () => {
    const report: PartialBenchReport = {
      ...partialReport(),
      hnsw: [
        {
          n: 100_000,
          queries: 3,
          build: figure([421_000]),
          efSearch: 128,
          recall: 0.987,
          ladder: [{ efSearch: 128, recall: 0.987 }],
          exactMs: latency([50, 51, 349]),
          hnswMs: latency([2.5, 2.4, 17]),
          speedup: pairedRatio([50, 51, 349], [2.5, 2.4, 17]),
          wasmHeapBytes: 2 ** 30,
        },
      ],
    };
    const rows = targets(report);
    const embedding = rows.find((t) => t.figure.includes('embedding'))!;
    expect(embedding.figure).toContain('wasm-simd, batch 16');
    expect(embedding.statistic).toContain('median of 3 runs');
    expect(embedding.measured).toBe('26.0 (25.0–40.0)');
    const speedup = rows.find((t) => t.figure.includes('speed-up'))!;
    expect(speedup.statistic).toContain('median of 3 per-query ratios');
    expect(speedup.measured).toBe('20.5× (20.1×–21.2×)');
    expect(speedup.met).toBe(true);
    const md = markdown(report);
    expect(md).toContain('421.0 (1 run)');
    expect(md).toContain('<!-- bench:begin -->');
  });
});
