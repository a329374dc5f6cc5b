/**
 * Long loops in a worker (index builds, sweeps, evaluations) call checkpoint() as they go:
 * every ~50 ms it yields to the event loop, so a cancel() call or a query that arrived
 * meanwhile is handled, and it throws Cancelled once cancel() was called.
 */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const YIELD_EVERY_MS = 50;

export class JobControl {
  private cancelled = false;
  private lastYield = 0;
  private running = false;

  start(): void {
    this.cancelled = false;
    this.lastYield = performance.now();
  }

  cancel(): void {
    this.cancelled = true;
  }

  async checkpoint(): Promise<void> {
    if (performance.now() - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.lastYield = performance.now();
    }
    if (this.cancelled) throw new Cancelled();
  }

  /**
   * Runs a job; resolves to null instead of throwing when it was cancelled. One job at a
   * time: a second is refused, since jobs share the index and one Cancel stops the job.
   */
  async run<T>(job: () => Promise<T>): Promise<T | null> {
    if (this.running) throw new Error('another job is running in this worker; cancel it or wait');
    this.running = true;
    this.start();
    try {
      return await job();
    } catch (error) {
      if (error instanceof Cancelled) return null;
      throw error;
    } finally {
      this.running = false;
    }
  }
}
