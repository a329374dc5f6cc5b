/**
 * The shipped HNSW index: `npm run embed` and setup build the index of a catalogue's bundle in
 * Node (with the same hnswlib-wasm the app runs, so the bytes are what the app's readIndex reads)
 * and write it beside the bundle with a small JSON file saying what it is. The app reads it
 * instead of building when the JSON matches what it is about to index; anything else builds.
 */

export const SHIPPED_INDEX_FORMAT = 1;

/** Where the index serving queries came from: the catalogue's shipped file, browser storage, or a build here. */
export type IndexSource = 'shipped' | 'stored' | 'built';

/** The JSON file beside a shipped index. */
export interface ShippedIndexMeta {
  format: typeof SHIPPED_INDEX_FORMAT;
  modelId: string;
  /** PREPROCESSING_VERSION of the vectors it was built from. */
  preprocessing: string;
  /** The paper's knobs it was built with. */
  M: number;
  efConstruction: number;
  /** vectorsFingerprint() of the (catalogue id, content hash) rows, in insertion order. */
  fingerprint: string;
  count: number;
  dim: number;
  /** Size and sha256 (hex) of the index file. */
  bytes: number;
  checksum: string;
  /** How long the build took in Node, for the record. */
  buildMs: number;
}

/** What the app is about to index: the shipped index serves only when all of it matches. */
export type WantedIndex = Pick<ShippedIndexMeta, 'modelId' | 'preprocessing' | 'M' | 'efConstruction' | 'fingerprint'>;

/** File names beside a bundle: `<model>.vsle` in a catalogue's embeddings/ folder, `visual-search.<model>.vsle` in an images folder. */
export function shippedIndexFiles(bundleFile: string): { index: string; meta: string } {
  const stem = bundleFile.replace(/\.vsle$/, '');
  return { index: `${stem}.hnsw`, meta: `${stem}.hnsw.json` };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** Reads the JSON beside a shipped index; throws a sentence saying what is wrong. */
export function parseShippedIndexMeta(json: unknown): ShippedIndexMeta {
  if (typeof json !== 'object' || json === null) throw new Error('its description is not a JSON object');
  const meta = json as Record<string, unknown>;
  if (meta.format !== SHIPPED_INDEX_FORMAT) {
    throw new Error(`its description has format ${String(meta.format)}, not ${SHIPPED_INDEX_FORMAT}`);
  }
  for (const key of ['modelId', 'preprocessing', 'fingerprint', 'checksum'] as const) {
    if (!isText(meta[key])) throw new Error(`its description has no ${key}`);
  }
  for (const key of ['M', 'efConstruction', 'count', 'dim', 'bytes'] as const) {
    if (!isCount(meta[key])) throw new Error(`its description has no whole ${key}`);
  }
  if (typeof meta.buildMs !== 'number') throw new Error('its description has no buildMs');
  return meta as unknown as ShippedIndexMeta;
}

/**
 * Why the shipped index cannot serve what the app is about to index, as a notice for the page;
 * null when it can. The knobs come first: they are what a user changes on purpose.
 */
export function shippedIndexMismatch(meta: ShippedIndexMeta, wanted: WantedIndex): string | null {
  if (meta.M !== wanted.M || meta.efConstruction !== wanted.efConstruction) {
    return (
      `The shipped index was built with M=${meta.M}, efConstruction=${meta.efConstruction}; ` +
      `this page asks for M=${wanted.M}, efConstruction=${wanted.efConstruction}, so the index was built here.`
    );
  }
  if (meta.modelId !== wanted.modelId) {
    return `The shipped index is of ${meta.modelId}'s vectors, not ${wanted.modelId}'s, so the index was built here.`;
  }
  if (meta.preprocessing !== wanted.preprocessing) {
    return (
      `The shipped index was made with preprocessing "${meta.preprocessing}", not "${wanted.preprocessing}", ` +
      'so the index was built here (run `npm run setup` to ship a new one).'
    );
  }
  if (meta.fingerprint !== wanted.fingerprint) {
    return (
      'The shipped index holds other images than the ones indexed here (a `limit=`, a skipped file or a changed ' +
      'catalogue), so the index was built here.'
    );
  }
  return null;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why the bytes fetched are not the index the JSON describes (truncated, replaced, corrupt); null when they are. */
export async function shippedBytesProblem(bytes: Uint8Array, meta: ShippedIndexMeta): Promise<string | null> {
  if (bytes.byteLength !== meta.bytes) {
    return `the shipped index file has ${bytes.byteLength} bytes, not the ${meta.bytes} its description says`;
  }
  if ((await sha256Hex(bytes)) !== meta.checksum)
    return 'the shipped index file is corrupt (its checksum does not match)';
  return null;
}
