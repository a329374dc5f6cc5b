import type { Route } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { waitForState } from './page';

const baseUrl = inject('baseUrl');
const APP = `${baseUrl}?catalogue=${E2E_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt`;

describe('offline status in the Storage tab', () => {
  test('a page reloaded before the first offline copy was complete says so once it is', async ({ context }) => {
    // Hold the service worker's precache downloads of the models, so its install is still under
    // way when the page reloads.
    const held: Route[] = [];
    let holding = true;
    await context.route('**/models/**', (route) =>
      holding && route.request().serviceWorker() ? held.push(route) : route.continue(),
    );
    const page = await context.newPage();
    await page.goto(APP);
    await expect.poll(() => held.length, { timeout: 60_000 }).toBeGreaterThan(0);

    await page.reload();
    await waitForState(page, 'ready');
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.installing?.state)).toBe(
      'installing',
    );
    holding = false;
    await Promise.all(held.map((route) => route.continue()));
    // The copy completes: the worker activates.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active !== null)).toBe(true);

    await page.click('[data-testid=tab-storage]');
    await page.waitForSelector('[data-testid=offline-ready]', { timeout: 30_000 });
  });
});
