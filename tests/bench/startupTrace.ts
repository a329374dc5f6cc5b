/**
 * What the page's main thread does from navigation to the first result, with evidence: a Chromium
 * performance trace (CDP `Tracing`, the V8 sampling profiler included) of one fresh-profile load of the
 * built app as shipped, a click on the first catalogue image, and its results. Prints every main-thread
 * task over 50 ms with the trace events and JavaScript functions that filled it, and the longest task the
 * bench's own `PerformanceObserver('longtask')` saw in the same load. Not part of `npm run bench`:
 *
 *   npx tsx tests/bench/startupTrace.ts               # the build users get (minified)
 *   npx tsx tests/bench/startupTrace.ts --no-minify   # function names kept, to attribute the samples
 *   npx tsx tests/bench/startupTrace.ts --warm        # also a second load in the same profile
 *   npx tsx tests/bench/startupTrace.ts --query 'catalogue=…&model=…'   # another page (default: the default catalogue)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { PUBLIC_DIR } from '../../datasets/setup';
import { launchChromium } from '../e2e/browser';
import { metric, waitForResults, waitForState } from '../e2e/page';
import { serveBuiltApp } from '../e2e/server';
import { longTasks, type TraceEvent } from './traceAnalysis';

const { values } = parseArgs({
  options: {
    'no-minify': { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    query: { type: 'string', default: '' },
    trace: { type: 'string' },
  },
});

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
];

/**
 * Long tasks as the bench sees them, observed from the first script on; and long animation frames,
 * which also count the style, layout and paint of the rendering update that `longtask` leaves out.
 */
function observeLongTasks(): void {
  const seen = { tasks: [] as number[], frames: [] as number[] };
  (window as unknown as { seen: typeof seen }).seen = seen;
  new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.tasks.push(e.duration))).observe({
    type: 'longtask',
    buffered: true,
  });
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
    new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.frames.push(e.duration))).observe({
      type: 'long-animation-frame',
      buffered: true,
    });
}

async function tracedLoad(context: BrowserContext, url: string, name: string): Promise<void> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  const loadBefore = loadavg()[0];
  await page.goto(url);
  await waitForState(page, 'ready');
  const ready = await page.evaluate(() => performance.now());
  await page.click('[data-testid=catalogue-item]:not(.skipped)');
  await waitForResults(page, Math.min(10, await metric(page, 'n')));
  const firstResult = await page.evaluate(() => performance.now());
  const observed = await page.evaluate(() => {
    const { tasks, frames } = (window as unknown as { seen: { tasks: number[]; frames: number[] } }).seen;
    return { task: Math.max(0, ...tasks), frame: Math.max(0, ...frames) };
  });
  const source = await page.getAttribute('[data-metric=build-ms]', 'data-source');
  const buildMs = await metric(page, 'build-ms');
  await cdp.send('Tracing.end');
  await complete;
  await page.close();
  if (values.trace) writeFileSync(`${values.trace}-${name}.json`, JSON.stringify({ traceEvents: events }));

  const tasks = longTasks(events);
  console.log(
    `\n## ${name}: ready ${Math.round(ready)} ms, first result ${Math.round(firstResult)} ms, index ${source} in ${Math.round(buildMs)} ms; ` +
      `load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} on 2 cores`,
  );
  console.log(
    `navigation → first result, PerformanceObserver: longest 'longtask' ${Math.round(observed.task)} ms, ` +
      `longest 'long-animation-frame' ${Math.round(observed.frame)} ms`,
  );
  console.log(`tasks over 50 ms in the trace: ${tasks.length}`);
  for (const task of tasks) {
    const cpu = task.cpuMs === null ? '' : `, on a CPU for ${task.cpuMs} ms of it`;
    console.log(`\n- ${task.durationMs} ms at ${task.startMs} ms${cpu}`);
    console.log(`  events:    ${task.events.map((e) => `${e.name} ${e.ms}`).join('; ')}`);
    console.log(`  functions: ${task.functions.map((f) => `${f.name} ${f.ms}`).join('; ')}`);
  }
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'vsl-trace-'));
  const app = await serveBuiltApp(PUBLIC_DIR, outDir, { minify: !values['no-minify'] });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(observeLongTasks);
    const url = `${app.url}${values.query ? `?${values.query}` : ''}`;
    await tracedLoad(context, url, 'cold');
    if (values.warm) {
      // The cold page saved the index before it closed only if it got that far; the app says which it read.
      await tracedLoad(context, url, 'warm');
    }
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
