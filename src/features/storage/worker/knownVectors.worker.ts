/// <reference lib="webworker" />
import { exposeWorker } from '../../../bridge/workerHost';
import { decodeEmbeddingBundle } from '../../../lib/embeddingBundle';
import { BUNDLE_WORKER } from '../shared/bundleProtocol';

exposeWorker(BUNDLE_WORKER, {
  async read(url) {
    const response = await fetch(url).catch(() => null);
    // A static server answers a missing file with its index page.
    if (!response?.ok || response.headers.get('content-type')?.startsWith('text/html')) return { bundle: null };
    return { bundle: decodeEmbeddingBundle(await response.arrayBuffer()) };
  },
});
