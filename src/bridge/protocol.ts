import type { JobControl } from './jobControl';

/**
 * What crosses a worker boundary, declared once per worker and read by both sides: the
 * client (workerClient.ts, main thread) and the host (workerHost.ts, in the worker).
 *
 *   export const SEARCH_WORKER = protocol<SearchWorkerApi>()({
 *     setVectors: { transfer: (vectors) => [vectors.buffer] },
 *     buildIndex: { job: true, callbacks: [1] },
 *     copyVectors: { transferResult: (copy) => [copy.vectors.buffer] },
 *     ...
 *   });
 */

type Method = (...args: never[]) => unknown;

/** The positions of the parameters of P that are functions (optional ones included). */
type CallbackPosition<P extends readonly unknown[]> = {
  [I in keyof P]: NonNullable<P[I]> extends Method ? (I extends `${infer N extends number}` ? N : never) : never;
}[number];

export interface MethodRule<F extends Method> {
  /** Buffers of the arguments handed to the worker instead of copied: the caller loses them. */
  transfer?: (...args: Parameters<F>) => Transferable[];
  /** Positions of the callback arguments; the worker calls them back through Comlink.proxy until the call settles. */
  callbacks?: readonly CallbackPosition<Parameters<F>>[];
  /**
   * A long job: the client method takes an AbortSignal after the arguments, the worker runs
   * the job under its own JobControl, and an abort makes it resolve null at its next checkpoint
   * (so a job's result type must admit null).
   */
  job?: null extends Awaited<ReturnType<F>> ? true : never;
  /** Buffers of the result the worker hands over instead of copying. */
  transferResult?: (result: NonNullable<Awaited<ReturnType<F>>>) => Transferable[];
}

/** One rule per method of the API: the list of rules is also the list of methods. */
export type MethodRules<Api> = { [K in keyof Api]: Api[K] extends Method ? MethodRule<Api[K]> : never };

/** A worker's API (a type only) with its rules (a value). */
export interface Protocol<Api, Rules> {
  readonly rules: Rules;
  /** Never set: carries the API's type to the client and the host. */
  readonly api?: Api;
}

/** Declares a worker's protocol; curried so that Api is given and the rules are inferred, literally. */
export function protocol<Api>() {
  return <const Rules extends MethodRules<Api>>(rules: Rules): Protocol<Api, Rules> => ({ rules });
}

type ApiOf<P> = P extends Protocol<infer Api, unknown> ? Api : never;
type RulesOf<P> = P extends Protocol<unknown, infer Rules> ? Rules : never;
type IsJob<P, K> = K extends keyof RulesOf<P> ? (RulesOf<P>[K] extends { job: true } ? true : false) : false;

/** The main thread's methods: the API's, each resolving in a promise; a job's take an optional AbortSignal last. */
export type ClientMethods<P> = {
  [K in keyof ApiOf<P>]: ApiOf<P>[K] extends (...args: infer A) => infer R
    ? IsJob<P, K> extends true
      ? (...args: [...A, signal?: AbortSignal]) => Promise<Awaited<R>>
      : (...args: A) => Promise<Awaited<R>>
    : never;
};

/** What the worker implements: the API's methods, a job's getting its JobControl first. */
export type WorkerImplementation<P> = {
  [K in keyof ApiOf<P>]: ApiOf<P>[K] extends (...args: infer A) => infer R
    ? IsJob<P, K> extends true
      ? (job: JobControl, ...args: A) => Promise<Awaited<R>>
      : (...args: A) => Promise<Awaited<R>> | Awaited<R>
    : never;
};

/**
 * The wire: every method under its own name (so plain Comlink can call it too: `api.embed(jobs)`),
 * plus two entries for jobs the client can cancel: RUN_JOB(method, id, ...args) and CANCEL_JOB(id).
 */
export const RUN_JOB = '__runJob';
export const CANCEL_JOB = '__cancelJob';
