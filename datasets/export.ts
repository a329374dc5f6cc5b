/**
 * Export CLI: an embedding bundle as files that vector engines ingest.
 *
 *   npm run export -- <bundle.vsle> [--manifest manifest.json] --out <dir>
 *
 * Writes <dir>/embeddings.npy (float32, shape [count, dim]), <dir>/embeddings.fvecs and
 * <dir>/metadata.jsonl (one line per row: id, file, label, hash). With --manifest, rows follow
 * the catalogue (file and label filled in); without, they follow the bundle.
 *
 *   npm run export -- <bundle.vsle> --out <dir> --codes [--pq-m 64]
 *
 * also writes the compact codes (SQ8, binary, PQ) and what decodes them, as .npy (see
 * src/features/quantize/shared/codeExport.ts and docs/formats.md).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeEmbeddingBundle } from '../src/lib/embeddingBundle';
import { errorMessage } from '../src/lib/errors';
import type { CatalogueManifest } from '../src/lib/types';
import { exportTable, toFvecs, toMetadataJsonl, toNpy } from '../src/lib/vectorExport';
import { CODE_FILES, quantizedCodeFiles } from '../src/features/quantize/shared/codeExport';
import { PQ_M, PQ_SEED } from '../src/features/quantize/shared/methods';

export const EXPORT_FILES = { npy: 'embeddings.npy', fvecs: 'embeddings.fvecs', metadata: 'metadata.jsonl' } as const;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      manifest: { type: 'string' },
      out: { type: 'string' },
      codes: { type: 'boolean', default: false },
      'pq-m': { type: 'string' },
    },
  });
  if (positionals.length !== 1 || !values.out) {
    throw new Error('usage: npm run export -- <bundle.vsle> [--manifest manifest.json] --out <dir>');
  }
  const bundle = decodeEmbeddingBundle(await readFile(resolve(positionals[0])));
  const manifest: CatalogueManifest | undefined = values.manifest
    ? JSON.parse(await readFile(resolve(values.manifest), 'utf8'))
    : undefined;
  const table = exportTable(bundle, manifest);
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
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
  if (manifest) {
    const missing = manifest.items.length - table.rows.length;
    if (missing > 0)
      console.error(`export: ${missing} catalogue item(s) have no vector in the bundle and are left out`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`export failed: ${errorMessage(error)}`);
    process.exit(1);
  });
}
