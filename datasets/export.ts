/**
 * Export CLI: an embedding bundle as files that vector engines ingest.
 *
 *   npm run export -- <bundle.vsle> [--manifest manifest.json] --out <dir> [--codes [--pq-m 64]] [--format pgvector [--M 16] [--efc 200]]
 *
 * Writes <dir>/embeddings.npy (float32, shape [count, dim]), <dir>/embeddings.fvecs and
 * <dir>/metadata.jsonl (one line per row: id, file, label, hash). With --manifest, rows follow
 * the catalogue (file and label filled in); without, they follow the bundle.
 *
 * With --codes it also writes the compact codes (SQ8, binary, PQ) and what decodes them, as .npy (see
 * src/features/quantize/shared/codeExport.ts and docs/formats.md). With
 * `--format pgvector` it writes <dir>/items.sql instead: the pgvector table, its rows by COPY
 * and the HNSW index (M, efConstruction as the app's defaults unless given), for psql or PGlite.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeEmbeddingBundle } from '../src/lib/embeddingBundle';
import { errorMessage } from '../src/lib/errors';
import type { CatalogueManifest } from '../src/lib/types';
import { PARAMS } from '../src/lib/params';
import { sqlScript } from '../src/lib/pgvectorSql';
import { exportTable, toFvecs, toMetadataJsonl, toNpy } from '../src/lib/vectorExport';
import { CODE_FILES, quantizedCodeFiles } from '../src/features/quantize/shared/codeExport';
import { PQ_M, PQ_SEED } from '../src/features/quantize/shared/methods';

export const EXPORT_FILES = { npy: 'embeddings.npy', fvecs: 'embeddings.fvecs', metadata: 'metadata.jsonl' } as const;
export const PGVECTOR_FILE = 'items.sql';

const USAGE =
  'usage: npm run export -- <bundle.vsle> [--manifest manifest.json] --out <dir> [--codes [--pq-m 64]] [--format pgvector [--M 16] [--efc 200]]';

/** A whole-number option within the app's range for that knob. */
function knob(value: string | undefined, param: typeof PARAMS.M | typeof PARAMS.efConstruction): number {
  if (value === undefined) return param.default;
  const n = Number(value);
  if (!Number.isInteger(n) || n < param.min || n > param.max) {
    throw new Error(`--${param.key} must be a whole number from ${param.min} to ${param.max}`);
  }
  return n;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      manifest: { type: 'string' },
      out: { type: 'string' },
      codes: { type: 'boolean', default: false },
      'pq-m': { type: 'string' },
      format: { type: 'string' },
      M: { type: 'string' },
      efc: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || !values.out) throw new Error(USAGE);
  if (values.format !== undefined && values.format !== 'pgvector') {
    throw new Error(`unknown --format ${values.format} (the default writes .npy, .fvecs and JSONL; or pgvector)`);
  }
  const bundle = decodeEmbeddingBundle(await readFile(resolve(positionals[0])));
  const manifest: CatalogueManifest | undefined = values.manifest
    ? JSON.parse(await readFile(resolve(values.manifest), 'utf8'))
    : undefined;
  const table = exportTable(bundle, manifest);
  if (manifest) {
    const missing = manifest.items.length - table.rows.length;
    if (missing > 0)
      console.error(`export: ${missing} catalogue item(s) have no vector in the bundle and are left out`);
  }
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  if (values.format === 'pgvector') {
    const index = { M: knob(values.M, PARAMS.M), efConstruction: knob(values.efc, PARAMS.efConstruction) };
    await writeFile(join(out, PGVECTOR_FILE), sqlScript(table.rows, table.vectors, table.dim, index));
    console.error(`export: ${table.rows.length} × ${table.dim} (${bundle.modelId}) → ${out}/${PGVECTOR_FILE}`);
    return;
  }
  await writeFile(join(out, EXPORT_FILES.npy), toNpy(table.vectors, table.dim));
  await writeFile(join(out, EXPORT_FILES.fvecs), toFvecs(table.vectors, table.dim));
  await writeFile(join(out, EXPORT_FILES.metadata), toMetadataJsonl(table.rows));
  if (values.codes) {
    const pqM = values['pq-m'] ? Number(values['pq-m']) : PQ_M.default;
    const files = await quantizedCodeFiles(table.vectors, table.dim, pqM, PQ_SEED);
    for (const [name, bytes] of Object.entries(files)) {
      await writeFile(join(out, CODE_FILES[name as keyof typeof CODE_FILES]), bytes);
    }
    console.error(
      `export: compact codes (SQ8, binary, PQ m = ${pqM}) → ${out}/{${Object.values(CODE_FILES).join(',')}}`,
    );
  }
  console.error(
    `export: ${table.rows.length} × ${table.dim} (${bundle.modelId}) → ${out}/{${Object.values(EXPORT_FILES).join(',')}}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`export failed: ${errorMessage(error)}`);
    process.exit(1);
  });
}
