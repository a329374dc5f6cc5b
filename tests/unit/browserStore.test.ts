import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserStore } from '../../src/features/storage/client/browserStore';
import { readStoredEmbeddings } from '../../src/features/storage/shared/readStored';

/** The store as the app opens it, with the known-vectors worker's reader run in this process. */
const openStore = (onProblem: (problem: string) => void) => BrowserStore.open(onProblem, readStoredEmbeddings);

const savedPut = IDBObjectStore.prototype.put;

afterEach(async () => {
  IDBObjectStore.prototype.put = savedPut;
  const problems: string[] = [];
  await (await openStore((p) => problems.push(p))).clear();
});

describe('BrowserStore', () => {
  it('keeps embeddings by key, copying the vector out of a larger array', async () => {
    const store = await openStore(() => {});
    const rows = new Float32Array([1, 2, 3, 4, 5, 6]);
    await store.putEmbeddings([
      ['a', rows.subarray(0, 3)],
      ['b', rows.subarray(3, 6)],
    ]);
    const [a, b, missing] = await (await openStore(() => {})).getEmbeddings(['a', 'b', 'c']);
    expect(Array.from(a!)).toEqual([1, 2, 3]);
    expect(Array.from(b!)).toEqual([4, 5, 6]);
    expect(missing).toBeUndefined();
    expect((await store.usage()).embeddings).toBe(2);
  });

  it('reads stored embeddings of any length, with gaps, and asks for nothing without keys', async () => {
    const store = await openStore(() => {});
    await store.putEmbeddings([
      ['short', new Float32Array([7])],
      ['long', new Float32Array([1, 2, 3, 4])],
    ]);
    const read = await store.getEmbeddings(['gone', 'long', 'gone too', 'short']);
    expect(read.map((vector) => (vector ? Array.from(vector) : null))).toEqual([null, [1, 2, 3, 4], null, [7]]);
    let asked = 0;
    const counting = await BrowserStore.open(
      () => {},
      (keys) => (asked++, readStoredEmbeddings(keys)),
    );
    expect(await counting.getEmbeddings([])).toEqual([]);
    expect(asked).toBe(0);
  });

  it('a read that fails gives no embeddings and says once that this visit works in memory', async () => {
    const problems: string[] = [];
    const store = await BrowserStore.open(
      (problem) => problems.push(problem),
      () => Promise.reject(new Error('the worker could not open the database')),
    );
    expect(await store.getEmbeddings(['a', 'b'])).toEqual([undefined, undefined]);
    expect(problems).toEqual([
      'Browser storage is unavailable (the worker could not open the database): this visit works in memory, and its embeddings and index will not be kept.',
    ]);
    expect(store.available).toBe(false);
  });

  it('keeps index records and deletes them', async () => {
    const store = await openStore(() => {});
    await store.putIndex({ key: 'k', file: 'f.hnsw', bytes: 10, checksum: 'c', count: 3, savedAt: 1 });
    expect((await store.getIndex('k'))?.file).toBe('f.hnsw');
    await store.deleteIndexes(['k']);
    expect(await store.getIndex('k')).toBeUndefined();
  });

  it('keeps the last folder with its handle, and its name alone where the handle cannot be stored', async () => {
    const store = await openStore(() => {});
    expect(await store.lastFolder()).toBeUndefined();
    // A stand-in for a FileSystemDirectoryHandle: plain data clones.
    const handle = { kind: 'directory', name: 'holiday' } as unknown as FileSystemDirectoryHandle;
    expect(await store.keepFolder('holiday', handle)).toBe(true);
    expect(await (await openStore(() => {})).lastFolder()).toMatchObject({ name: 'holiday', handle });
    // What structured clone refuses (here a function; in a browser without the API, a handle) is not kept.
    const problems: string[] = [];
    const refusing = await openStore((p) => problems.push(p));
    const uncloneable = { name: 'trip', kind: 'directory', values: () => {} } as unknown as FileSystemDirectoryHandle;
    expect(await refusing.keepFolder('trip', uncloneable)).toBe(false);
    expect(await refusing.lastFolder()).toMatchObject({ name: 'trip', handle: null });
    expect(problems).toEqual([]);
    expect(refusing.available).toBe(true);
    await refusing.forgetFolder();
    expect(await refusing.lastFolder()).toBeUndefined();
  });

  it('an older version of the app holding the database in another tab does not stall the page', async () => {
    await (await openStore(() => {})).clear();
    const older = await new Promise<IDBDatabase>((resolve, reject) => {
      // The first version's stores, as an open tab of the previous app holds them (it never closes on versionchange).
      indexedDB.deleteDatabase('visual-search-lab');
      const request = indexedDB.open('visual-search-lab', 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore('embeddings');
        request.result.createObjectStore('indexes');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const problems: string[] = [];
    const store = await openStore((p) => problems.push(p));
    expect(store.available).toBe(false);
    expect(problems[0]).toContain('an older version of the app is open in another tab');
    // Once that tab is gone, the next load upgrades and keeps folders.
    older.close();
    const upgraded = await openStore(() => {});
    expect(upgraded.available).toBe(true);
    await upgraded.keepFolder('holiday', null);
    expect((await upgraded.lastFolder())?.name).toBe('holiday');
  });

  it('clearing stored data forgets the folder too', async () => {
    const store = await openStore(() => {});
    await store.keepFolder('holiday', null);
    await store.clear();
    expect(await store.lastFolder()).toBeUndefined();
  });

  it('on a quota error says so once and carries on as an empty store', async () => {
    const problems: string[] = [];
    const store = await openStore((p) => problems.push(p));
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    await store.putEmbeddings([['a', new Float32Array([1])]]);
    await store.putIndex({ key: 'k', file: 'f', bytes: 1, checksum: 'c', count: 1, savedAt: 1 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Browser storage is full');
    expect(store.available).toBe(false);
    expect(await store.getEmbeddings(['a'])).toEqual([undefined]);
  });

  it('when IndexedDB cannot be opened, says why and keeps nothing', async () => {
    const problems: string[] = [];
    const open = indexedDB.open;
    indexedDB.open = () => {
      throw new Error('IndexedDB is disabled');
    };
    try {
      const store = await openStore((p) => problems.push(p));
      expect(store.available).toBe(false);
      expect(problems[0]).toContain('IndexedDB is disabled');
      await store.putEmbeddings([['a', new Float32Array([1])]]);
      expect(await store.getEmbeddings(['a'])).toEqual([undefined]);
    } finally {
      indexedDB.open = open;
    }
  });
});
