import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { E2E_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { waitForState } from './page';

const baseUrl = inject('baseUrl');
const OVERLAY = '[data-testid=shortcuts-overlay]';

describe('the shortcuts list is a modal dialog', () => {
  let page: Page;
  test.beforeAll(async ({ sharedPage }) => {
    page = sharedPage;
    await page.goto(`${baseUrl}?catalogue=${E2E_CATALOGUE}`);
    await waitForState(page, 'ready');
  });
  test.afterEach(async () => {
    // Leave the list closed for the next test, whatever the keyboard did.
    if (await page.$(OVERLAY)) await page.click(`${OVERLAY} button`);
  });

  /**
   * Where focus is: in the list, on the page behind it, or out of the page. A modal dialog lets Tab
   * go on from its last control to the browser's own toolbar (then back), never to the page behind.
   */
  const focusIs = () =>
    page.evaluate(
      (overlay) => (!document.hasFocus() ? 'browser' : document.activeElement?.closest(overlay) ? 'list' : 'page'),
      OVERLAY,
    );
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

  async function tabAround(): Promise<void> {
    for (const key of ['Tab', 'Shift+Tab']) {
      const seen: string[] = [];
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press(key);
        seen.push(await focusIs());
      }
      const path = `${key}: ${seen.join(' → ')}`;
      expect(path).not.toContain('page');
      expect(path).toContain('list');
    }
  }

  test('opened from its button: focus moves in, Tab and Shift+Tab stay inside, Esc closes and gives focus back', async () => {
    await page.click('[data-testid=shortcuts-button]');
    await page.waitForSelector(OVERLAY);
    expect(await focusIs()).toBe('list');
    await tabAround();
    await page.keyboard.press('Escape');
    await page.waitForSelector(OVERLAY, { state: 'detached' });
    expect(await focused()).toBe('shortcuts-button');
  });

  test('opened with ?: the same, and focus goes back to what had it', async () => {
    await page.focus('[data-testid=tab-storage]');
    await page.keyboard.press('?');
    await page.waitForSelector(OVERLAY);
    expect(await focusIs()).toBe('list');
    await tabAround();
    await page.keyboard.press('Escape');
    await page.waitForSelector(OVERLAY, { state: 'detached' });
    expect(await focused()).toBe('tab-storage');
  });
});
