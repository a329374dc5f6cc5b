/**
 * Figures for the README's Performance section, measured in one run so that peers give ratios:
 * the built app through its testing contract, the probe page (tests/bench/page) for the
 * workers' parts on their own, and Node for the native hnswlib peer.
 *
 *   npm run bench                 # the default catalogue, every backend, N = 10k and 100k (about 25 min)
 *   npm run bench -- --quick      # tiny sizes: checks the bench itself runs (about a minute)
 *
 * Writes tests/bench/results/<date>.json and .md (quick runs: <date>-quick, not committed).
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOGUE, PUBLIC_DIR, setupCatalogue, setupModels } from '../../datasets/setup';
import { serveBuiltApp } from '../e2e/server';
import { serveProbePage } from './probePage';
import { markdown, writeReport } from './report';
import { runBench } from './suite';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } });

async function main(): Promise<void> {
  const assets = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
  await setupModels(assets, PUBLIC_DIR);
  await setupCatalogue(join(assets, 'datasets', DEFAULT_CATALOGUE), DEFAULT_CATALOGUE, PUBLIC_DIR);
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
      cores: availableParallelism(),
    });
  } finally {
    await probe.close();
    await app.close();
  }
  const stem = values.out ?? new Date().toISOString().slice(0, 10) + (values.quick ? '-quick' : '');
  writeReport(report, join(root, 'tests', 'bench', 'results'), stem);
  console.log(markdown(report));
  console.log(`wrote tests/bench/results/${stem}.json and .md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
