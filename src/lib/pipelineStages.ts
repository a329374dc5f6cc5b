import type { RerankOutcome } from './rerank';
import type { IndexSource } from './shippedIndex';

/** The boxes of the pipeline view, as the case study draws them. */
export type StageName =
  'preprocess' | 'embed' | 'ann' | 'exact' | 'rerank' | 'results' | 'store' | 'indexing' | 'index' | 'detect';

export interface Stage {
  name: StageName;
  title: string;
  /** Measured milliseconds for the current query (or catalogue, for the indexing stages); null before there is one. */
  ms: number | null;
  /** What this stage hands to the next one. */
  output: string | null;
  /** Shown under the figures when the number needs a word (a skipped stage). */
  note: string | null;
  explain: string;
}

export const EXPLANATIONS: Record<StageName, string> = {
  preprocess:
    'The query image is decoded, cropped to its largest centred square and resized to 224×224 RGB pixels, the input the model was trained on. Transparent pixels are put on white; huge images are refused before decoding.',
  embed:
    'MobileNet, a convolutional network trained on ImageNet, turns the pixels into one vector: its pooled penultimate layer, L2-normalised. Similar-looking images get vectors with a high cosine similarity.',
  ann: 'The nearest-neighbour service: an HNSW graph (hnswlib) walks from a coarse layer down to the closest vectors, visiting a few hundred instead of all N. It is approximate: efSearch trades recall for time.',
  exact:
    'The exact scan compares the query with every vector (O(N·d)). It is the ground truth the approximate index is measured against, and it gets re-ranked the same way so the columns stay comparable.',
  rerank:
    'The re-ranking service applies business rules (private, flagged, hidden labels), removes near-duplicates of results already kept, and can trade similarity for variety (MMR). It works on 3k candidates so removals do not leave fewer than k.',
  results:
    'The top k after re-ranking, best first, as the user sees them; the score is still the cosine similarity to the query.',
  store:
    'The image store holds the catalogue: files listed in a manifest with their label, size and content hash. Byte-identical files are embedded once.',
  indexing:
    'The indexing service embeds every catalogue image in a pool of workers, with the same preprocessing and model as the query path, so catalogue and query vectors are comparable.',
  index:
    'The vectors go into the HNSW graph (M links per node, efConstruction candidates while inserting) and into the exact store. Building is the slow, offline part; queries then take milliseconds.',
  detect:
    'Smart crop by object detection (detect, then search): a CenterNet detector (MobileNetV3, COCO 80 classes) finds the objects in the query image. Each box can become the query, as a hand-drawn crop does, so a busy photo searches for the object, not the background. It runs beside the search, not in front of it: the whole image is searched at once.',
};

export interface PredictionInput {
  /** The query: null before the first; ms fields null while it is being embedded. */
  query: { fromCatalogue: boolean; preprocessMs: number | null; modelMs: number | null } | null;
  dim: number;
  efSearch: number;
  reranked: {
    fetched: number;
    exactCandidatesMs: number;
    hnswCandidatesMs: number;
    exact: RerankOutcome;
    hnsw: RerankOutcome;
  } | null;
}

const ALREADY_EMBEDDED = 'catalogue image: embedded at indexing time';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the re-ranker took out, step by step, e.g. "−2 filters · −1 near-duplicate · MMR". */
export function rerankSummary(outcome: RerankOutcome, mmr: boolean): string {
  const parts = [`${outcome.candidates} in`];
  const filtered = outcome.candidates - outcome.afterFilters;
  const duplicates = outcome.removed.filter((r) => r.reason === 'near-duplicate').length;
  if (filtered > 0) parts.push(`−${filtered} by rules`);
  if (duplicates > 0) parts.push(`−${count(duplicates, 'near-duplicate')}`);
  if (mmr) parts.push('MMR');
  parts.push(`${outcome.kept.length} out`);
  return parts.join(' · ');
}

export function predictionStages({ query, dim, efSearch, reranked }: PredictionInput, mmr: boolean): Stage[] {
  const catalogueQuery = query?.fromCatalogue ?? false;
  const stage = (
    name: StageName,
    title: string,
    ms: number | null,
    output: string | null,
    note: string | null = null,
  ): Stage => ({
    name,
    title,
    ms,
    output,
    note,
    explain: EXPLANATIONS[name],
  });
  return [
    stage(
      'preprocess',
      'Pre\u00adprocessing',
      query?.preprocessMs ?? null,
      query ? '224×224×3 RGB pixels' : null,
      catalogueQuery ? ALREADY_EMBEDDED : null,
    ),
    stage(
      'embed',
      'Embedding model',
      query?.modelMs ?? null,
      query && dim ? `${dim}-d vector` : null,
      catalogueQuery ? ALREADY_EMBEDDED : null,
    ),
    stage(
      'ann',
      'ANN index (HNSW)',
      reranked?.hnswCandidatesMs ?? null,
      reranked ? `${count(reranked.hnsw.candidates, 'candidate')} · efSearch ${efSearch}` : null,
    ),
    stage(
      'exact',
      'Exact scan',
      reranked?.exactCandidatesMs ?? null,
      reranked ? count(reranked.exact.candidates, 'candidate') : null,
    ),
    stage(
      'rerank',
      'Re-ranking',
      reranked?.hnsw.times.totalMs ?? null,
      reranked ? rerankSummary(reranked.hnsw, mmr) : null,
    ),
    stage('results', 'Results', null, reranked ? count(reranked.hnsw.kept.length, 'result') : null),
  ];
}

export interface IndexingInput {
  images: number;
  /** Wall time to embed the catalogue, and the vectors that came out. */
  embedSeconds: number | null;
  embedded: number;
  /** Vectors taken from a precomputed bundle or browser storage instead of the model. */
  reused: number;
  buildMs: number | null;
  /** Where the serving index came from: built here, read back from browser storage, or the catalogue's shipped file. */
  source: IndexSource | null;
  indexed: number | null;
  M: number;
  efConstruction: number;
}

export function indexingStages(input: IndexingInput): Stage[] {
  return [
    {
      name: 'store',
      title: 'Image store',
      ms: null,
      output: count(input.images, 'image'),
      note: null,
      explain: EXPLANATIONS.store,
    },
    {
      name: 'indexing',
      title: 'Indexing service (embed)',
      ms: input.embedSeconds === null ? null : input.embedSeconds * 1000,
      output: input.embedded > 0 ? count(input.embedded, 'vector') : null,
      note:
        input.reused > 0
          ? `${count(input.reused, 'vector')} precomputed or kept by an earlier visit: not embedded again`
          : null,
      explain: EXPLANATIONS.indexing,
    },
    {
      name: 'index',
      title: 'Index (HNSW + exact store)',
      ms: input.buildMs,
      output:
        input.indexed === null
          ? null
          : `${count(input.indexed, 'vector')} searchable · M ${input.M}, efConstruction ${input.efConstruction}`,
      note:
        input.source === 'stored'
          ? 'read back from browser storage, not built'
          : input.source === 'shipped'
            ? 'read from the index shipped with the catalogue (built by setup), not built'
            : null,
      explain: EXPLANATIONS.index,
    },
  ];
}

/** Milliseconds as people read them: 3 significant figures below a second, then seconds. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export interface DetectInput {
  /** The detector's milliseconds on the current query image (decoding excluded); null before it ran. */
  ms: number | null;
  /** Boxes at or above the threshold. */
  boxes: number;
  threshold: number;
  /** Why detection is off, or null. */
  off: string | null;
}

/** The detector's box of the prediction pipeline. */
export function detectStage({ ms, boxes, threshold, off }: DetectInput): Stage {
  return {
    name: 'detect',
    title: 'Object detection',
    ms,
    output: ms === null ? null : `${count(boxes, 'box', 'boxes')} ≥ ${threshold.toFixed(2)}`,
    note: off,
    explain: EXPLANATIONS.detect,
  };
}
