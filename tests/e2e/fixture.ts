import { test as base, expect } from 'vitest';
import { launchChromium } from './browser';

/** Every page's window: a desktop screen, the results beside the catalogue. */
const viewport = { width: 1400, height: 1000 };

/**
 * Vitest's `test` with a browser. A test names what it needs:
 * - `page`: a page of its own in a fresh context (own storage, caches and service worker);
 * - `context`: that fresh context, to open several pages, reload, route or go offline;
 * - `sharedPage`: one page for the whole file, for tests that go on where the previous one
 *   stopped; open it in `test.beforeAll(async ({ sharedPage }) => …)`;
 * - `browser`: the file's headless Chromium, launched once per file.
 * Everything is closed afterwards. After each test, no page opened here may have thrown.
 */
export const test = base
  // eslint-disable-next-line no-empty-pattern -- Vitest reads a fixture's dependencies from this pattern
  .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend('pageErrors', { scope: 'file' }, (): string[] => [])
  .extend('noPageErrors', { auto: true }, ({ pageErrors }, { onCleanup }) => {
    onCleanup(() => expect(pageErrors.splice(0), 'errors thrown in the page').toEqual([]));
  })
  .extend('sharedPage', { scope: 'file' }, async ({ browser, pageErrors }) => {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  })
  .extend('context', async ({ browser, pageErrors }, { onCleanup }) => {
    const context = await browser.newContext({ viewport });
    context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(error.message)));
    onCleanup(() => context.close());
    return context;
  })
  .extend('page', ({ context }) => context.newPage());
