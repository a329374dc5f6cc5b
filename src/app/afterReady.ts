import { errorMessage } from '../lib/errors';
import { measureMemory } from '../features/storage/client/memory.svelte';
import { registerOfflineSupport } from '../features/storage/client/offline.svelte';
import type { Stages } from './stages';

/** How long after ready MobileNet waits for the first query to be answered before it loads anyway. */
const MODEL_WAITS_FOR_FIRST_QUERY_MS = 1500;

/**
 * What the page starts once it is ready, in the background. MobileNet first: uploads need it, a
 * catalogue query does not, so it loads once the first query is answered (or after a moment without
 * one) and that first query has the two cores to itself; an upload made before then starts it at
 * once and waits for it. Then the page measures what it holds, and only then does the offline copy
 * begin: precaching some 80 MB during the start would take the cores and the server from the start itself.
 * Last, a folder an earlier visit used is offered again (or said to be gone).
 */
export function startAfterReady({ embed, query, live }: Stages): void {
  const quietMoment = Promise.race([
    query.firstAnswer,
    new Promise<void>((resolve) => setTimeout(resolve, MODEL_WAITS_FOR_FIRST_QUERY_MS)),
  ]);
  quietMoment
    .then(() => embed.start())
    .then(() => measureMemory())
    .catch((error: unknown) => {
      query.error = `Uploads are unavailable: ${errorMessage(error)}`;
    })
    .finally(registerOfflineSupport);
  void live.recall();
}
