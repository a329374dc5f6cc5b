/** What `LatestOnly.run` returns for a task that a newer one replaced before it started. */
export const SUPERSEDED = Symbol('superseded');

/**
 * Runs one task at a time and keeps at most one waiting: a newer task replaces the waiting
 * one, which then never runs. A burst of 1,000 queries costs two searches, not a backlog of
 * 1,000, and the last one asked is always the last one answered.
 */
export class LatestOnly<T> {
  /** Tasks replaced before they started. */
  superseded = 0;
  private running = false;
  private waiting: {
    task: () => Promise<T>;
    settle: (value: T | typeof SUPERSEDED) => void;
    fail: (error: unknown) => void;
  } | null = null;

  run(task: () => Promise<T>): Promise<T | typeof SUPERSEDED> {
    return new Promise((settle, fail) => {
      if (this.waiting) {
        this.waiting.settle(SUPERSEDED);
        this.superseded++;
      }
      this.waiting = { task, settle, fail };
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting) {
      const { task, settle, fail } = this.waiting;
      this.waiting = null;
      await task().then(settle, fail);
    }
    this.running = false;
  }
}
