import { expect, test } from 'vitest';
import { READS_PER_TASK, readInParts } from '../../src/lib/readInParts';

const keys = Array.from({ length: 2 * READS_PER_TASK + 7 }, (_, i) => i);

test('asks for a few hundred keys a task and gives the results in the keys’ order', async () => {
  const events: string[] = [];
  const read = (part: number[]) => {
    events.push(`read ${part.length}`);
    // Each part answers after the next is asked for, as IndexedDB's replies would.
    return new Promise<number[]>((resolve) => setTimeout(() => resolve(part.map((k) => k * 10)), 1));
  };
  setTimeout(() => events.push('a task queued before'), 0);
  const values = await readInParts(keys, read);
  expect(values).toEqual(keys.map((k) => k * 10));
  expect(events.slice(0, 3)).toEqual([`read ${READS_PER_TASK}`, 'a task queued before', `read ${READS_PER_TASK}`]);
  expect(events.filter((e) => e.startsWith('read'))).toEqual([
    `read ${READS_PER_TASK}`,
    `read ${READS_PER_TASK}`,
    'read 7',
  ]);
});

test('asks for nothing when there are no keys', async () => {
  let calls = 0;
  expect(await readInParts([], async () => (calls++, []))).toEqual([]);
  expect(calls).toBe(0);
});

test('rejects with the first part that failed, and reports no unhandled rejection meanwhile', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const read = async (part: number[]) => {
      if (part[0] === 0) throw new Error('storage went away');
      return part;
    };
    await expect(readInParts(keys, read)).rejects.toThrow('storage went away');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
