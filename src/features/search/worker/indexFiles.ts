import { openDB } from 'idb';
import { IDBFS_STORE_NAME, loadHnswlib, syncFileSystem } from 'hnswlib-wasm';

/**
 * hnswlib-wasm writes indexes into an Emscripten file system mounted at this path and mirrors it,
 * file by file, into an IndexedDB database of the same name (Emscripten's IDBFS). Reading that
 * database directly gives the bytes of a saved index, so they can be checksummed.
 */
const MOUNT = '/hnswlib-index';

interface IdbfsEntry {
  timestamp: Date;
  mode: number;
  contents?: ArrayBufferView;
}

function openMirror() {
  return openDB(MOUNT);
}

let lastSync: Promise<void> = Promise.resolve();

/**
 * Syncs the virtual file system with IndexedDB, one sync at a time: of two syncs in flight at once,
 * hnswlib-wasm answers only the later (it warns "2 FS.syncfs operations in flight") and the first
 * caller waits for good. The worker's early read (`prepare`) and a read of the shipped or saved index
 * right after it made such a pair (tests/integration/shippedIndex.test.ts).
 */
function syncInTurn(action: 'read' | 'write'): Promise<void> {
  const sync = lastSync.then(async () => {
    // Syncing needs the library loaded; loading it twice returns the same instance.
    await loadHnswlib();
    await syncFileSystem(action);
  });
  lastSync = sync.catch(() => {});
  return sync;
}

/**
 * Copies the virtual file system into IndexedDB, so a saved index outlives the page, and
 * returns the stored bytes of `file`. hnswlib starts a sync of its own after writeIndex; two
 * syncs in flight can leave the file out of one of them, so this syncs until it is there.
 */
export async function flushToStorage(file: string): Promise<Uint8Array> {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await syncInTurn('write');
      const bytes = await storedBytes(file);
      if (bytes) return bytes;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
  }
  throw new Error(`the browser did not keep the saved index${lastError ? ` (${String(lastError)})` : ''}`);
}

/** Copies IndexedDB into the virtual file system, so readIndex sees what an earlier visit saved. */
export function loadFromStorage(): Promise<void> {
  return syncInTurn('read');
}

/** The stored bytes of an index file, or null when there is none. */
export async function storedBytes(file: string): Promise<Uint8Array | null> {
  const db = await openMirror();
  try {
    if (!db.objectStoreNames.contains(IDBFS_STORE_NAME)) return null;
    const entry = (await db.get(IDBFS_STORE_NAME, `${MOUNT}/${file}`)) as IdbfsEntry | undefined;
    if (!entry?.contents) return null;
    const { buffer, byteOffset, byteLength } = entry.contents;
    return new Uint8Array(buffer, byteOffset, byteLength);
  } finally {
    db.close();
  }
}

/** Deletes stored index files (all of them when `files` is omitted), then drops them from the virtual file system. */
export async function removeStored(files?: string[]): Promise<void> {
  const db = await openMirror();
  try {
    if (!db.objectStoreNames.contains(IDBFS_STORE_NAME)) return;
    const tx = db.transaction(IDBFS_STORE_NAME, 'readwrite');
    if (files) await Promise.all(files.map((file) => tx.store.delete(`${MOUNT}/${file}`)));
    else await tx.store.clear();
    await tx.done;
  } finally {
    db.close();
  }
  // A read sync makes the virtual file system match storage, dropping the deleted files from memory too.
  await loadFromStorage();
}

/** A regular file, read and writable (what Emscripten's IDBFS stores as `mode`). */
const FILE_MODE = 0o100644;

/**
 * Puts bytes made elsewhere (the shipped index) into storage as the index file `file`, then into
 * the virtual file system, where readIndex finds them as if this page had written them.
 */
export async function putStored(file: string, bytes: Uint8Array): Promise<void> {
  // The first read sync creates the database and its store the way hnswlib's IDBFS wants them.
  await loadFromStorage();
  const db = await openMirror();
  try {
    const entry: IdbfsEntry = { timestamp: new Date(), mode: FILE_MODE, contents: bytes };
    await db.put(IDBFS_STORE_NAME, entry, `${MOUNT}/${file}`);
  } finally {
    db.close();
  }
  await loadFromStorage();
}
