/**
 * Runs a task at most once per `intervalMs`: requests while one waits, or soon after a run, fold
 * into one run at the end of the interval. `flush()` runs it at once when a request is pending.
 * For a view that must follow a stream of changes without redoing itself for each one.
 */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = -Infinity;
  private pending = false;

  constructor(
    private readonly task: () => Promise<void> | void,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Asks for a run: soon if the last one was at least an interval ago, else when the interval ends. */
  request(): void {
    this.pending = true;
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.now());
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Runs the task now if a request is pending; nothing otherwise. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    this.pending = false;
    this.last = this.now();
    await this.task();
  }
}
