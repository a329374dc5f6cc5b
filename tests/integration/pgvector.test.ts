import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobControl } from '../../src/bridge/jobControl';
import { encodeEmbeddingBundle } from '../../src/lib/embeddingBundle';
import { exactTopK } from '../../src/lib/exactSearch';
import { nearestQuery, searchSettings, splitScript, vectorLiteral } from '../../src/lib/pgvectorSql';
import type { ExclusionReason } from '../../src/lib/rerank';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import type { CatalogueManifest } from '../../src/lib/types';
import { pgvectorWorker } from '../../src/features/pgvector/worker/pgvectorWorker';

/**
 * pgvector in PGlite, in Node: the `.sql` that `npm run export -- --format pgvector` writes loads
 * as psql would load it and answers with the exact top k at a high ef_search; the app's worker
 * never returns a row its WHERE clause filtered out.
 */
const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'tests', '.fixtures', 'export-pgvector');
const DIM = 24;
const COUNT = 400;
const CLASSES = 8;
const K = 10;
const run = promisify(execFile);

const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: CLASSES, spread: 0.4, seed: 11 });
const ids = Int32Array.from({ length: COUNT }, (_, i) => i);
const labelOf = (id: number) => `class${id % CLASSES}`;
const queryIds = [0, 17, 123, 250, 399];
const row = (id: number) => vectors.subarray(id * DIM, (id + 1) * DIM);

/** Runs a .sql file as psql would: COPY from stdin's rows go through PGlite's /dev/blob. */
async function runScript(db: PGlite, text: string): Promise<void> {
  for (const part of splitScript(text)) {
    if ('sql' in part) await db.exec(part.sql);
    else await db.query(part.copy, [], { blob: new Blob([part.data]) });
  }
}

describe('the pgvector export loaded into PGlite', () => {
  let db: PGlite;

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const hashes = Array.from({ length: COUNT }, (_, i) => i.toString(16).padStart(64, '0'));
    writeFileSync(
      join(dir, 'bundle.vsle'),
      encodeEmbeddingBundle({ modelId: 'm', dim: DIM, preprocessing: 'p', hashes, vectors }),
    );
    const items = hashes.map((hash, id) => ({
      id,
      // A tab and a backslash in a name: COPY's text format must escape them.
      file: id === 5 ? 'odd\tname\\5.jpg' : `${labelOf(id)}/${id}.jpg`,
      label: labelOf(id),
      width: 1,
      height: 1,
      hash,
    }));
    const manifest: CatalogueManifest = { format: 1, id: 'c', name: 'c', items };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    await run(tsx, [
      join(root, 'datasets', 'export.ts'),
      join(dir, 'bundle.vsle'),
      '--manifest',
      join(dir, 'manifest.json'),
      '--out',
      join(dir, 'out'),
      '--format',
      'pgvector',
      '--M',
      '8',
    ]);
    db = await PGlite.create({ extensions: { vector } });
    await runScript(db, readFileSync(join(dir, 'out', 'items.sql'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('holds every row, its label and file, and an HNSW index with the asked M', async () => {
    const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items;');
    expect(count.rows[0].n).toBe(COUNT);
    const odd = await db.query<{ file: string; label: string }>('SELECT file, label FROM items WHERE id = 5;');
    expect(odd.rows[0]).toEqual({ file: 'odd\tname\\5.jpg', label: 'class5' });
    const index = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'items';");
    expect(index.rows.map((r) => r.indexdef).join('\n')).toMatch(
      /USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?8'?/,
    );
  });

  it('answers with the exact top k at a high ef_search, through the index', async () => {
    // 400 rows cost less to sort than to search: the planner is told to use the index, as it would on a large table.
    await db.exec(searchSettings(400, false, true));
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${nearestQuery(K, false)}`, [vectorLiteral(row(0))]);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('items_embedding_hnsw');
    for (const id of queryIds) {
      const { rows } = await db.query<{ id: number; score: number }>(nearestQuery(K, false), [vectorLiteral(row(id))]);
      const exact = exactTopK(vectors, ids, DIM, row(id), K);
      expect(rows.map((r) => r.id)).toEqual(exact.map((n) => n.id));
      rows.forEach((r, i) => expect(r.score).toBeCloseTo(exact[i].score, 5));
    }
  });
});

describe('the pgvector worker', () => {
  const worker = pgvectorWorker();
  const hidden = 'class3';
  const excluded = new Map<number, ExclusionReason>();
  for (let id = 0; id < COUNT; id++) if (labelOf(id) === hidden) excluded.set(id, 'hidden-label');
  excluded.set(1, 'private');
  excluded.set(2, 'flagged');

  beforeAll(async () => {
    const rows = Array.from(ids, (id) => ({ id, label: labelOf(id), file: `${id}.jpg` }));
    const opened = await worker.open(
      new JobControl(),
      null,
      { rows, vectors: vectors.slice(), dim: DIM, fingerprint: 'test' },
      { M: 16, efConstruction: 64 },
      () => {},
    );
    expect(opened).toMatchObject({ count: COUNT, restored: false });
  }, 120_000);

  afterAll(async () => {
    await worker.forget();
  });

  it('never returns a filtered row, with iterative scan on or off', async () => {
    // A query from the hidden class: its nearest rows are almost all filtered out.
    const queries = [3, 11, 19, 1];
    for (const id of queries) {
      for (const iterativeScan of [false, true]) {
        const { answer, filtered } = await worker.search(
          { id },
          {
            k: K,
            efSearch: 40,
            iterativeScan,
            forceIndex: true,
            rules: { excluded, dedupThreshold: null, mmrLambda: null },
          },
        );
        expect(answer.reranked.kept.length).toBeLessThanOrEqual(K);
        for (const kept of answer.reranked.kept) expect(excluded.has(kept.id)).toBe(false);
        expect(filtered).not.toBeNull();
        expect(filtered!.excluded).toBe(excluded.size);
        expect(filtered!.plan).toBe('hnsw index scan');
        if (iterativeScan) expect(answer.reranked.kept.length).toBe(K);
      }
    }
  });

  it('without iterative scan, a filter that removes most rows leaves fewer than asked; with it, all of them', async () => {
    const most = new Map<number, ExclusionReason>();
    // Only class 1 is kept; the query is of class 0, whose rows are its nearest.
    for (let id = 0; id < COUNT; id++) if (id % CLASSES !== 1) most.set(id, 'hidden-label');
    const rules = { excluded: most, dedupThreshold: null, mmrLambda: null };
    const options = { k: K, efSearch: 40, forceIndex: true, rules };
    const off = await worker.search({ id: 0 }, { ...options, iterativeScan: false });
    const on = await worker.search({ id: 0 }, { ...options, iterativeScan: true });
    // The scan stops after ef_search 40 candidates, nearly all of them filtered out.
    expect(off.filtered!.returned).toBeLessThan(K);
    expect(on.filtered!.returned).toBe(3 * K);
    expect(on.filtered!.recall).toBeGreaterThan(off.filtered!.recall);
    for (const row of [...off.answer.reranked.kept, ...on.answer.reranked.kept]) expect(row.id % CLASSES).toBe(1);
  });

  it('lets the planner scan every row when that is cheaper, an exact answer', async () => {
    const { answer, plan } = await worker.search(
      { id: 7 },
      { k: K, efSearch: 40, iterativeScan: false, forceIndex: false, rules: null },
    );
    expect(plan).toBe('sequential scan');
    expect(answer.raw.map((n) => n.id)).toEqual(exactTopK(vectors, ids, DIM, row(7), K).map((n) => n.id));
  });

  it('with iterative scan, the filtered top k is the exact one among the rows kept', async () => {
    const { filtered } = await worker.search(
      { id: 3 },
      {
        k: K,
        efSearch: 200,
        iterativeScan: true,
        forceIndex: true,
        rules: { excluded, dedupThreshold: null, mmrLambda: null },
      },
    );
    expect(filtered!.recall).toBe(1);
    expect(filtered!.returned).toBe(3 * K);
  });

  it('its raw top k is the exact one at a high ef_search, and its figures are timings', async () => {
    for (const id of queryIds) {
      const { answer, filtered } = await worker.search(
        { vector: row(id).slice() },
        { k: K, efSearch: 400, iterativeScan: false, forceIndex: true, rules: null },
      );
      expect(filtered).toBeNull();
      expect(answer.raw.map((n) => n.id)).toEqual(exactTopK(vectors, ids, DIM, row(id), K).map((n) => n.id));
      expect(answer.warmMs).toBeGreaterThan(0);
      expect(answer.firstMs).toBeGreaterThan(0);
    }
  });

  it('sweeps ef_search: recall rises to 1, each query left out of its own lists', async () => {
    const rows = await worker.sweep(new JobControl(), { efSearches: [1, 400], k: K, queryIds }, () => {});
    expect(rows).toHaveLength(2);
    expect(rows![0].recall).toBeLessThan(rows![1].recall);
    expect(rows![1].recall).toBe(1);
    expect(rows![1].qps).toBeGreaterThan(0);
  });
});
