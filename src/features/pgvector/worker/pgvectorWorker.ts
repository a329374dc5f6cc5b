import { PGlite } from '@electric-sql/pglite';
import { annRecallAtK } from '../../../lib/annRecall';
import { TopK, dot } from '../../../lib/exactSearch';
import { leaveOut } from '../../../lib/offlineEvaluation';
import {
  CREATE_EXTENSION,
  DROP_INDEX,
  INDEX_NAME,
  MAX_EF_SEARCH,
  TABLE,
  createIndex,
  nearestQuery,
  searchSettings,
  vectorLiteral,
} from '../../../lib/pgvectorSql';
import { candidateCount, isActive, rerank, type RerankRules } from '../../../lib/rerank';
import { median, quantile } from '../../../lib/stats';
import type { Neighbour } from '../../../lib/types';
import type { WorkerImplementation } from '../../../bridge/protocol';
import type { PGVECTOR_WORKER, PgvectorPlan, PgvectorTable } from '../shared/protocol';
import { META, loadRows, openDatabase, readMeta, writeMeta } from './database';
import { deleteStoredPgvector } from '../shared/storedDatabases';
import { timeRunsAsync } from './timeRunsAsync';

const PASS_THROUGH: RerankRules = { excluded: new Map(), dedupThreshold: null, mmrLambda: null };

/**
 * The pgvector worker: Postgres (PGlite, WebAssembly) with the `vector` extension, holding the
 * catalogue as `items` with an HNSW index, answering the same queries as the search worker.
 * It keeps its own copy of the vectors to look a catalogue query up and to compute the exact
 * filtered top k that its filtered recall is measured against. (pgvector.worker.ts exposes it;
 * tests call it directly in Node.)
 */
export function pgvectorWorker(): WorkerImplementation<typeof PGVECTOR_WORKER> {
  let db: PGlite | null = null;
  let table: PgvectorTable | null = null;
  let rowOf = new Map<number, number>();

  function ready(): { db: PGlite; table: PgvectorTable } {
    if (!db || !table) throw new Error('the pgvector database is not open yet');
    return { db, table };
  }

  function vectorOf(id: number): Float32Array {
    const { table } = ready();
    const row = rowOf.get(id);
    if (row === undefined) throw new Error(`id ${id} is not in the pgvector table`);
    return table.vectors.subarray(row * table.dim, (row + 1) * table.dim);
  }

  /** Exact top k among the rows not excluded: the truth of a filtered query. */
  function exactKept(query: Float32Array, k: number, excluded: ReadonlyMap<number, unknown>): number[] {
    const { table } = ready();
    const kept = table.rows.length - [...excluded.keys()].filter((id) => rowOf.has(id)).length;
    const want = Math.min(k, kept);
    if (want <= 0) return [];
    const top = new TopK(want);
    const ids = table.rows.map((row) => row.id);
    ids.forEach((id, row) => {
      if (!excluded.has(id)) top.offer(dot(table.vectors, row * table.dim, query, table.dim), row);
    });
    return top.neighbours(ids).map((n) => n.id);
  }

  async function nearest(
    target: PGlite,
    query: Float32Array,
    limit: number,
    excluded: number[] | null,
  ): Promise<Neighbour[]> {
    const literal = vectorLiteral(query);
    const { rows } = await target.query<{ id: number; score: number }>(
      nearestQuery(limit, excluded !== null),
      excluded === null ? [literal] : [literal, excluded],
    );
    return rows.map(({ id, score }) => ({ id, score }));
  }

  /** EXPLAIN of a nearest-neighbour query: did the planner take the HNSW index? */
  async function planOf(
    target: PGlite,
    query: Float32Array,
    limit: number,
    excluded: number[] | null,
  ): Promise<PgvectorPlan> {
    const literal = vectorLiteral(query);
    const { rows } = await target.query<Record<string, string>>(
      `EXPLAIN ${nearestQuery(limit, excluded !== null)}`,
      excluded === null ? [literal] : [literal, excluded],
    );
    return rows.some((row) => Object.values(row).some((line) => line.includes(INDEX_NAME)))
      ? 'hnsw index scan'
      : 'sequential scan';
  }

  return {
    async open(job, storage, newTable, params, onProgress) {
      const total = newTable.rows.length;
      onProgress({ stage: 'starting', done: 0, total });
      const start = performance.now();
      await db?.close();
      db = null;
      const opened = await openDatabase(storage);
      const target = opened.db;
      await target.exec(CREATE_EXTENSION);
      const meta = await readMeta(target);
      const sameRows = meta !== null && meta.fingerprint === newTable.fingerprint && meta.dim === newTable.dim;
      const sameIndex = sameRows && meta.m === params.M && meta.ef_construction === params.efConstruction;
      let loadMs = 0;
      let buildMs: number;
      try {
        if (sameIndex) {
          buildMs = performance.now() - start;
        } else {
          if (!sameRows) {
            onProgress({ stage: 'loading', done: 0, total });
            const loadStart = performance.now();
            await loadRows(target, newTable, job, (done) => onProgress({ stage: 'loading', done, total }));
            loadMs = performance.now() - loadStart;
          }
          onProgress({ stage: 'indexing', done: total, total });
          await job.checkpoint();
          const buildStart = performance.now();
          await target.exec(`${DROP_INDEX}\n${createIndex(params)}`);
          buildMs = performance.now() - buildStart;
          await target.exec(`ANALYZE ${TABLE};`);
          await writeMeta(target, {
            fingerprint: newTable.fingerprint,
            dim: newTable.dim,
            m: params.M,
            ef_construction: params.efConstruction,
          });
        }
      } catch (error) {
        // A cancelled or failed load leaves no half-loaded table claiming to be complete.
        await target.query(`DELETE FROM ${META};`).catch(() => undefined);
        await target.close();
        throw error;
      }
      db = target;
      table = newTable;
      rowOf = new Map(newTable.rows.map((row, i) => [row.id, i]));
      return { count: total, loadMs, buildMs, restored: sameIndex, storageProblem: opened.storageProblem };
    },

    async search(query, { k, efSearch, rules, iterativeScan, forceIndex }) {
      const { db: target, table: loaded } = ready();
      const vector = 'id' in query ? vectorOf(query.id) : query.vector;
      const ef = Math.min(MAX_EF_SEARCH, efSearch);
      await target.exec(searchSettings(ef, iterativeScan, forceIndex));
      const n = loaded.rows.length;
      const active = isActive(rules) ? rules : PASS_THROUGH;
      const raw = await timeRunsAsync(() => nearest(target, vector, Math.min(k, n), null));
      const excluded = [...active.excluded.keys()];
      const fetched = candidateCount(k, n, active !== PASS_THROUGH);
      const candidates =
        excluded.length > 0
          ? await timeRunsAsync(() => nearest(target, vector, fetched, excluded))
          : fetched > raw.result.length
            ? await timeRunsAsync(() => nearest(target, vector, fetched, null))
            : raw;
      // The excluded rows never came back, so the re-ranking stage only removes near-duplicates (and runs MMR).
      const reranked = rerank(candidates.result, k, active, vectorOf);
      const filtered =
        excluded.length === 0
          ? null
          : {
              excluded: excluded.filter((id) => rowOf.has(id)).length,
              returned: candidates.result.length,
              asked: fetched,
              recall: annRecallAtK(
                exactKept(vector, k, active.excluded),
                candidates.result.slice(0, k).map((c) => c.id),
              ),
              warmMs: candidates.ms,
              plan: await planOf(target, vector, fetched, excluded),
            };
      return {
        answer: { raw: raw.result, warmMs: raw.ms, firstMs: raw.firstMs, reranked },
        filtered,
        efSearch: ef,
        plan: await planOf(target, vector, Math.min(k, n), null),
      };
    },

    async sweep(job, { efSearches, k, queryIds }, onProgress) {
      const { db: target, table: loaded } = ready();
      const want = Math.min(k + 1, loaded.rows.length);
      const truth = queryIds.map((id) => {
        const ids = exactKept(vectorOf(id), want, new Map());
        return leaveOut(id, ids, k);
      });
      const rows = [];
      const total = efSearches.length * queryIds.length;
      let done = 0;
      for (const efSearch of efSearches) {
        // The index, as the sweep measures it: on a small catalogue the planner would scan every row instead.
        await target.exec(searchSettings(Math.min(MAX_EF_SEARCH, efSearch), false, true));
        const times: number[] = [];
        let recallSum = 0;
        for (const [i, id] of queryIds.entries()) {
          const start = performance.now();
          const found = await nearest(target, vectorOf(id), want, null);
          times.push(performance.now() - start);
          recallSum += annRecallAtK(
            truth[i],
            leaveOut(
              id,
              found.map((n) => n.id),
              k,
            ),
          );
          onProgress(++done, total);
          await job.checkpoint();
        }
        const seconds = times.reduce((sum, ms) => sum + ms, 0) / 1000;
        rows.push({
          efSearch: Math.min(MAX_EF_SEARCH, efSearch),
          k,
          recall: recallSum / queryIds.length,
          qps: queryIds.length / seconds,
          p50_ms: median(times),
          p95_ms: quantile(times, 0.95),
          queries: queryIds.length,
        });
      }
      return rows;
    },

    async forget() {
      await db?.close();
      db = null;
      table = null;
      rowOf = new Map();
      await deleteStoredPgvector();
    },
  };
}
