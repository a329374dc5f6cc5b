/// <reference lib="webworker" />
import { exposeWorker } from '../../../bridge/workerHost';
import { decodeEmbeddingBundle } from '../../../lib/embeddingBundle';
import { KNOWN_VECTORS_WORKER } from '../shared/knownVectorsProtocol';
import { readStoredEmbeddings } from '../shared/readStored';

exposeWorker(KNOWN_VECTORS_WORKER, {
  async readBundle(url) {
    const response = await fetch(url).catch(() => null);
    // A static server answers a missing file with its index page.
    if (!response?.ok || response.headers.get('content-type')?.startsWith('text/html')) return { bundle: null };
    return { bundle: decodeEmbeddingBundle(await response.arrayBuffer()) };
  },
  readStored: readStoredEmbeddings,
});
