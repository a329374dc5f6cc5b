import { describe, expect, it } from 'vitest';
import { LatestOnly, SUPERSEDED } from '../../src/lib/latestOnly';

/** A task that finishes when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('LatestOnly', () => {
  it('runs the first task, drops every waiting one but the newest, then runs that', async () => {
    const runner = new LatestOnly<number>();
    const started: number[] = [];
    const first = deferred<number>();
    const results = [runner.run(() => (started.push(0), first.promise))];
    for (let i = 1; i <= 5; i++) results.push(runner.run(async () => (started.push(i), i * 10)));
    expect(started).toEqual([0]);
    first.resolve(0);
    expect(await Promise.all(results)).toEqual([0, SUPERSEDED, SUPERSEDED, SUPERSEDED, SUPERSEDED, 50]);
    expect(started).toEqual([0, 5]);
    expect(runner.superseded).toBe(4);
  });

  it('passes a failure to its caller and keeps serving', async () => {
    const runner = new LatestOnly<string>();
    await expect(runner.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await runner.run(async () => 'ok')).toBe('ok');
  });

  it('runs tasks that come one after another, none superseded', async () => {
    const runner = new LatestOnly<number>();
    for (let i = 0; i < 3; i++) expect(await runner.run(async () => i)).toBe(i);
    expect(runner.superseded).toBe(0);
  });
});
