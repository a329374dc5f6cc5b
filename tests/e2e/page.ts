import type { Page } from 'playwright-core';

/** Reading the app through its testing contract. */

export interface ShownResult {
  engine: string;
  rank: number;
  id: number;
  label: string;
  score: number;
}

export async function waitForState(page: Page, state: string, timeout = 150_000): Promise<void> {
  await page.waitForSelector(`[data-testid=index-status][data-state=${state}]`, { timeout });
}

/**
 * Waits until the catalogue grid has every tile in the page (up to 3,000 images; above, only the rows near
 * the view): it adds them a slice per task when it is drawn, at start and again when the Search tab opens.
 */
export async function waitForWholeGrid(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=catalogue-grid]:not([aria-busy=true])');
}

export async function shownResults(page: Page, engine: string): Promise<ShownResult[]> {
  return page.$$eval(`[data-testid=result][data-engine=${engine}]`, (els) =>
    els.map((el) => ({
      engine: el.getAttribute('data-engine')!,
      rank: Number(el.getAttribute('data-rank')),
      id: Number(el.getAttribute('data-id')),
      label: el.getAttribute('data-label')!,
      score: Number(el.getAttribute('data-score')),
    })),
  );
}

export async function metric(page: Page, name: string): Promise<number> {
  const raw = await page.getAttribute(`[data-metric=${name}]`, 'data-value');
  return raw === null || raw === '' ? NaN : Number(raw);
}

/** Waits until both result columns show k answers. */
export async function waitForResults(page: Page, k: number): Promise<void> {
  await page.waitForFunction(
    (want) =>
      document.querySelectorAll('[data-testid=result][data-engine=exact]').length === want &&
      document.querySelectorAll('[data-testid=result][data-engine=hnsw]').length === want,
    k,
  );
}

/** "Whole image": the crop is dropped and the image searched whole, so it finds itself first again. */
export async function searchWholeImage(page: Page): Promise<void> {
  await page.click('[data-testid=crop-clear]');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('crop'));
  await page.waitForFunction(
    () =>
      Number(
        document.querySelector('[data-testid=result][data-rank="1"][data-engine=exact]')?.getAttribute('data-score'),
      ) > 0.999,
  );
}
