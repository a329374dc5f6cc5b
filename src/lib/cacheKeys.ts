/**
 * Keys of what the browser keeps between visits. Every key carries what its value depends on,
 * so a new model, a new preprocessing or a changed catalogue can never be served stale data.
 */

/** Bump when the layout of stored values changes (not their inputs: those are in the keys). */
export const STORAGE_FORMAT = 1;

/** An embedding depends on the model, on how the image became model input, and on the image's bytes. */
export function embeddingKey(modelId: string, preprocessing: string, contentHash: string): string {
  return JSON.stringify([STORAGE_FORMAT, modelId, preprocessing, contentHash]);
}

export interface IndexIdentity {
  catalogueId: string;
  modelId: string;
  preprocessing: string;
  M: number;
  efConstruction: number;
  /** vectorsFingerprint() of the vectors the index was built from. */
  fingerprint: string;
}

/** An HNSW index depends on its parameters and on exactly which vectors went in, in which order. */
export function indexKey(index: IndexIdentity): string {
  const { catalogueId, modelId, preprocessing, M, efConstruction, fingerprint } = index;
  return JSON.stringify([STORAGE_FORMAT, catalogueId, modelId, preprocessing, M, efConstruction, fingerprint]);
}

/** The start of indexKey shared by every index of one catalogue and model: older ones are replaced. */
export function indexFamily(index: Pick<IndexIdentity, 'catalogueId' | 'modelId'>): string {
  return JSON.stringify([STORAGE_FORMAT, index.catalogueId, index.modelId]).slice(0, -1) + ',';
}

/**
 * Identifies the indexed vectors by catalogue ids and content hashes in row order (FNV-1a,
 * 2 × 32 bits): a skipped image, a changed file or another order gives another fingerprint.
 */
export function vectorsFingerprint(rows: { id: number; hash: string }[]): string {
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ rows.length;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      low = Math.imul(low ^ code, 0x01000193);
      high = Math.imul(high ^ code ^ (low >>> 7), 0x01000193);
    }
  };
  for (const row of rows) mix(`${row.id}:${row.hash};`);
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return `${rows.length}-${hex(high)}${hex(low)}`;
}

/** A file name for the index in hnswlib's virtual file system: short, and safe whatever the ids contain. */
export function indexFileName(key: string): string {
  return `index-${vectorsFingerprint([{ id: 0, hash: key }]).split('-')[1]}.hnsw`;
}
