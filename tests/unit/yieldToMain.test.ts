import { afterEach, expect, test } from 'vitest';
import { afterNextPaint, yieldToMain } from '../../src/lib/yieldToMain';

type Page = { scheduler?: unknown; document?: unknown; requestAnimationFrame?: unknown };

afterEach(() => {
  delete (globalThis as Page).scheduler;
  delete (globalThis as Page).document;
  delete (globalThis as Page).requestAnimationFrame;
});

/** A page whose animation frames run only when the test says so. */
function pageWithFrames(visibilityState: 'visible' | 'hidden'): { frames: (() => void)[] } {
  const frames: (() => void)[] = [];
  (globalThis as Page).document = { visibilityState };
  (globalThis as Page).requestAnimationFrame = (callback: () => void) => frames.push(callback);
  return { frames };
}

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

test('afterNextPaint waits for the next frame, then for a task after its rendering', async () => {
  const { frames } = pageWithFrames('visible');
  let settled = false;
  void afterNextPaint().then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(settled).toBe(false);
  expect(frames).toHaveLength(1);
  frames[0]!();
  // Still inside the frame: the rendering comes first.
  await Promise.resolve();
  expect(settled).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(settled).toBe(true);
});

test('afterNextPaint does not wait for frames a hidden page never paints', async () => {
  const { frames } = pageWithFrames('hidden');
  await afterNextPaint();
  expect(frames).toHaveLength(0);
});
