import * as Comlink from 'comlink';
import { Jobs } from './jobControl';
import { CANCEL_JOB, RUN_JOB, type Protocol, type WorkerImplementation } from './protocol';

/** A MethodRule as the host reads it, whatever the method. */
interface Rule {
  job?: true;
  callbacks?: readonly number[];
  transferResult?: (result: unknown) => Transferable[];
}
type Body = (...args: unknown[]) => unknown;

/**
 * The worker side of a protocol: exposes `implementation` over Comlink. Jobs run one at a time
 * under their own JobControl and resolve null when cancelled; results are transferred as the
 * rules say; proxied callbacks are released once their call has settled.
 */
export function exposeWorker<P extends Protocol<unknown, unknown>>(
  protocol: P,
  implementation: WorkerImplementation<P>,
  endpoint: Comlink.Endpoint = self as unknown as Comlink.Endpoint,
): void {
  const rules = protocol.rules as Record<string, Rule>;
  const bodies = implementation as unknown as Record<string, Body>;
  const jobs = new Jobs();
  // Jobs called by name, as plain Comlink does, get ids no client uses: nobody can cancel them.
  let uncancellable = 0;

  async function call(method: string, jobId: number | null, args: unknown[]): Promise<unknown> {
    const rule = rules[method];
    const body = bodies[method];
    if (!rule || !body) throw new Error(`this worker has no method ${method}`);
    try {
      // Called before the first await: a job is registered before the next message (its cancel) is read.
      const result = await (rule.job
        ? jobs.run(jobId ?? --uncancellable, (control) => body(control, ...args) as Promise<unknown>)
        : body(...args));
      const transfers = result !== null && result !== undefined ? (rule.transferResult?.(result) ?? []) : [];
      return transfers.length > 0 ? Comlink.transfer(result, transfers) : result;
    } finally {
      for (const position of rule.callbacks ?? []) {
        (args[position] as Comlink.Remote<Body> | undefined)?.[Comlink.releaseProxy]();
      }
    }
  }

  const wire: Record<string, Body> = {};
  for (const method of Object.keys(rules)) wire[method] = (...args) => call(method, null, args);
  wire[RUN_JOB] = (method, jobId, ...args) => call(method as string, jobId as number, args);
  wire[CANCEL_JOB] = (jobId) => jobs.cancel(jobId as number);
  Comlink.expose(wire, endpoint);
}
