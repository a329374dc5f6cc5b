/**
 * The IndexedDB databases that hold this app's pgvector data: PGlite keeps an `idb://<dir>` data
 * directory in a database named `/pglite/<dir>`, and every directory of ours starts `vsl-pgvector-`
 * (pgvectorDataDir). Used by the worker (which must close its database first) and by the Storage tab.
 */
export const STORED_PREFIX = '/pglite/vsl-pgvector-';

/** Names of the stored pgvector databases; none when the browser cannot list its databases. */
export async function storedPgvectorDatabases(): Promise<string[]> {
  if (typeof indexedDB === 'undefined' || !('databases' in indexedDB)) return [];
  return (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name.startsWith(STORED_PREFIX));
}

/** Deletes every stored pgvector database; one still open elsewhere is deleted once it closes. */
export async function deleteStoredPgvector(): Promise<number> {
  const names = await storedPgvectorDatabases();
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
        }),
    ),
  );
  return names.length;
}
