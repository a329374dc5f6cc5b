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

/**
 * Settles once the browser has painted the next frame: a task queued from inside an animation-frame
 * callback runs after that frame's rendering. Work that must not join what was just put on screen in
 * one long frame (the start's next steps, loading a model after the first answer) waits for it. A
 * hidden page paints no frames and has nothing on screen to wait for: it goes on in the next task.
 */
export function afterNextPaint(): Promise<void> {
  if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return yieldToMain();
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
