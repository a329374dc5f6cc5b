import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import { toFvecs, toMetadataJsonl, toNpy, type ExportRow } from '../../../lib/vectorExport';

export type ExportFormat = 'npy' | 'fvecs' | 'jsonl';

/** File name and bytes of the indexed embeddings (or their metadata) in one format, rows in catalogue order. */
export async function exportFile(
  index: IndexStage,
  catalogue: CatalogueStage,
  modelId: string,
  format: ExportFormat,
): Promise<{ name: string; blob: Blob }> {
  const { vectors, ids, dim } = await index.search.copyVectors(true);
  const base = `${catalogue.id}.${modelId}`;
  if (format === 'npy')
    return {
      name: `${base}.npy`,
      blob: new Blob([toNpy(vectors, dim) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
    };
  if (format === 'fvecs')
    return {
      name: `${base}.fvecs`,
      blob: new Blob([toFvecs(vectors, dim) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
    };
  const rows: ExportRow[] = Array.from(ids, (id) => {
    const item = catalogue.itemById.get(id)!;
    return { id, file: item.file, label: item.label, hash: item.hash };
  });
  return { name: `${base}.metadata.jsonl`, blob: new Blob([toMetadataJsonl(rows)], { type: 'application/x-ndjson' }) };
}

/** Hands a file to the browser's download, then releases its object URL. */
export function download({ name, blob }: { name: string; blob: Blob }): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
