import { formatCrop, parseCrop, type Rect } from './crop';
import type { Backend } from './types';
import {
  idList,
  labelList,
  nameList,
  oneOf,
  optionalWhole,
  switched,
  text,
  unit,
  whole,
  type Param,
  type RangeParam,
} from './paramKinds';

/*
 * Every parameter of the page, declared once: its URL key (the testing contract), the name it
 * is shown by (the HNSW paper's for the index knobs), its default, how it is read from and
 * written to the URL, its range where it has one, and the sentence that explains it. The URL
 * state, the defaults, the Controls panel and the index's parameters all derive from this.
 */

export type { Param, RangeParam };

/** The tabs of the page. */
export const VIEWS = [
  'search',
  'pipeline',
  'training',
  'map',
  'evaluation',
  'sweep',
  'scale',
  'quantization',
  'online',
  'models',
  'storage',
] as const;
export type View = (typeof VIEWS)[number];

export const BACKENDS: readonly Backend[] = ['wasm', 'webgl', 'cpu'];

/**
 * The engines a search can answer with, each a result column (features/search/client/engineColumns.ts).
 * Exact is always searched, shown or not: it is the truth the others' recall is measured against.
 */
export const ENGINES = ['exact', 'hnsw', 'pgvector', 'sq8', 'binary', 'binary-rescore', 'pq'] as const;
export type Engine = (typeof ENGINES)[number];

/** The order here is the order of the URL's keys. */
export const PARAMS = {
  catalogue: text('catalogue', 'Catalogue id (a folder set up by `npm run setup`).'),
  model: text('model', 'Model id (a folder under models/).'),
  limit: optionalWhole('limit', 1, 10_000_000, 'Index only the first n images of the catalogue.'),
  k: whole({
    key: 'k',
    name: 'k',
    min: 1,
    max: 1000,
    default: 10,
    explain: 'How many nearest neighbours each engine returns.',
  }),
  M: whole({
    key: 'M',
    name: 'M',
    min: 2,
    max: 128,
    default: 16,
    explain: 'Links each node keeps per layer: higher gives better recall, more memory and a slower build.',
  }),
  efConstruction: whole({
    key: 'efc',
    name: 'efConstruction',
    min: 1,
    max: 4096,
    default: 200,
    explain: 'Candidates considered while inserting: higher builds a better graph, more slowly.',
  }),
  efSearch: whole({
    key: 'ef',
    name: 'efSearch',
    min: 1,
    max: 4096,
    default: 64,
    explain: 'Candidates HNSW keeps while searching: higher finds more true neighbours, slower.',
  }),
  engines: nameList(
    'engines',
    ENGINES,
    ['exact', 'hnsw'],
    'The engines shown as result columns, side by side (a comma list); exact is searched in any case, as the reference.',
  ),
  backend: oneOf('backend', BACKENDS, null, 'TensorFlow.js backend of the embedding workers (default: the fastest).'),
  workers: optionalWhole('workers', 1, 16, 'Embedding workers (default: one per core).'),
  precomputed: switched(
    'precomputed',
    true,
    'Off (`precomputed=0`): embed in the browser even when the catalogue ships a precomputed bundle (the bundle is not read; browser storage still is).',
  ),
  view: oneOf('view', VIEWS, 'search', 'The open tab, so a prepared demo can be a link.'),
  crash: optionalWhole('crash', 1, 1_000_000, 'Fault injection: an embedding worker dies on this batch.'),
  loseContext: optionalWhole(
    'loseContext',
    1,
    1_000_000,
    'Fault injection: the first embedding worker loses its WebGL context before this batch.',
  ),
  q: {
    key: 'q',
    name: 'q',
    default: null,
    explain: 'The query: a catalogue id (an image the user gave cannot be shared in a URL).',
    parse: (q) => {
      const raw = q.get('q')?.trim() ?? '';
      return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
    },
    write: (value, q) => q.set('q', String(value)),
  } satisfies Param<number | null>,
  crop: {
    key: 'crop',
    name: 'crop',
    default: null,
    explain: "The query's crop, `x,y,w,h` in the image's natural pixels; only with q.",
    parse: (q) => parseCrop(q.get('crop')),
    write: (value, q) => {
      if (value) q.set('crop', formatCrop(value));
    },
  } satisfies Param<Rect | null>,
  present: switched('present', false, 'Presenter mode: large type, and the results get the room.'),
  rerank: switched('rerank', true, 'Re-ranking on or off as a whole; the other settings are kept while it is off.'),
  dedup: unit('dedup', 'Near-duplicate cosine threshold, or absent for no removal.'),
  mmr: unit('mmr', 'MMR λ (1 ranks by similarity only), or absent for no diversity step.'),
  hide: labelList('hide', 'Labels whose images are hidden (the key repeated).'),
  private: idList('private', 'Catalogue ids marked private: never shown.'),
  flagged: idList('flagged', 'Catalogue ids flagged: never shown.'),
  tags: text(
    'tags',
    'Search by words: the tag query over ImageNet and COCO class names; its results replace an image query.',
  ),
  tagged: text('tagged', 'Re-ranking filter: only results with a tag these words name (as in the tag query).'),
  objects: switched(
    'objects',
    false,
    'Object-level index entries: each detected box of every catalogue image is one more vector, linked to its image.',
  ),
};

type ValueOf<P> = P extends Param<infer T> ? T : never;

/** Everything the URL can set, by the names the code uses. */
export type AppParams = { [K in keyof typeof PARAMS]: ValueOf<(typeof PARAMS)[K]> };

const NAMES = Object.keys(PARAMS) as (keyof AppParams)[];

export const DEFAULT_PARAMS = Object.fromEntries(NAMES.map((name) => [name, PARAMS[name].default])) as AppParams;

/** The knobs of the Controls panel, by the form they belong to. */
export const SEARCH_KNOBS = ['k', 'efSearch'] as const satisfies (keyof AppParams)[];
export const INDEX_KNOBS = ['M', 'efConstruction'] as const satisfies (keyof AppParams)[];
export type KnobName = (typeof SEARCH_KNOBS)[number] | (typeof INDEX_KNOBS)[number];

/** The HNSW knobs of the page, as the index takes them. */
export function hnswParams({ M, efConstruction }: AppParams): { M: number; efConstruction: number } {
  return { M, efConstruction };
}

export function parseParams(search: string): AppParams {
  const q = new URLSearchParams(search);
  const params = Object.fromEntries(NAMES.map((name) => [name, PARAMS[name].parse(q)])) as AppParams;
  // A crop belongs to a catalogue query.
  if (params.q === null) params.crop = null;
  return params;
}

/** The query string for the given state; parameters at their defaults are left out. */
export function formatParams(params: AppParams): string {
  const q = new URLSearchParams();
  for (const name of NAMES) {
    const value = params[name];
    if (JSON.stringify(value) === JSON.stringify(DEFAULT_PARAMS[name])) continue;
    if (name === 'crop' && params.q === null) continue;
    (PARAMS[name] as Param<typeof value>).write(value, q);
  }
  // Commas are legal in a query string: `crop=10,20,100,80` reads better than its escapes.
  const text = q.toString().replace(/%2C/gi, ',');
  return text ? `?${text}` : '';
}

/**
 * A whole number within the range; an empty or non-numeric field keeps `fallback`.
 * Also used for the labs' own number fields.
 */
export function clampToRange(
  range: { min: number; max: number },
  value: number | null | undefined,
  fallback: number,
): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(range.max, Math.max(range.min, Math.round(value)));
}

/** A change to some knobs, each a whole number in its range; an empty field keeps the current value. */
export function clampKnobs(
  change: Partial<Record<KnobName, number | null>>,
  current: AppParams,
): Partial<Pick<AppParams, KnobName>> {
  const names = Object.keys(change) as KnobName[];
  return Object.fromEntries(names.map((name) => [name, clampToRange(PARAMS[name], change[name], current[name])]));
}
