import { describe, expect, it } from 'vitest';
import { memoryParts } from '../../src/lib/memoryBreakdown';

const at = (scope: string, url: string) => ({ scope, url });

describe('memoryParts', () => {
  it('groups the browser’s breakdown into the page and each kind of worker, in a fixed order', () => {
    const parts = memoryParts({
      bytes: 1032,
      breakdown: [
        { bytes: 300, attribution: [at('DedicatedWorkerGlobalScope', 'http://x/assets/embed.worker-ab12.js')] },
        { bytes: 100, attribution: [at('Window', 'http://x/?catalogue=c')] },
        { bytes: 250, attribution: [at('DedicatedWorkerGlobalScope', 'http://x/assets/embed.worker-ab12.js')] },
        { bytes: 200, attribution: [at('DedicatedWorkerGlobalScope', 'http://x/assets/search.worker-cd34.js')] },
        { bytes: 0, attribution: [at('DedicatedWorkerGlobalScope', 'http://x/assets/scale.worker-ef56.js')] },
        { bytes: 50, attribution: [] },
        { bytes: 100, attribution: [at('ServiceWorkerGlobalScope', 'http://x/sw.js')] },
        { bytes: 16, attribution: [at('DedicatedWorkerGlobalScope', 'blob:http://x/1f32')] },
        { bytes: 16, attribution: [at('DedicatedWorkerGlobalScope', 'blob:http://x/70bb')] },
      ],
    });
    expect(parts).toEqual([
      { name: 'page', bytes: 100, contexts: 1 },
      // Two entries of the same worker script: one context by its URL (the browser names each worker apart by scope + URL).
      { name: 'embedding workers', bytes: 550, contexts: 1 },
      { name: 'wasm threads', bytes: 32, contexts: 2 },
      { name: 'search worker', bytes: 200, contexts: 1 },
      { name: 'other workers', bytes: 100, contexts: 1 },
      { name: 'shared', bytes: 50, contexts: 0 },
    ]);
    // Nothing is lost or counted twice.
    expect(parts.reduce((sum, part) => sum + part.bytes, 0)).toBe(1032);
  });

  it('knows the dev server’s worker URLs too', () => {
    const [part] = memoryParts({
      bytes: 10,
      breakdown: [
        {
          bytes: 10,
          attribution: [
            at(
              'DedicatedWorkerGlobalScope',
              'http://x/features/search/worker/search.worker.ts?worker_file&type=module',
            ),
          ],
        },
      ],
    });
    expect(part.name).toBe('search worker');
  });
});
