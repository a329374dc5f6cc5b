/**
 * Do the catalogue grid's runs of rows, skipped while far from the view (`content-visibility: auto`
 * on each run, `CatalogueGrid.svelte`), make its frames cheaper? An A/B in one page of the built app
 * (default catalogue, after ready): rounds take turns between the grid as shipped, the same runs all
 * forced visible (`content-visibility: visible` injected), and every tile moved into one list with
 * nothing skipped (the grid before the runs), and time three frames the app makes — 80 tiles appended at the
 * end (a slice of the start-up render), every tile's `disabled` flipped (what *ready* does), and the
 * grid relaid out (3 px of padding). Not part of `npm run bench`:
 *
 *   npx tsx tests/bench/gridContentVisibility.ts [--rounds 18]
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

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '18' } } });
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
  // The grid as it was before the runs: every tile in one list (moved there, and back, untimed).
  const items = [...grid.querySelectorAll('li.item')].map((li) => [li, li.parentElement]);
  const single = lastRun.cloneNode(false);
  const out = {};
  for (const mode of ['shipped', 'visible', 'single']) out[mode] = { append: [], flip: [], relayout: [] };
  const timeFrame = async (change) => { const start = performance.now(); change(); await frame(); return performance.now() - start; };
  for (let r = 0; r < ${rounds}; r++) {
    const mode = ['visible', 'shipped', 'single'][r % 3];
    if (mode === 'shipped') style.remove(); else document.head.append(style);
    if (mode === 'single') {
      grid.insertBefore(single, grid.firstChild);
      single.append(...items.map(([li]) => li));
    } else if (single.isConnected) {
      items.forEach(([li, parent]) => parent.append(li));
      single.remove();
    }
    for (let i = 0; i < 3; i++) await frame();
    const copies = items.slice(0, 80).map(([li]) => li.cloneNode(true));
    const end = mode === 'single' ? single : lastRun;
    out[mode].append.push(await timeFrame(() => end.append(...copies)));
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
    const r = (await page.evaluate(AB(Number(values.rounds)))) as {
      tiles: number;
      shipped: Frames;
      visible: Frames;
      single: Frames;
    };
    const m = (xs: number[]) => figure(xs).median.toFixed(1);
    console.log(
      `${r.tiles} tiles, ${values.rounds} rounds, load average ${before.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
    );
    console.log(
      '| frame (ms, median) | as shipped: runs, far ones skipped | runs, every one visible | one list (before the runs) |\n| --- | ---: | ---: | ---: |',
    );
    for (const k of ['append', 'flip', 'relayout'] as const)
      console.log(`| ${k} | ${m(r.shipped[k])} | ${m(r.visible[k])} | ${m(r.single[k])} |`);
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
