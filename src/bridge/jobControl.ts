/**
 * Cooperative cancellation inside a worker. Long loops (index builds, sweeps, evaluations)
 * call checkpoint() as they go: every ~50 ms it yields to the event loop, so a cancel message
 * or a query that arrived meanwhile is handled, and it throws Cancelled once the job was
 * cancelled. The main thread never calls this directly: it aborts an AbortSignal, and the
 * worker client (workerClient.ts) turns that into a cancel of this job (workerHost.ts).
 */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const YIELD_EVERY_MS = 50;

/** One job's cancel flag and yield clock. */
export class JobControl {
  private cancelled = false;
  private lastYield = performance.now();

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
}

/**
 * The jobs of one worker, by the id the client gave each. One job at a time: a second is
 * refused, since jobs share the worker's state (the index). A cancel names its job, so a
 * cancel that arrives late (its job already done) never stops the job that runs now.
 */
export class Jobs {
  private current: { id: number; control: JobControl } | null = null;

  /** Runs a job; resolves to null instead of throwing when it was cancelled. */
  async run<T>(id: number, job: (control: JobControl) => Promise<T>): Promise<T | null> {
    if (this.current) throw new Error('another job is running in this worker; cancel it or wait');
    const control = new JobControl();
    this.current = { id, control };
    try {
      return await job(control);
    } catch (error) {
      if (error instanceof Cancelled) return null;
      throw error;
    } finally {
      this.current = null;
    }
  }

  /** Stops job `id` at its next checkpoint; nothing when another job (or none) runs. */
  cancel(id: number): void {
    if (this.current?.id === id) this.current.control.cancel();
  }
}
