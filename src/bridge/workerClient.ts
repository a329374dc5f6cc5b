import * as Comlink from 'comlink';
import { CANCEL_JOB, RUN_JOB, type ClientMethods, type Protocol } from './protocol';

/** A Worker, or anything that talks like one (a MessagePort in Node tests). */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export interface WorkerClientOptions {
  /**
   * Terminates the worker once no call has been in flight for this long; the next call starts
   * a new one (so it must not hold state a caller set up). For lab workers.
   */
  idleTimeoutMs?: number;
  /**
   * Takes an `error` event from the worker as its death: the calls in flight reject with
   * WorkerCrashed, the worker is terminated, and the next call starts a new one.
   */
  restartOnError?: boolean;
}

/** The worker died (an uncaught error, with restartOnError) while the call was in flight. */
export class WorkerCrashed extends Error {}

/** terminate() ended the worker while the call was in flight. */
export class WorkerTerminated extends Error {
  constructor() {
    super('the worker was terminated');
  }
}

/** A rule as the client reads it, whatever the method. */
interface Rule {
  job?: true;
  callbacks?: readonly number[];
  transfer?: (...args: unknown[]) => Transferable[];
}

type Call = (...args: unknown[]) => Promise<unknown>;

interface Running {
  endpoint: WorkerLike;
  remote: Record<string, Call>;
  /** Rejects when the worker ends (crash or terminate): every call in flight races it. */
  ended: Promise<never>;
  end(error: Error): void;
}

/**
 * One typed client per worker, after Squoosh's WorkerBridge. The worker starts at the first
 * call; each method of the protocol is a method here, with the protocol's transfer and proxy
 * rules applied, so callers pass plain arrays and functions. A job takes an AbortSignal as its
 * last argument: aborting it cancels that job (and no other) at its next checkpoint in the
 * worker, and the call then resolves null. A job that finished before the abort arrived keeps
 * its result. Calls are not queued: the worker answers quick calls (queries) while a job runs.
 */
class WorkerClientBase {
  readonly #create: () => WorkerLike;
  readonly #rules: Record<string, Rule>;
  readonly #options: WorkerClientOptions;
  #running: Running | null = null;
  #inFlight = 0;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #lastJob = 0;
  #started = 0;

  constructor(create: () => WorkerLike, protocol: Protocol<unknown, unknown>, options: WorkerClientOptions = {}) {
    this.#create = create;
    this.#rules = protocol.rules as Record<string, Rule>;
    this.#options = options;
    for (const method of Object.keys(this.#rules)) {
      if (method in this) throw new Error(`a worker method cannot be called ${method}`);
      Object.defineProperty(this, method, { value: (...args: unknown[]) => this.#call(method, args) });
    }
  }

  /** Workers started so far: the first, then one after each idle timeout, crash or terminate(). */
  get workersStarted(): number {
    return this.#started;
  }

  /** A worker has started and has not ended since (crash, idle timeout, terminate). */
  get alive(): boolean {
    return this.#running !== null;
  }

  /** Ends the worker now; calls in flight reject with WorkerTerminated. A later call starts a new one. */
  terminate(): void {
    this.#stop(new WorkerTerminated());
  }

  async #call(method: string, args: unknown[]): Promise<unknown> {
    const rule = this.#rules[method];
    const last = args.at(-1);
    const signal = rule.job && last instanceof AbortSignal ? last : undefined;
    if (signal) args = args.slice(0, -1);
    // Never started: nothing to cancel, nothing changed.
    if (signal?.aborted) return null;
    const wireArgs = args.map((arg, i) =>
      rule.callbacks?.includes(i) && typeof arg === 'function' ? Comlink.proxy(arg) : arg,
    );
    // Comlink takes the transfer list of a call from its arguments; any object argument can carry it.
    const transfers = rule.transfer?.(...args) ?? [];
    const carrier = wireArgs.find((arg) => typeof arg === 'object' && arg !== null);
    if (transfers.length > 0 && !carrier) throw new Error(`${method}: nothing to transfer the buffers with`);
    if (carrier && transfers.length > 0) Comlink.transfer(carrier, transfers);

    const running = this.#start();
    const jobId = rule.job ? ++this.#lastJob : 0;
    const cancel = () => void running.remote[CANCEL_JOB](jobId).catch(() => {});
    this.#busy(1);
    try {
      let reply: Promise<unknown>;
      try {
        reply = rule.job ? running.remote[RUN_JOB](method, jobId, ...wireArgs) : running.remote[method](...wireArgs);
      } finally {
        // Posted by now; the argument may be sent again later, without these buffers.
        if (carrier && transfers.length > 0) Comlink.transfer(carrier, []);
      }
      // Added after the call was posted, so the worker reads the cancel after the job it names.
      signal?.addEventListener('abort', cancel, { once: true });
      return await Promise.race([reply, running.ended]);
    } finally {
      signal?.removeEventListener('abort', cancel);
      this.#busy(-1);
    }
  }

  #start(): Running {
    if (this.#running) return this.#running;
    const endpoint = this.#create();
    let end: (error: Error) => void = () => {};
    const ended = new Promise<never>((_, reject) => (end = reject));
    ended.catch(() => {});
    const running: Running = {
      endpoint,
      remote: Comlink.wrap(endpoint) as unknown as Record<string, Call>,
      ended,
      end,
    };
    if (this.#options.restartOnError) {
      endpoint.addEventListener('error', (event) => {
        if (this.#running !== running) return;
        const message = (event as ErrorEvent).message || 'the worker crashed';
        this.#stop(new WorkerCrashed(message));
      });
    }
    this.#running = running;
    this.#started++;
    return running;
  }

  #stop(error: Error): void {
    this.#clearIdleTimer();
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    running.end(error);
    running.endpoint.terminate();
  }

  #busy(delta: number): void {
    this.#inFlight += delta;
    this.#clearIdleTimer();
    const timeout = this.#options.idleTimeoutMs;
    if (this.#inFlight === 0 && timeout !== undefined) {
      this.#idleTimer = setTimeout(() => this.#stop(new WorkerTerminated()), timeout);
    }
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}

/** A client of protocol P: its methods, and terminate(). */
export type WorkerClient<P> = WorkerClientBase & ClientMethods<P>;

/**
 * `new WorkerClient(() => new Worker(new URL(…), { type: 'module' }), X_WORKER, options)`: the
 * Worker is constructed at the call site, where Vite finds and bundles its script. A feature may
 * subclass it to give its client a name (`class SearchClient extends WorkerClient<typeof SEARCH_WORKER>`).
 */
export const WorkerClient = WorkerClientBase as new <P extends Protocol<unknown, unknown>>(
  create: () => WorkerLike,
  protocol: P,
  options?: WorkerClientOptions,
) => WorkerClient<P>;
