import { afterEach, expect, test } from 'vitest';
import { yieldToMain } from '../../src/lib/yieldToMain';

afterEach(() => {
  delete (globalThis as { scheduler?: unknown }).scheduler;
});

test('goes on in a later task: a timeout queued before it runs first', async () => {
  const order: string[] = [];
  setTimeout(() => order.push('task queued before'), 0);
  await yieldToMain();
  order.push('after the yield');
  expect(order).toEqual(['task queued before', 'after the yield']);
});

test("uses the browser's scheduler.yield where there is one", async () => {
  let calls = 0;
  (globalThis as { scheduler?: unknown }).scheduler = { yield: () => (calls++, Promise.resolve()) };
  await yieldToMain();
  expect(calls).toBe(1);
});
