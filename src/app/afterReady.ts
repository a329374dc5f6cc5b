import { errorMessage } from '../lib/errors';
import { measureMemory } from '../features/storage/client/memory.svelte';
import { registerOfflineSupport } from '../features/storage/client/offline.svelte';
import type { Stages } from './stages';

/** How long after ready the model and the offline copy wait for the first query to be answered before they start anyway. */
const WAIT_FOR_FIRST_QUERY_MS = 1500;

/**
 * What the page starts once it is ready, in the background. MobileNet and the offline copy wait for
 * a quiet moment: the first query answered, or a moment without one. A catalogue query needs
 * neither, so that first query has the two cores (and the server) to itself; precaching some 80 MB
 * during the start would take them from the start itself. An upload made before then starts the
 * model at once and waits for it. Once the model is in, the page measures what it holds. Last, a
 * folder an earlier visit used is offered again (or said to be gone).
 */
export function startAfterReady({ embed, query, live }: Stages): void {
  const quietMoment = Promise.race([
    query.firstAnswer,
    new Promise<void>((resolve) => setTimeout(resolve, WAIT_FOR_FIRST_QUERY_MS)),
  ]);
  void quietMoment.then(registerOfflineSupport);
  quietMoment
    .then(() => embed.start())
    .then(() => measureMemory())
    .catch((error: unknown) => {
      query.error = `Uploads are unavailable: ${errorMessage(error)}`;
    });
  void live.recall();
}
