/**
 * Do the catalogue grid's runs of rows, skipped while far from the view (`content-visibility: auto`
 * on each run, `CatalogueGrid.svelte`), make its frames cheaper? An A/B in one page of the built app
 * (default catalogue, after ready): rounds alternate between the grid as shipped and the same grid
 * with every run forced visible (`content-visibility: visible` injected: every tile styled, laid out
 * and painted, as before the runs), and time three frames the app makes — 80 tiles appended at the
 * end (a slice of the start-up render), every tile's `disabled` flipped (what *ready* does), and the
 * grid relaid out (3 px of padding). Not part of `npm run bench`:
 *
 *   npx tsx tests/bench/gridContentVisibility.ts [--rounds 16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PUBLIC_DIR } from '../../datasets/setup';
import { launchChromium } from '../e2e/browser';
import { waitForState } from '../e2e/page';
import { serveBuiltApp } from '../e2e/server';
import { figure } from './figures';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '16' } } });
type Frames = Record<'append' | 'flip' | 'relayout', number[]>;
// (An earlier form of this A/B, content-visibility on each tile instead of runs of rows, made
// the frames dearer: an intersection check per tile. docs/performance.md has both.)

// A string, not a function: the page runs it as written (no bundler helpers from this file).
const AB = (rounds: number) => `(async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => done(null)));
  const grid = document.querySelector('[data-testid=catalogue-grid]');
  const tiles = [...grid.querySelectorAll('[data-testid=catalogue-item]')];
  const lastRun = [...grid.querySelectorAll('.chunk')].pop();
  const style = document.createElement('style');
  style.textContent = '[data-testid=catalogue-grid] .chunk { content-visibility: visible !important; }';
  const out = { shipped: { append: [], flip: [], relayout: [] }, visible: { append: [], flip: [], relayout: [] } };
  const timeFrame = async (change) => { const start = performance.now(); change(); await frame(); return performance.now() - start; };
  for (let r = 0; r < ${rounds}; r++) {
    const mode = r % 2 === 0 ? 'visible' : 'shipped';
    if (mode === 'visible') document.head.append(style); else style.remove();
    for (let i = 0; i < 3; i++) await frame();
    const copies = [...grid.querySelectorAll('li.item')].slice(0, 80).map((li) => li.cloneNode(true));
    out[mode].append.push(await timeFrame(() => lastRun.append(...copies)));
    copies.forEach((c) => c.remove());
    await frame();
    out[mode].flip.push(await timeFrame(() => tiles.forEach((t) => (t.disabled = !t.disabled))));
    await frame();
    out[mode].relayout.push(await timeFrame(() => (grid.style.paddingRight = grid.style.paddingRight ? '' : '3px')));
  }
  return { tiles: tiles.length, ...out };
})()`;

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'vsl-grid-'));
  const app = await serveBuiltApp(PUBLIC_DIR, outDir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(app.url);
    await waitForState(page, 'ready');
    await page.waitForTimeout(3000);
    const before = loadavg()[0];
    const r = (await page.evaluate(AB(Number(values.rounds)))) as { tiles: number; shipped: Frames; visible: Frames };
    const m = (xs: number[]) => figure(xs).median.toFixed(1);
    console.log(
      `${r.tiles} tiles, ${values.rounds} rounds, load average ${before.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
    );
    console.log('| frame | as shipped: runs skipped (ms, median) | every run visible |\n| --- | ---: | ---: |');
    for (const k of ['append', 'flip', 'relayout'] as const)
      console.log(`| ${k} | ${m(r.shipped[k])} | ${m(r.visible[k])} |`);
  } finally {
    await browser.close();
    await app.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
