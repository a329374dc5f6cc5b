import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Jobs, type JobControl } from '../../src/bridge/jobControl';
import { CANCEL_JOB, RUN_JOB, protocol, type WorkerImplementation } from '../../src/bridge/protocol';
import { WorkerClient, WorkerCrashed, WorkerTerminated } from '../../src/bridge/workerClient';
import { exposeWorker } from '../../src/bridge/workerHost';
import { portWorker, type PortWorker } from '../fixtures/portWorker';

interface TestApi {
  sum(values: Float32Array): Promise<number>;
  make(n: number): Promise<{ values: Float32Array }>;
  /** Counts to `to`, one step every few ms, reporting each; null when cancelled. */
  count(to: number, onProgress: (done: number) => void): Promise<number | null>;
  /** Which worker answered (1 for the first started, 2 for the next…). */
  whoami(): Promise<number>;
}

const TEST_WORKER = protocol<TestApi>()({
  sum: { transfer: (values) => [values.buffer] },
  make: { transferResult: (made) => [made.values.buffer] },
  count: { job: true, callbacks: [1] },
  whoami: {},
});

const step = () => new Promise((resolve) => setTimeout(resolve, 2));

function testWorker(instance: number, made: Float32Array[] = []): WorkerImplementation<typeof TEST_WORKER> {
  return {
    sum: (values) => values.reduce((a, b) => a + b, 0),
    async make(n) {
      const values = Float32Array.from({ length: n }, (_, i) => i);
      made.push(values);
      return { values };
    },
    async count(job: JobControl, to, onProgress) {
      for (let i = 1; i <= to; i++) {
        await step();
        onProgress(i);
        await job.checkpoint();
      }
      return to;
    },
    whoami: () => instance,
  };
}

/** Clients over MessageChannel workers, each worker numbered in start order. */
function setup(options: ConstructorParameters<typeof WorkerClient>[2] = {}) {
  const workers: PortWorker[] = [];
  const made: Float32Array[] = [];
  const client = new WorkerClient(
    () => {
      const worker = portWorker(TEST_WORKER, testWorker(workers.length + 1, made));
      workers.push(worker);
      return worker;
    },
    TEST_WORKER,
    options,
  );
  clients.push(client);
  return { client, workers, made };
}

const clients: { terminate(): void }[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.terminate()));

describe('the worker client over a real Comlink endpoint', () => {
  it('starts the worker at the first call, not before', async () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0);
    expect(client.alive).toBe(false);
    expect(await client.whoami()).toBe(1);
    expect(workers).toHaveLength(1);
    expect(client.alive).toBe(true);
  });

  it('transfers the buffers its rules name: arguments to the worker, results back', async () => {
    const { client, made } = setup();
    const values = Float32Array.of(1, 2, 3.5);
    expect(await client.sum(values)).toBe(6.5);
    // Transferred, not copied: the caller's array is detached.
    expect(values.byteLength).toBe(0);
    const { values: back } = await client.make(4);
    expect(Array.from(back)).toEqual([0, 1, 2, 3]);
    expect(made[0].byteLength).toBe(0);
  });

  it('calls a progress callback back across the boundary', async () => {
    const { client } = setup();
    const progress: number[] = [];
    expect(await client.count(5, (done) => progress.push(done))).toBe(5);
    // The callback's messages travel on their own port: the last may land after the result.
    await vi.waitFor(() => expect(progress).toEqual([1, 2, 3, 4, 5]));
  });

  it('an abort cancels the job at its next checkpoint: it resolves null while the worker keeps answering', async () => {
    const { client } = setup();
    const abort = new AbortController();
    let reported = 0;
    const job = client.count(
      10_000,
      (done) => {
        reported = done;
        if (done === 3) abort.abort();
      },
      abort.signal,
    );
    expect(await client.whoami()).toBe(1);
    expect(await job).toBeNull();
    expect(reported).toBeLessThan(100);
    // The next job runs: the cancel was that job's only.
    expect(await client.count(3, () => {}, new AbortController().signal)).toBe(3);
  });

  it('a signal aborted before the call resolves null without reaching the worker', async () => {
    const { client, workers } = setup();
    const abort = new AbortController();
    abort.abort();
    expect(await client.count(3, () => {}, abort.signal)).toBeNull();
    expect(workers).toHaveLength(0);
  });

  it('a late abort (its job already done) does not cancel the job that runs now', async () => {
    const { client } = setup();
    const first = new AbortController();
    expect(await client.count(2, () => {}, first.signal)).toBe(2);
    const second = client.count(
      20,
      (done) => {
        if (done === 2) first.abort();
      },
      new AbortController().signal,
    );
    expect(await second).toBe(20);
  });

  it('terminates the worker once idle, and starts a new one at the next call', async () => {
    const { client, workers } = setup({ idleTimeoutMs: 30 });
    expect(await client.whoami()).toBe(1);
    // A call that takes longer than the idle time is not cut short.
    expect(await client.count(30, () => {})).toBe(30);
    await vi.waitFor(() => expect(workers[0].terminated).toBe(true));
    expect(client.alive).toBe(false);
    expect(await client.whoami()).toBe(2);
    expect(client.workersStarted).toBe(2);
  });

  it('with restartOnError, a crash rejects the calls in flight and the next call gets a fresh worker', async () => {
    const { client, workers } = setup({ restartOnError: true });
    const job = client.count(10_000, () => {});
    await client.whoami();
    workers[0].crash('boom');
    await expect(job).rejects.toBeInstanceOf(WorkerCrashed);
    await expect(job).rejects.toThrow('boom');
    expect(workers[0].terminated).toBe(true);
    expect(await client.whoami()).toBe(2);
  });

  it('terminate() rejects the calls in flight', async () => {
    const { client } = setup();
    const job = client.count(10_000, () => {});
    await client.whoami();
    client.terminate();
    await expect(job).rejects.toBeInstanceOf(WorkerTerminated);
  });

  it('refuses a protocol method that would hide one of its own members', () => {
    const clash = protocol<{ terminate(): Promise<void> }>()({ terminate: {} });
    expect(() => new WorkerClient(() => portWorker(clash, { terminate: () => {} }), clash)).toThrow(/terminate/);
  });
});

describe('the worker host: cancels are addressed to a job', () => {
  it('a cancel naming an earlier job leaves the running one alone; its own id stops it', async () => {
    const { port1, port2 } = new MessageChannel();
    exposeWorker(TEST_WORKER, testWorker(1), port2 as unknown as Comlink.Endpoint);
    const wire = Comlink.wrap<Record<string, (...args: unknown[]) => Promise<unknown>>>(port1);
    const none = Comlink.proxy(() => {});
    try {
      expect(await wire[RUN_JOB]('count', 1, 2, none)).toBe(2);
      const second = wire[RUN_JOB]('count', 2, 20, none);
      await wire[CANCEL_JOB](1);
      expect(await second).toBe(20);
      const third = wire[RUN_JOB]('count', 3, 10_000, none);
      await wire[CANCEL_JOB](3);
      expect(await third).toBeNull();
      // Plain Comlink may call the methods by name too.
      expect(await wire.whoami()).toBe(1);
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('Jobs: one job at a time; cancel(id) stops that job only', async () => {
    const jobs = new Jobs();
    const spin = async (control: JobControl) => {
      for (let i = 0; i < 20; i++) {
        await step();
        await control.checkpoint();
      }
      return 'done';
    };
    const running = jobs.run(7, spin);
    await expect(jobs.run(8, spin)).rejects.toThrow(/another job/);
    jobs.cancel(6);
    expect(await running).toBe('done');
    const cancelled = jobs.run(9, spin);
    jobs.cancel(9);
    expect(await cancelled).toBeNull();
  });
});
