import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddingBundle } from '../src/lib/embeddingBundle';
import { PREPROCESSING_VERSION, modelInputFromRgba } from '../src/lib/preprocess';
import type { ImageTag } from '../src/lib/tags';
import type { BackendInfo, CatalogueManifest } from '../src/lib/types';
import { embedModelInputs } from '../src/features/embed/worker/infer';
import { UndecodableImage, decodeImage, type NodeSkipReason } from './decodeImage';
import type { LocalModel } from './models';
import { loadMobileNetFromDisk, startWasmBackend } from './nodeModel';

export interface SkippedFile {
  file: string;
  reason: NodeSkipReason;
  message: string;
}

export interface EmbedCatalogueOptions {
  model: LocalModel;
  /** A bundle made before: its rows are kept for files whose hash, model and preprocessing still match. */
  reuse?: EmbeddingBundle | null;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbedCatalogueResult {
  bundle: EmbeddingBundle;
  skipped: SkippedFile[];
  /** Images run through the model now, and rows taken from `reuse`. */
  embedded: number;
  reused: number;
  backend: BackendInfo | null;
}

interface Row {
  vector: Float32Array;
  tags: ImageTag[];
}

/** Rows of an earlier bundle to keep; one made before tags existed is not reused, so every row gets its tags. */
function reusableRows(reuse: EmbeddingBundle | null | undefined, modelId: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  if (!reuse?.tags || reuse.modelId !== modelId || reuse.preprocessing !== PREPROCESSING_VERSION) return rows;
  const { dim, tags } = reuse;
  reuse.hashes.forEach((hash, i) =>
    rows.set(hash, { vector: reuse.vectors.subarray(i * dim, (i + 1) * dim), tags: tags[i] }),
  );
  return rows;
}

async function modelInput(imagesDir: string, file: string): Promise<Uint8Array> {
  return modelInputFromRgba(await decodeImage(await readFile(join(imagesDir, file))));
}

/**
 * Embeds every distinct file of a catalogue (by content hash, in manifest order) in Node,
 * with the browser's preprocessing and model, and keeps each file's top ImageNet classes (tags)
 * from the same forward pass. Files that cannot be decoded are skipped
 * and reported; the bundle holds one row per embedded hash.
 */
export async function embedCatalogue(
  imagesDir: string,
  manifest: CatalogueManifest,
  options: EmbedCatalogueOptions,
): Promise<EmbedCatalogueResult> {
  const { model, batchSize = 8, onProgress } = options;
  const firstFileOf = new Map<string, string>();
  for (const item of manifest.items) if (!firstFileOf.has(item.hash)) firstFileOf.set(item.hash, item.file);
  const reusable = reusableRows(options.reuse, model.info.id);
  const rows = new Map<string, Row>();
  const toEmbed: string[] = [];
  for (const hash of firstFileOf.keys()) {
    const row = reusable.get(hash);
    if (row) rows.set(hash, row);
    else toEmbed.push(hash);
  }
  const reused = rows.size;
  const skipped: SkippedFile[] = [];
  let dim = options.reuse && reused > 0 ? options.reuse.dim : 0;
  let backend: BackendInfo | null = null;

  if (toEmbed.length > 0) {
    backend = await startWasmBackend();
    const mobilenet = await loadMobileNetFromDisk(model.dir, model.info);
    onProgress?.(0, toEmbed.length);
    for (let start = 0; start < toEmbed.length; start += batchSize) {
      const good: { hash: string; input: Uint8Array }[] = [];
      for (const hash of toEmbed.slice(start, start + batchSize)) {
        const file = firstFileOf.get(hash)!;
        try {
          good.push({ hash, input: await modelInput(imagesDir, file) });
        } catch (error) {
          if (!(error instanceof UndecodableImage)) throw error;
          skipped.push({ file, reason: error.reason, message: error.message });
        }
      }
      if (good.length > 0) {
        const result = embedModelInputs(
          mobilenet,
          good.map((g) => g.input),
        );
        dim = result.dim;
        good.forEach((g, i) =>
          rows.set(g.hash, { vector: result.vectors.subarray(i * dim, (i + 1) * dim), tags: result.tags[i] }),
        );
      }
      onProgress?.(Math.min(start + batchSize, toEmbed.length), toEmbed.length);
    }
  }

  const hashes = [...firstFileOf.keys()].filter((hash) => rows.has(hash));
  const vectors = new Float32Array(hashes.length * dim);
  hashes.forEach((hash, i) => vectors.set(rows.get(hash)!.vector, i * dim));
  const tags = hashes.map((hash) => rows.get(hash)!.tags);
  return {
    bundle: { modelId: model.info.id, dim, preprocessing: PREPROCESSING_VERSION, hashes, vectors, tags },
    skipped,
    embedded: rows.size - reused,
    reused,
    backend,
  };
}
