import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject } from 'vitest';
import { ONE_IMAGE_CATALOGUE } from '../fixtures/catalogues';
import { test } from './fixture';
import { metric, shownResults, waitForResults, waitForState } from './page';

const baseUrl = inject('baseUrl');
const assetsDir = inject('assetsDir');

const FOLDER = 'my photos';
/** Paths inside the folder: two classes (sub-folders = labels) of real photos. */
const FILES = ['dolphin', 'sunflower'].flatMap((label) => [1, 2, 3, 4].map((n) => `${label}/image_000${n}.jpg`));
const APP = `${baseUrl}?catalogue=${ONE_IMAGE_CATALOGUE}&model=mobilenet_v1_025_224_rebuilt&workers=1`;

const source = (path: string): string => join(assetsDir, 'datasets', 'caltech101-40', path);

/**
 * Writes the folder into the origin private file system: its handle is a real
 * FileSystemDirectoryHandle, as `showDirectoryPicker()` gives, that IndexedDB can keep.
 */
async function writeFolderToOpfs(page: Page): Promise<void> {
  const files = FILES.map((path) => [path, readFileSync(source(path)).toString('base64')]);
  await page.evaluate(
    async ({ name, files }) => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
      for (const [path, base64] of files) {
        const [dir, file] = path.split('/');
        const handle = await (
          await folder.getDirectoryHandle(dir, { create: true })
        ).getFileHandle(file, {
          create: true,
        });
        const writable = await handle.createWritable();
        await writable.write(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
        await writable.close();
      }
    },
    { name: FOLDER, files },
  );
}

/** Waits until the indexing pipeline has finished the folder. */
async function waitForIndexed(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=live-indexing][data-state=done]', { timeout: 120_000 });
}

describe('a folder catalogue after a reload', () => {
  test('a picked folder is offered again after a reload and reopens from its kept embeddings', async ({ page }) => {
    // Only the picker dialog is stubbed: it answers with the OPFS folder. Everything after it is real.
    await page.addInitScript((name) => {
      const w = window as unknown as { showDirectoryPicker: unknown; pickerCalls: number };
      w.pickerCalls = 0;
      w.showDirectoryPicker = async () => {
        w.pickerCalls++;
        return (await navigator.storage.getDirectory()).getDirectoryHandle(name);
      };
    }, FOLDER);
    await page.goto(APP);
    await waitForState(page, 'ready');
    await writeFolderToOpfs(page);
    const embeddedBefore = await metric(page, 'embedded-count');
    await page.click('[data-testid=choose-folder]');
    await waitForIndexed(page);
    expect(await metric(page, 'n')).toBe(FILES.length);
    expect((await metric(page, 'embedded-count')) - embeddedBefore).toBe(FILES.length);

    await page.reload();
    await waitForState(page, 'ready');
    // The URL's catalogue again, with the offer to reopen the folder.
    expect(await metric(page, 'n')).toBe(1);
    const reopen = page.locator('[data-testid=reopen-folder]');
    await reopen.waitFor({ timeout: 30_000 });
    expect(await reopen.textContent()).toContain(`Reopen ${FOLDER}`);
    expect(await reopen.getAttribute('data-name')).toBe(FOLDER);
    expect(await page.$('[data-testid=folder-lost]')).toBeNull();
    const embedded = await metric(page, 'embedded-count');

    await reopen.click();
    await waitForIndexed(page);
    // Listed again from the kept handle (no picker), indexed from IndexedDB: nothing embedded anew.
    expect(await page.evaluate(() => (window as unknown as { pickerCalls: number }).pickerCalls)).toBe(0);
    expect(await metric(page, 'n')).toBe(FILES.length);
    expect(await metric(page, 'embedded-count')).toBe(embedded);
    expect(await metric(page, 'cache-hits')).toBe(FILES.length);
    expect(await page.$$('[data-testid=catalogue-item]')).toHaveLength(FILES.length);
    expect(await page.$('[data-testid=reopen-folder]')).toBeNull();

    // And it is searchable: an image finds itself first, and its own class next, in both engines.
    const tile = page.locator('[data-testid=catalogue-item][data-label=dolphin]').nth(1);
    const id = await tile.getAttribute('data-id');
    await tile.click();
    await page.waitForSelector(`[data-testid=result][data-engine=exact][data-rank="1"][data-id="${id}"]`);
    await page.waitForSelector(`[data-testid=result][data-engine=hnsw][data-rank="1"][data-id="${id}"]`);
    await waitForResults(page, FILES.length);
    const exact = await shownResults(page, 'exact');
    expect(exact.slice(0, 4).filter((r) => r.label === 'dolphin').length).toBeGreaterThanOrEqual(3);
  });

  test('a folder given through the folder input must be picked again after a reload, and the page says so', async ({
    page,
  }) => {
    const root = mkdtempSync(join(tmpdir(), 'vsl-folder-'));
    try {
      for (const path of FILES.slice(0, 3)) {
        mkdirSync(join(root, FOLDER, path.split('/')[0]), { recursive: true });
        copyFileSync(source(path), join(root, FOLDER, path));
      }
      await page.goto(APP);
      await waitForState(page, 'ready');
      await page.setInputFiles('[data-testid=folder-input]', join(root, FOLDER));
      await waitForIndexed(page);
      expect(await metric(page, 'n')).toBe(3);

      await page.reload();
      await waitForState(page, 'ready');
      const lost = page.locator('[data-testid=folder-lost]');
      await lost.waitFor({ timeout: 30_000 });
      expect(await lost.getAttribute('data-name')).toBe(FOLDER);
      const text = await lost.textContent();
      expect(text).toContain(FOLDER);
      expect(text).toContain('pick it again');
      expect(await page.$('[data-testid=reopen-folder]')).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
