import { formatCrop, parseCrop, type Rect } from './crop';
import { KNOBS } from './knobs';
import { DEFAULT_RERANK, parseRerankSettings, writeRerankSettings, type RerankSettings } from './rerankRules';
import type { Backend } from './types';

/** The tabs of the page. */
export const VIEWS = ['search', 'pipeline', 'sweep', 'scale', 'evaluation', 'models', 'storage'] as const;
export type View = (typeof VIEWS)[number];

/** Everything the URL can set. Names follow the testing contract and the HNSW paper. */
export interface AppParams extends RerankSettings {
  catalogue: string | null;
  model: string | null;
  /** Index only the first n images of the catalogue. */
  limit: number | null;
  k: number;
  /** HNSW: maximum number of links per node. */
  M: number;
  /** HNSW: size of the candidate list while building (efConstruction). */
  efc: number;
  /** HNSW: size of the candidate list while searching (efSearch). */
  ef: number;
  backend: Backend | null;
  workers: number | null;
  /** The open tab, so a prepared demo can be a link. */
  view: View;
  /** Fault injection: an embedding worker dies on this batch, to show (and test) recovery. */
  crash: number | null;
  /** Presenter mode: large type. */
  present: boolean;
  /** Fault injection: the first embedding worker loses its WebGL context before this batch. */
  loseContext: number | null;
  /** The query: a catalogue id (an image the user gave cannot be shared in a URL). */
  q: number | null;
  /** The query's crop, `x,y,w,h` in the image's natural pixels; only with q. */
  crop: Rect | null;
}

export const DEFAULT_PARAMS: AppParams = {
  catalogue: null,
  model: null,
  limit: null,
  k: 10,
  M: 16,
  efc: 200,
  ef: 64,
  backend: null,
  workers: null,
  view: 'search',
  crash: null,
  present: false,
  ...DEFAULT_RERANK,
  loseContext: null,
  q: null,
  crop: null,
};

/** Written by their own functions: lists and switches. */
const SPECIAL_KEYS = new Set<keyof AppParams>([
  'present',
  ...(Object.keys(DEFAULT_RERANK) as (keyof RerankSettings)[]),
]);

const BACKENDS: readonly Backend[] = ['wasm', 'webgl', 'cpu'];

function intIn(raw: string | null, min: number, max: number): number | null {
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value)) return null;
  return Math.min(max, Math.max(min, value));
}

export function parseParams(search: string): AppParams {
  const q = new URLSearchParams(search);
  const backend = q.get('backend');
  const rawQuery = q.get('q')?.trim() ?? '';
  const query = /^\d{1,9}$/.test(rawQuery) ? Number(rawQuery) : null;
  return {
    catalogue: q.get('catalogue') || null,
    model: q.get('model') || null,
    limit: intIn(q.get('limit'), 1, 10_000_000),
    k: intIn(q.get('k'), KNOBS.k.min, KNOBS.k.max) ?? DEFAULT_PARAMS.k,
    M: intIn(q.get('M'), KNOBS.M.min, KNOBS.M.max) ?? DEFAULT_PARAMS.M,
    efc: intIn(q.get('efc'), KNOBS.efc.min, KNOBS.efc.max) ?? DEFAULT_PARAMS.efc,
    ef: intIn(q.get('ef'), KNOBS.ef.min, KNOBS.ef.max) ?? DEFAULT_PARAMS.ef,
    backend: BACKENDS.includes(backend as Backend) ? (backend as Backend) : null,
    workers: intIn(q.get('workers'), 1, 16),
    view: VIEWS.includes(q.get('view') as View) ? (q.get('view') as View) : DEFAULT_PARAMS.view,
    crash: intIn(q.get('crash'), 1, 1_000_000),
    present: q.get('present') === '1',
    ...parseRerankSettings(q),
    loseContext: intIn(q.get('loseContext'), 1, 1_000_000),
    q: query,
    crop: query === null ? null : parseCrop(q.get('crop')),
  };
}

/** The query string for the given state; parameters at their defaults are left out. */
export function formatParams(params: AppParams): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_PARAMS) as (keyof AppParams)[]) {
    const value = params[key];
    if (SPECIAL_KEYS.has(key) || value === null || value === DEFAULT_PARAMS[key]) continue;
    if (key === 'crop' && params.q === null) continue;
    q.set(key, key === 'crop' ? formatCrop(value as Rect) : String(value));
  }
  if (params.present) q.set('present', '1');
  writeRerankSettings(params, q);
  // Commas are legal in a query string: `crop=10,20,100,80` reads better than its escapes.
  const text = q.toString().replace(/%2C/gi, ',');
  return text ? `?${text}` : '';
}
