/**
 * The SQL of the pgvector engine, written once: the app's PGlite worker runs these statements,
 * its SQL panel shows them, and `npm run export -- --format pgvector` writes them into a `.sql`
 * file for a server Postgres with pgvector (or Citus). Pure: strings in, strings out.
 *
 * The table is `items(id int primary key, label text, file text, embedding vector(d))`; the
 * index is pgvector's HNSW with `vector_cosine_ops`, so `<=>` is cosine distance (1 − cosine
 * similarity) and the scores match the exact scan's and hnswlib's.
 */

export interface PgvectorIndexParams {
  /** Links per node (pgvector's `m`, the paper's M). */
  M: number;
  /** Candidate list while building (pgvector's `ef_construction`). */
  efConstruction: number;
}

/** One row of the table. */
export interface PgvectorRow {
  id: number;
  label: string | null;
  file: string | null;
}

export const TABLE = 'items';

export const CREATE_EXTENSION = 'CREATE EXTENSION IF NOT EXISTS vector;';

export function createTable(dim: number): string {
  if (!(Number.isInteger(dim) && dim > 0 && dim <= 16000)) throw new Error(`pgvector cannot store ${dim} dimensions`);
  return `CREATE TABLE ${TABLE} (id int PRIMARY KEY, label text, file text, embedding vector(${dim}));`;
}

/** The header of the load: rows follow as tab-separated text, as `pg_dump` writes them. */
export const COPY_HEADER = `COPY ${TABLE} (id, label, file, embedding) FROM stdin;`;

export const INDEX_NAME = `${TABLE}_embedding_hnsw`;

/**
 * The load the app runs: COPY's binary format from PGlite's /dev/blob. Parsing a float's text is
 * what makes the text load slow (measured: 600 × 1280-d rows in 24 s as text, 0.7 s in binary).
 */
export const COPY_BINARY_FROM_BLOB = `COPY ${TABLE} (id, label, file, embedding) FROM '/dev/blob' WITH (FORMAT binary);`;

/**
 * Rows in COPY's binary format: the PGCOPY signature, flags and header extension (0), then per row
 * the field count and each field's byte length and bytes, big-endian — int4 id, text label and
 * file (length -1 for null), and pgvector's own binary form (int2 dim, int2 0, float4 × dim) —
 * and -1 to end.
 */
export function copyBinary(rows: readonly PgvectorRow[], vectors: Float32Array, dim: number): Uint8Array<ArrayBuffer> {
  if (vectors.length !== rows.length * dim) throw new Error(`${vectors.length} floats are not ${rows.length} × ${dim}`);
  const encoder = new TextEncoder();
  const texts = rows.map((row) => [row.label, row.file].map((t) => (t === null ? null : encoder.encode(t))));
  let size = 11 + 4 + 4 + 2;
  for (const fields of texts)
    size += 2 + 8 + fields.reduce((sum, t) => sum + 4 + (t?.length ?? 0), 0) + 4 + 4 + 4 * dim;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
  let at = 19; // signature, then flags and header extension length, both 0
  rows.forEach((row, i) => {
    view.setInt16(at, 4);
    view.setInt32(at + 2, 4);
    view.setInt32(at + 6, row.id);
    at += 10;
    for (const text of texts[i]) {
      view.setInt32(at, text === null ? -1 : text.length);
      if (text) bytes.set(text, at + 4);
      at += 4 + (text?.length ?? 0);
    }
    view.setInt32(at, 4 + 4 * dim);
    view.setInt16(at + 4, dim);
    view.setInt16(at + 6, 0);
    at += 8;
    for (let d = 0; d < dim; d++, at += 4) view.setFloat32(at, vectors[i * dim + d]);
  });
  view.setInt16(at, -1);
  return bytes;
}

export function createIndex({ M, efConstruction }: PgvectorIndexParams): string {
  return (
    `CREATE INDEX ${INDEX_NAME} ON ${TABLE} USING hnsw (embedding vector_cosine_ops) ` +
    `WITH (m = ${M}, ef_construction = ${efConstruction});`
  );
}

export const DROP_INDEX = `DROP INDEX IF EXISTS ${INDEX_NAME};`;

/**
 * The session settings of a query: efSearch, whether the scan goes on past ef_search when a filter
 * removes rows, and whether the planner may choose a sequential scan (exact) instead of the index.
 */
export function searchSettings(efSearch: number, iterativeScan: boolean, forceIndex = false): string {
  return (
    `SET hnsw.ef_search = ${Math.max(1, Math.min(1000, Math.round(efSearch)))};\n` +
    `SET hnsw.iterative_scan = ${iterativeScan ? 'relaxed_order' : 'off'};\n` +
    `SET enable_seqscan = ${forceIndex ? 'off' : 'on'};`
  );
}

/** pgvector caps ef_search at 1000; the app's knob goes higher, so the figure used is said. */
export const MAX_EF_SEARCH = 1000;

/**
 * The nearest-neighbour query: cosine similarity as the score, best first. With `excluded` ids a
 * `WHERE` clause filters them out inside the index scan (pre-filtering): the business rules of
 * the re-ranking panel, as a production service would send them. $1 is the query vector, $2
 * the excluded ids (an int[]), the limit is literal so the text shown is the text run.
 */
export function nearestQuery(limit: number, filtered: boolean): string {
  return (
    `SELECT id, 1 - (embedding <=> $1) AS score FROM ${TABLE}` +
    (filtered ? ' WHERE NOT (id = ANY($2::int[]))' : '') +
    ` ORDER BY embedding <=> $1 LIMIT ${limit};`
  );
}

/** A vector as pgvector's text form: `[0.1,0.2,…]`, shortest round-trip float32 digits. */
export function vectorLiteral(vector: ArrayLike<number>): string {
  let text = '[';
  for (let i = 0; i < vector.length; i++) text += (i > 0 ? ',' : '') + String(Math.fround(vector[i]));
  return text + ']';
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** The COPY rows (without header or terminator): one line per row, tab-separated. */
export function copyRows(rows: readonly PgvectorRow[], vectors: Float32Array, dim: number): string {
  if (vectors.length !== rows.length * dim) throw new Error(`${vectors.length} floats are not ${rows.length} × ${dim}`);
  const lines: string[] = [];
  rows.forEach((row, i) => {
    const vector = vectors.subarray(i * dim, (i + 1) * dim);
    lines.push(`${row.id}\t${copyField(row.label)}\t${copyField(row.file)}\t${vectorLiteral(vector)}\n`);
  });
  return lines.join('');
}

/**
 * A whole `.sql` file as psql runs it: the extension, the table, the rows by COPY from stdin,
 * the HNSW index built after the load (faster than maintaining it row by row), and ANALYZE.
 */
export function sqlScript(
  rows: readonly PgvectorRow[],
  vectors: Float32Array,
  dim: number,
  index: PgvectorIndexParams,
): string {
  return [
    `-- Visual Search Lab export: ${rows.length} rows × ${dim} dimensions, pgvector HNSW (cosine).`,
    CREATE_EXTENSION,
    createTable(dim),
    COPY_HEADER,
    copyRows(rows, vectors, dim) + '\\.',
    createIndex(index),
    `ANALYZE ${TABLE};`,
    '',
  ].join('\n');
}

/** A piece of a `.sql` file: a statement, or a COPY from stdin with its data. */
export type ScriptPart = { sql: string } | { copy: string; data: string };

/**
 * Splits a `.sql` file as psql would: statements end with `;` at a line end, and a
 * `COPY … FROM stdin;` takes the lines up to `\.` as its data (which PGlite then reads from /dev/blob).
 * Comment lines are dropped. Enough for the files sqlScript writes, not a general SQL parser.
 */
export function splitScript(text: string): ScriptPart[] {
  const parts: ScriptPart[] = [];
  const lines = text.split('\n');
  let statement: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (statement.length === 0 && (line.trim() === '' || line.startsWith('--'))) continue;
    statement.push(line);
    if (!line.trimEnd().endsWith(';')) continue;
    const sql = statement.join('\n');
    statement = [];
    const copy = /^COPY\s+(.+)\s+FROM\s+stdin;$/is.exec(sql.trim());
    if (!copy) {
      parts.push({ sql });
      continue;
    }
    const end = lines.indexOf('\\.', i + 1);
    if (end < 0) throw new Error('a COPY from stdin has no terminating \\. line');
    parts.push({ copy: `COPY ${copy[1]} FROM '/dev/blob';`, data: lines.slice(i + 1, end).join('\n') + '\n' });
    i = end;
  }
  if (statement.join('').trim() !== '') throw new Error('the script ends inside a statement');
  return parts;
}
