/**
 * Ends the current task and goes on in a new one, so the browser can paint and answer input in
 * between: a chain of awaits on promises that are already settled otherwise runs as one long task.
 * `scheduler.yield()` where the browser has it (the continuation keeps its place in the queue),
 * else a zero-delay timeout.
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
