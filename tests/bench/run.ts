/**
 * Figures for docs/performance.md, measured in one run so that peers give ratios: the built app
 * through its testing contract, the probe page (tests/bench/page) for the workers' parts on their
 * own, and Node for the native hnswlib peer.
 *
 *   npm run bench                  # the default catalogue, every backend, N = 10k and 100k (about 25 min)
 *   npm run bench -- --quick       # tiny sizes: checks the bench itself runs (a few minutes)
 *   npm run bench -- --out PATH    # PATH.json and PATH.md (folders created); a bare name goes in tests/bench/results/
 *   npm run bench -- --force       # measure even when the load average is above the core count (also BENCH_FORCE=1)
 * and then the quantization section (tests/bench/quantization.ts), which writes <date>-quantization.json and .md.
 *
 * Writes tests/bench/results/<date>.json and .md (quick runs: <date>-quick, not committed). While it
 * runs, <stem>.partial.json and .md hold every stage finished so far; they are removed at the end,
 * and kept if the run dies.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOGUE, PUBLIC_DIR } from '../../datasets/setup';
import type { ModelIndex } from '../../src/lib/types';
import { serveBuiltApp } from '../e2e/server';
import { partialFiles, reportStem, writePartialReport, writeReport } from './output';
import { loadGate } from './loadGate';
import { serveProbePage } from './probePage';
import { markdown } from './report';
import { runBench } from './suite';
import { quantizationBench } from './quantization';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const gate = loadGate({
    loadAverage: loadavg()[0],
    cores: availableParallelism(),
    flag: values.force,
    env: process.env.BENCH_FORCE,
  });
  console.log(gate.message);
  if (!gate.proceed) process.exit(2);
  const stem = reportStem(values.out, {
    resultsDir: join(root, 'tests', 'bench', 'results'),
    cwd: process.cwd(),
    date: new Date().toISOString(),
    quick: values.quick,
  });
  const shown = (path: string) => relative(process.cwd(), path) || path;
  const assets = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
  // Set up as `npm start` does, the default catalogue's precomputed bundle included (made once,
  // later runs reuse it), so "as shipped" is what a user gets. In its own process: the bench's
  // Node peers stub worker globals that the image decoders of setup would then trip over.
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'datasets', 'setup.ts'), '--assets', assets],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const models = JSON.parse(readFileSync(join(PUBLIC_DIR, 'models', 'index.json'), 'utf8')) as ModelIndex;
  if (!models.default) throw new Error(`no model set up from ${assets}`);
  const app = await serveBuiltApp(PUBLIC_DIR, join(root, 'dist'));
  const probe = await serveProbePage(PUBLIC_DIR, join(root, 'dist-bench'));
  let report;
  try {
    report = await runBench({
      quick: values.quick,
      appUrl: app.url,
      probeUrl: probe.url,
      publicDir: PUBLIC_DIR,
      catalogue: DEFAULT_CATALOGUE,
      start: { catalogue: DEFAULT_CATALOGUE, model: models.default },
      cores: availableParallelism(),
      forcedBy: gate.forcedBy,
      onStage: (partial) => writePartialReport(partial, stem),
    });
  } catch (error) {
    const partial = partialFiles(stem);
    console.error(`The run stopped; what it measured is in ${shown(partial.json)} and ${shown(partial.md)}.`);
    throw error;
  } finally {
    await probe.close();
    await app.close();
  }
  const files = writeReport(report, stem);
  console.log(markdown(report, `${stem.split(/[\\/]/).pop()}.md`));
  console.log(`wrote ${shown(files.json)} and ${shown(files.md)}`);
  // Vector quantization (issue 14): in Node, on the search and scale workers' own code; its own report files.
  await quantizationBench(values.quick);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
