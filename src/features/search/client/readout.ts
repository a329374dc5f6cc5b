import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { QueryStage } from '../../query/client/queryStage.svelte';

/** One figure of the Readouts panel. */
export interface Readout {
  metric: string;
  label: string;
  value: number | string | null;
  unit?: string;
  digits?: number;
  /** Shown value = data-value × scale (data-value keeps the base unit). */
  scale?: number;
  /** Where the figure came from, as `data-source` (the index: shipped, stored or built). */
  source?: string;
  hint: string;
}

/** What a start costs and holds: the first query, memory, live embedding workers, when the model came in. */
export function performanceReadouts(embed: EmbedStage, query: QueryStage, memoryBytes: number | null): Readout[] {
  return [
    {
      metric: 'first-query-ms',
      label: 'First HNSW query',
      value: query.firstQueryMs,
      unit: 'ms',
      digits: 3,
      hint: 'The first run of this page’s first query on HNSW, timed on its own. The index answers a few queries as soon as it serves, so this one should not pay for cold code and caches: compare it with the warm median in the HNSW header.',
    },
    {
      metric: 'memory-bytes',
      label: 'Memory, page + workers',
      value: memoryBytes,
      unit: 'MiB',
      digits: 0,
      scale: 2 ** -20,
      hint: 'JS and WASM heaps of the page and its workers, as the browser measures them (measureUserAgentSpecificMemory, after MobileNet is in); empty where the browser cannot. The Storage tab shows what each part holds.',
    },
    {
      metric: 'embed-workers',
      label: 'Embedding workers',
      value: embed.liveWorkers,
      digits: 0,
      hint: `Workers holding MobileNet now, of ${embed.workerCount || '—'}. Idle ones beyond the first end after 5 s (each holds a WASM heap of a few hundred MiB); the next catalogue or folder embedding starts them again.`,
    },
    {
      metric: 'model-ready-ms',
      label: 'Model ready',
      value: embed.modelReadyMs,
      unit: 's',
      digits: 2,
      scale: 1e-3,
      hint: 'From the start of the page load to MobileNet loaded in every embedding worker. A catalogue query does not need it: the page is ready before, and loads it in the background.',
    },
  ];
}
