/**
 * Training CLI: trains a projection head on a catalogue's precomputed vectors in Node, exactly
 * as the Training tab does in its worker, prints the test split's metrics before and after, and
 * writes the head beside the bundle.
 *
 *   npm run train -- <catalogue folder> [--model ID] [--positives labels|augment|clicks]
 *                    [--split stratified|class-disjoint] [--test-fraction 0.5] [--epochs 20] [--temperature 0.1]
 *                    [--dim 128] [--layers 1|2] [--learning-rate 0.001] [--batch-size 128] [--seed 1] [--k 10]
 *                    [--clicks FILE.json | --simulate-clicks SESSIONS] [--ips] [--assets DIR] [--out FILE]
 *
 * <catalogue folder>  a folder with manifest.json and embeddings/<model>.vsle (public/catalogues/<id>)
 * --model             the bundle's model (default: the only or first bundle in embeddings/)
 * --clicks            a JSON array of click events (src/lib/clickLog.ts) for --positives clicks
 * --simulate-clicks   instead: that many sessions of simulated users (datasets/simulatedClicks.ts: the Online
 *                     tab's click model on the exact top k, relevance = same label), said so in the output
 * --assets            for augment: folder with models/<id>/ (env VSL_ASSETS; default ../shared beside the project);
 *                     the views are embedded from <catalogue folder>/images and cached in
 *                     node_modules/.cache/visual-search-lab/views/ (outside public/, so never shipped)
 * --out               default <catalogue folder>/embeddings/<model>.head.json
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeEmbeddingBundle } from '../src/lib/embeddingBundle';
import { errorMessage } from '../src/lib/errors';
import type { ClickEvent } from '../src/lib/clickLog';
import { encodeHead, type HeadSettings } from '../src/lib/projectionHead';
import { splitRows, type SplitMode } from '../src/lib/trainingSplit';
import type { CatalogueItem, CatalogueManifest } from '../src/lib/types';
import { JobControl } from '../src/bridge/jobControl';
import { DEFAULT_HEAD_SETTINGS, type TrainingData } from '../src/features/train/shared/training';
import { runTraining } from '../src/features/train/worker/runTraining';
import { pickModel } from './embed';
import { startWasmBackend } from './nodeModel';
import { simulateClicks } from './simulatedClicks';
import { embedViewsInNode } from './trainViews';

export const headFileName = (modelId: string): string => `${modelId}.head.json`;

/** The catalogue's rows as the app indexes them: manifest items with a vector in the bundle, in manifest order. */
export async function loadTrainingData(
  folder: string,
  modelId?: string,
  clicks: ClickEvent[] = [],
): Promise<TrainingData & { items: CatalogueItem[] }> {
  const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as CatalogueManifest;
  const bundles = (await readdir(join(folder, 'embeddings'))).filter((f) => f.endsWith('.vsle')).sort();
  const file = modelId ? `${modelId}.vsle` : bundles[0];
  if (!file || !bundles.includes(file)) throw new Error(`no bundle ${file ?? ''} in ${join(folder, 'embeddings')}`);
  const bundle = decodeEmbeddingBundle(await readFile(join(folder, 'embeddings', file)));
  const rowOfHash = new Map(bundle.hashes.map((hash, row) => [hash, row]));
  const items = manifest.items.filter((item) => rowOfHash.has(item.hash));
  const vectors = new Float32Array(items.length * bundle.dim);
  items.forEach((item, i) => {
    const row = rowOfHash.get(item.hash)!;
    vectors.set(bundle.vectors.subarray(row * bundle.dim, (row + 1) * bundle.dim), i * bundle.dim);
  });
  return {
    vectors,
    dim: bundle.dim,
    ids: items.map((item) => item.id),
    labels: items.map((item) => item.label),
    clicks: clicks.filter((c) => c.catalogue === manifest.id),
    // For augment, main() embeds the training split's views (datasets/trainViews.ts).
    views: null,
    modelId: bundle.modelId,
    preprocessing: bundle.preprocessing,
    catalogueId: manifest.id,
    items,
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      positives: { type: 'string', default: DEFAULT_HEAD_SETTINGS.positives },
      split: { type: 'string', default: DEFAULT_HEAD_SETTINGS.split },
      'test-fraction': { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.testFraction) },
      epochs: { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.epochs) },
      temperature: { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.temperature) },
      dim: { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.dim) },
      layers: { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.layers) },
      'learning-rate': { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.learningRate) },
      'batch-size': { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.batchSize) },
      seed: { type: 'string', default: String(DEFAULT_HEAD_SETTINGS.seed) },
      k: { type: 'string', default: '10' },
      clicks: { type: 'string' },
      'simulate-clicks': { type: 'string' },
      ips: { type: 'boolean', default: false },
      assets: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error('usage: npm run train -- <catalogue folder> [options]');
  const folder = resolve(positionals[0]);
  const clicks = values.clicks ? (JSON.parse(await readFile(values.clicks, 'utf8')) as ClickEvent[]) : [];
  const data = await loadTrainingData(folder, values.model, clicks);
  if (values['simulate-clicks']) {
    data.clicks = simulateClicks(data, Number(values['simulate-clicks']), Number(values.seed), Number(values.k));
    console.error(
      `train: ${data.clicks.length} simulated clicks (source sim) from ${values['simulate-clicks']} sessions`,
    );
  }
  const settings: HeadSettings = {
    positives: values.positives,
    split: values.split,
    testFraction: Number(values['test-fraction']),
    epochs: Number(values.epochs),
    temperature: Number(values.temperature),
    dim: Number(values.dim),
    layers: Number(values.layers),
    learningRate: Number(values['learning-rate']),
    batchSize: Number(values['batch-size']),
    seed: Number(values.seed),
    ips: values.ips,
  };
  const backend = await startWasmBackend();
  console.error(`train: ${data.ids.length} images × ${data.dim} (${data.modelId}) on ${backend.backend}`);
  if (settings.positives === 'augment') {
    // The same seeded split the worker makes: views of the training split's images only, as the Training tab.
    const { train } = splitRows(data.labels, {
      testFraction: settings.testFraction,
      mode: settings.split as SplitMode,
      seed: settings.seed,
    });
    const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    const assetsDir = resolve(values.assets ?? process.env.VSL_ASSETS ?? join(projectRoot, '..', 'shared'));
    const embedded = await embedViewsInNode(
      join(folder, 'images'),
      train.map((row) => data.items[row]),
      await pickModel(assetsDir, data.modelId),
      settings.seed,
      join(
        projectRoot,
        'node_modules',
        '.cache',
        'visual-search-lab',
        'views',
        `${data.catalogueId}.${data.modelId}.vsle`,
      ),
      (done, total) => process.stderr.write(`\r  augmented views ${done} / ${total}`),
    );
    console.error(
      `\n  views: ${embedded.embedded} embedded in ${embedded.seconds.toFixed(1)} s, ${embedded.cached} from the cache`,
    );
    data.views = embedded.views;
  }
  const outcome = await runTraining(
    data,
    settings,
    Number(values.k),
    new JobControl(),
    (e) =>
      console.error(
        `  epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, test loss ${e.testLoss?.toFixed(4) ?? '—'}`,
      ),
    (stage) => console.error(`  ${stage}`),
  );
  const out = values.out ?? join(folder, 'embeddings', headFileName(data.modelId));
  await writeFile(out, encodeHead(outcome.head));
  const k = outcome.k;
  const line = (name: string, key: 'map' | 'ndcg' | 'precision' | 'mrr' | 'labelRecall') =>
    `${name.padEnd(14)} ${outcome.before.overall[key].toFixed(4)} → ${outcome.after.overall[key].toFixed(4)}` +
    (outcome.unweighted ? `   (without IPS ${outcome.unweighted.after.overall[key].toFixed(4)})` : '');
  console.log(
    [
      `${settings.positives}, ${settings.split}, test fraction ${settings.testFraction}: trained on ${outcome.trainImages} images ` +
        `(${outcome.pairs} pairs/epoch), measured on the other ${outcome.testImages}, in ${outcome.trainSeconds.toFixed(1)} s`,
      line(`mAP@${k}`, 'map'),
      line(`nDCG@${k}`, 'ndcg'),
      line(`P@${k}`, 'precision'),
      line(`MRR`, 'mrr'),
      line(`recall@${k}`, 'labelRecall'),
      `head → ${out}`,
    ].join('\n'),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`train: ${errorMessage(error)}`);
    process.exit(1);
  });
}
