/**
 * The lab tabs' panels, each fetched with its own chunk the first time its tab opens, so the main
 * bundle carries only the shell, Search and Pipeline (what a page load shows). A loader keeps its
 * promise: reopening a tab renders from the module already in memory.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    // A failed fetch (offline before the service worker cached the chunk) is retried on the next open.
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

export const labPanels = {
  training: once(() => import('../features/train/client/TrainingPanel.svelte')),
  map: once(() => import('../features/map/client/MapPanel.svelte')),
  evaluation: once(() => import('../features/lab/client/EvaluationPanel.svelte')),
  sweep: once(() => import('../features/lab/client/SweepPanel.svelte')),
  scale: once(() => import('../features/lab/client/ScalePanel.svelte')),
  quantization: once(() => import('../features/quantize/client/QuantizationPanel.svelte')),
  online: once(() => import('../features/online/client/OnlinePanel.svelte')),
  models: once(() => import('../features/lab/client/ModelsPanel.svelte')),
  storage: once(() => import('../features/storage/client/StoragePanel.svelte')),
  pgvectorStorage: once(() => import('../features/pgvector/client/PgvectorStorage.svelte')),
};
