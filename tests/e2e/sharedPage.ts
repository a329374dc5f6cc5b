import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser';
import { waitForState } from './page';

export interface SharedPage {
  browser: Browser;
  page: Page;
}

/**
 * For a whole describe block: one browser and one 1400×1000 page opened at `url` and ready.
 * After each test the page must have thrown nothing. Read it in a test or a later beforeAll.
 */
export function sharedReadyPage(url: string): SharedPage {
  const shared = {} as SharedPage;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    shared.browser = await launchChromium();
    shared.page = await shared.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    shared.page.on('pageerror', (error) => pageErrors.push(error.message));
    await shared.page.goto(url);
    await waitForState(shared.page, 'ready');
  });
  afterAll(async () => {
    await shared.browser?.close();
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });
  return shared;
}
