interface PostTaskScheduler {
  postTask(callback: () => void, options: { priority: 'background'; signal: AbortSignal }): Promise<void>;
}

/**
 * Runs `callback` in a task of its own at the browser's lowest priority (`scheduler.postTask` with
 * `background`): after whatever more urgent work is queued — a worker's answer, a stored file read, a
 * click — so work the page can do any time (drawing the rest of the catalogue grid) never delays the
 * start. Where there is no such scheduler, a zero-delay timeout. Returns a function that cancels it.
 */
export function inBackground(callback: () => void): () => void {
  const scheduler = (globalThis as { scheduler?: Partial<PostTaskScheduler> }).scheduler;
  if (typeof scheduler?.postTask !== 'function') {
    const timer = setTimeout(callback, 0);
    return () => clearTimeout(timer);
  }
  const abort = new AbortController();
  // A cancelled task rejects its promise with an AbortError: that is the point, not a failure.
  scheduler.postTask(callback, { priority: 'background', signal: abort.signal }).catch(() => {});
  return () => abort.abort();
}
