import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveProbePage } from '../bench/probePage';
import { REPORT_SECTIONS, incompleteFields, targets, writeReport } from '../bench/report';
import { runBench } from '../bench/suite';
import { E2E_CATALOGUE } from '../fixtures/catalogues';

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

  it('measures every section and writes a complete JSON report and its Markdown', { timeout: 600_000 }, async () => {
    const report = await runBench({
      quick: true,
      appUrl: baseUrl,
      probeUrl: probe.url,
      publicDir: join(fixtures, 'public'),
      catalogue: E2E_CATALOGUE,
      cores: 2,
      log: () => {},
    });
    const { json, md } = writeReport(report, outDir, 'smoke');
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(parsed)).toEqual(expect.arrayContaining([...REPORT_SECTIONS]));
    // Every figure is a finite number: a NaN or a missing readout would be written as null.
    expect(incompleteFields(parsed)).toEqual([]);
    expect(Object.keys(parsed.embedding)).toEqual(['wasm-simd', 'wasm-simd-threads', 'webgl', 'cpu', 'node-wasm-simd']);
    expect(parsed.embedding['wasm-simd'].batch1.runs).toBeGreaterThanOrEqual(2);
    expect(parsed.embedding.webgl.threadCount).toBe(1);
    expect(parsed.peers.native.recall).toBeGreaterThan(0.9);
    expect(parsed.start.images).toBe(8);
    expect([parsed.embedding['wasm-simd'].threads, parsed.embedding['wasm-simd-threads'].threads]).toEqual([
      false,
      true,
    ]);
    // The app's page is cross-origin isolated, so its workers run the threaded SIMD binary.
    expect(parsed.start.backend).toBe('wasm + SIMD + threads');
    const text = readFileSync(md, 'utf8');
    for (const t of targets(parsed)) expect(text).toContain(t.figure);
  });
});
