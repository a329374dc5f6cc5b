import type { StoredRead } from './knownVectorsProtocol';
import { openLabDatabase } from './labDatabase';

/**
 * The stored embeddings of these keys, packed one after the other (knownVectorsProtocol.ts). Run in the
 * known-vectors worker; the database is opened for this read only, since a connection left open would
 * hold up a newer version's upgrade.
 */
export async function readStoredEmbeddings(keys: string[]): Promise<StoredRead> {
  const db = await openLabDatabase();
  try {
    const tx = db.transaction('embeddings');
    const stored = await Promise.all(keys.map((key) => tx.store.get(key)));
    const lengths = Uint32Array.from(stored, (bytes) =>
      bytes ? bytes.byteLength / Float32Array.BYTES_PER_ELEMENT : 0,
    );
    const vectors = new Float32Array(lengths.reduce((sum, length) => sum + length, 0));
    let offset = 0;
    stored.forEach((bytes, i) => {
      if (bytes) vectors.set(new Float32Array(bytes), offset);
      offset += lengths[i];
    });
    return { vectors, lengths };
  } finally {
    db.close();
  }
}

/** The i-th key's vector of a StoredRead, undefined where none was stored; views into its one buffer. */
export function unpackStored({ vectors, lengths }: StoredRead): (Float32Array | undefined)[] {
  let offset = 0;
  return Array.from(lengths, (length) => {
    const vector = length > 0 ? vectors.subarray(offset, offset + length) : undefined;
    offset += length;
    return vector;
  });
}
