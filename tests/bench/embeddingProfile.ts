/**
 * Embedding speed, investigated (issue 15, item 6): MobileNet on tfjs-backend-wasm in a Chromium worker,
 * profiled per kernel (`tf.profile`), and what the profile points to tried side by side in one run —
 * batch size, a fused preprocessing, the single-threaded SIMD binary, two WASM threads. Every attempt is
 * a ratio to a query's path in the app (batch 1, threaded binary, tfjs' thread count) measured in the
 * same rounds, with the load average beside it. Not part of `npm run bench`, not a test:
 *
 *   npx tsx tests/bench/embeddingProfile.ts [--rounds 2] [--runs 5] [--model ID]
 *
 * Prints a Markdown table for docs/performance.md. Needs the app's public/ folder set up (`npm start` does).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PUBLIC_DIR } from '../../datasets/setup';
import { DEFAULT_CATALOGUE, imageUrl } from '../../src/lib/catalogue';
import type { CatalogueManifest, ModelIndex } from '../../src/lib/types';
import { launchChromium } from '../e2e/browser';
import { figure } from './figures';
import { runProbe, serveProbePage } from './probePage';
import type { EmbeddingProfileFigures, EmbeddingProfileProbe, EmbeddingVariant } from './page/protocol';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    runs: { type: 'string', default: '5' },
    model: { type: 'string' },
  },
});

interface Config {
  label: string;
  probe: Pick<EmbeddingProfileProbe, 'threads' | 'threadCount' | 'variants' | 'profile'>;
}

const APP_VARIANTS: EmbeddingVariant[] = ['batch1', 'batch4', 'batch8', 'fused1', 'fused8'];
const CONFIGS: Config[] = [
  { label: 'threaded SIMD binary, tfjs threads', probe: { threads: true, variants: APP_VARIANTS, profile: true } },
  { label: 'single-threaded SIMD binary', probe: { threads: false, variants: ['batch1'], profile: false } },
  {
    label: 'threaded SIMD binary, setThreadsCount(2)',
    probe: { threads: true, threadCount: 2, variants: ['batch1'], profile: false },
  },
];

const VARIANT_LABEL: Record<EmbeddingVariant, string> = {
  batch1: 'batch 1 (a query, as the app embeds it)',
  batch4: 'batch 4',
  batch8: 'batch 8 (the catalogue, as the app embeds it)',
  fused1: 'fused preprocessing, batch 1',
  fused8: 'fused preprocessing, batch 8',
};

const median = (xs: number[]) => figure(xs).median;
const f1 = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  const models = JSON.parse(readFileSync(join(PUBLIC_DIR, 'models', 'index.json'), 'utf8')) as ModelIndex;
  const model = models.models.find((m) => m.id === (values.model ?? models.default));
  if (!model) throw new Error(`no model ${values.model ?? models.default} in public/models (run npm start first)`);
  const manifest = JSON.parse(
    readFileSync(join(PUBLIC_DIR, 'catalogues', DEFAULT_CATALOGUE, 'manifest.json'), 'utf8'),
  ) as CatalogueManifest;
  const probePage = await serveProbePage(PUBLIC_DIR, join(root, 'dist-bench'));
  const browser = await launchChromium();
  const loads: number[] = [loadavg()[0]];
  // results[config][round]
  const results: EmbeddingProfileFigures[][] = CONFIGS.map(() => []);
  try {
    const page = await browser.newPage();
    await page.goto(probePage.url);
    await page.waitForSelector('body[data-ready=true]');
    const imageUrls = manifest.items
      .slice(0, 8)
      .map((item) => new URL(imageUrl(DEFAULT_CATALOGUE, item), probePage.url).href);
    const base = {
      model,
      modelUrl: `${probePage.url}models/${model.id}/model.json`,
      imageUrls,
      runs: Number(values.runs),
    };
    for (let round = 0; round < Number(values.rounds); round++)
      for (const [c, config] of CONFIGS.entries()) {
        console.error(`round ${round + 1}: ${config.label} (load ${f1(loadavg()[0])})`);
        results[c].push(await runProbe(page, 'embeddingProfile', { ...base, ...config.probe }));
        loads.push(loadavg()[0]);
      }
  } finally {
    await browser.close();
    await probePage.close();
  }
  console.log(report(model.id, results, loads));
}

function report(modelId: string, results: EmbeddingProfileFigures[][], loads: number[]): string {
  const rounds = results[0].length;
  // Per round: each attempt's median ÷ the app path's median in that round; then the median over rounds.
  const baseline = results[0].map((r) => median(r.msPerImage.batch1!));
  const rows: string[] = [];
  for (const [c, config] of CONFIGS.entries())
    for (const v of config.probe.variants) {
      const perRound = results[c].map((r) => median(r.msPerImage[v]!));
      const ratios = perRound.map((ms, round) => ms / baseline[round]);
      const threads = results[c][0].threadCount;
      rows.push(
        `| ${VARIANT_LABEL[v]}; ${config.label} (${threads} thread${threads > 1 ? 's' : ''}) | ${perRound.map(f1).join(' / ')} | ${ratios.map((r) => r.toFixed(2)).join(' / ')} |`,
      );
    }
  const first = results[0][0];
  const top = (first.kernels ?? []).slice(0, 8);
  const share = (ms: number) => `${((100 * ms) / (first.kernelMs ?? 1)).toFixed(0)} %`;
  const top5 = top.slice(0, 5).reduce((sum, k) => sum + k.ms, 0);
  const diffs = results[0].map((r) => r.fusedMaxAbsDiff ?? NaN);
  return [
    `${modelId}, ${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores, 1-minute load average ${loads.map(f1).join(' → ')} (start, after each worker).`,
    `Each worker: ${values.runs} timed rounds of its variants in turn after one untimed run of each; ms/image is the median of a worker's rounds; ${rounds} rounds of the three workers.`,
    '',
    `| attempt | model ms/image per round | ÷ batch 1 on tfjs' threads, same round |`,
    '| --- | ---: | ---: |',
    ...rows,
    '',
    `Fused preprocessing's vectors against the app's: largest |difference| ${diffs.map((d) => d.toExponential(1)).join(' / ')}.`,
    '',
    `tf.profile of one batch-1 embedding (first round): ${f1(first.kernelMs ?? NaN)} ms in kernels, ${f1(first.profileWallMs ?? NaN)} ms wall; the top 5 kernels ${share(top5)} of kernel time.`,
    '',
    '| kernel | calls | ms | share |',
    '| --- | ---: | ---: | ---: |',
    ...top.map((k) => `| ${k.name} | ${k.count} | ${k.ms.toFixed(2)} | ${share(k.ms)} |`),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
