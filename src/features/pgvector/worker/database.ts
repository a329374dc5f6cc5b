import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { COPY_BINARY_FROM_BLOB, TABLE, copyBinary, createTable } from '../../../lib/pgvectorSql';
import type { JobControl } from '../../../bridge/jobControl';
import type { PgvectorTable } from '../shared/protocol';

/*
 * The pgvector worker's database: opening it (in IndexedDB, else in memory), the app's record of
 * which rows and index it holds, and the load of the table by COPY.
 */

/** Rows per COPY: each chunk reports progress and is a point where a cancel is taken. */
const COPY_CHUNK = 250;

/** The app's own bookkeeping: which rows and which index the stored database holds. */
export const META = 'vsl_meta';

export interface Meta {
  fingerprint: string;
  dim: number;
  m: number | null;
  ef_construction: number | null;
}

/** Opens PGlite with pgvector; in IndexedDB when asked, else (or when that fails) in memory. */
export async function openDatabase(storage: string | null): Promise<{ db: PGlite; storageProblem: string | null }> {
  if (storage) {
    try {
      return {
        db: await PGlite.create(storage, { extensions: { vector }, relaxedDurability: true }),
        storageProblem: null,
      };
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      return { db: await PGlite.create({ extensions: { vector } }), storageProblem: problem };
    }
  }
  return { db: await PGlite.create({ extensions: { vector } }), storageProblem: null };
}

export async function readMeta(db: PGlite): Promise<Meta | null> {
  await db.exec(`CREATE TABLE IF NOT EXISTS ${META} (fingerprint text, dim int, m int, ef_construction int);`);
  const { rows } = await db.query<Meta>(`SELECT fingerprint, dim, m, ef_construction FROM ${META} LIMIT 1;`);
  return rows[0] ?? null;
}

export async function writeMeta(db: PGlite, meta: Meta): Promise<void> {
  await db.query(`DELETE FROM ${META};`);
  await db.query(`INSERT INTO ${META} VALUES ($1, $2, $3, $4);`, [
    meta.fingerprint,
    meta.dim,
    meta.m,
    meta.ef_construction,
  ]);
}

/** Loads the table in chunks of COPY_CHUNK rows. Throws Cancelled at a checkpoint. */
export async function loadRows(
  db: PGlite,
  table: PgvectorTable,
  job: JobControl,
  onProgress: (done: number) => void,
): Promise<void> {
  const { rows, vectors, dim } = table;
  await db.exec(`DROP TABLE IF EXISTS ${TABLE};\n${createTable(dim)}`);
  for (let start = 0; start < rows.length; start += COPY_CHUNK) {
    const end = Math.min(rows.length, start + COPY_CHUNK);
    const chunk = copyBinary(rows.slice(start, end), vectors.subarray(start * dim, end * dim), dim);
    await db.query(COPY_BINARY_FROM_BLOB, [], { blob: new Blob([chunk]) });
    onProgress(end);
    await job.checkpoint();
  }
}
