import type { ExclusionReason, RerankRules } from './rerank';
import type { CatalogueItem } from './types';

/** The re-ranking knobs the user sets; all are kept in the URL. */
export interface RerankSettings {
  /** Re-ranking on or off as a whole; the other settings are kept while it is off. */
  rerank: boolean;
  /** Near-duplicate cosine threshold, or null for no removal. */
  dedup: number | null;
  /** MMR λ, or null for no diversity step. */
  mmr: number | null;
  /** Labels whose images are hidden. */
  hide: string[];
  /** Catalogue ids marked private, and flagged: never shown. */
  private: number[];
  flagged: number[];
}

export const DEFAULT_RERANK: RerankSettings = {
  rerank: true,
  dedup: null,
  mmr: null,
  hide: [],
  private: [],
  flagged: [],
};

/** Values a switched-on knob starts from. */
export const DEFAULT_DEDUP_THRESHOLD = 0.95;
export const DEFAULT_MMR_LAMBDA = 0.5;

/**
 * The rules the search worker applies, or null when re-ranking is off. An image that is
 * both private and flagged is reported as private; a business rule wins over a hidden label.
 */
export function rerankRules(settings: RerankSettings, items: readonly CatalogueItem[]): RerankRules | null {
  if (!settings.rerank) return null;
  const excluded = new Map<number, ExclusionReason>();
  if (settings.hide.length > 0) {
    const hidden = new Set(settings.hide);
    for (const item of items) if (hidden.has(item.label)) excluded.set(item.id, 'hidden-label');
  }
  for (const id of settings.flagged) excluded.set(id, 'flagged');
  for (const id of settings.private) excluded.set(id, 'private');
  return { excluded, dedupThreshold: settings.dedup, mmrLambda: settings.mmr };
}

/** `list` with `value` added, or removed when it was there. */
export function toggled<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function unitInterval(raw: string | null): number | null {
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  return Math.min(1, Math.max(0, value));
}

function ids(raw: string | null): number[] {
  if (!raw) return [];
  const parsed = raw
    .split(',')
    .map(Number)
    .filter((id) => Number.isInteger(id) && id >= 0);
  return [...new Set(parsed)];
}

/** URL: `rerank=0`, `dedup=<cosine>`, `mmr=<λ>`, `hide=<label>` (repeated), `private=<id,id>`, `flagged=<id,id>`. */
export function parseRerankSettings(q: URLSearchParams): RerankSettings {
  return {
    rerank: q.get('rerank') !== '0',
    dedup: unitInterval(q.get('dedup')),
    mmr: unitInterval(q.get('mmr')),
    hide: [...new Set(q.getAll('hide').filter((label) => label !== ''))],
    private: ids(q.get('private')),
    flagged: ids(q.get('flagged')),
  };
}

export function writeRerankSettings(settings: RerankSettings, q: URLSearchParams): void {
  if (!settings.rerank) q.set('rerank', '0');
  if (settings.dedup !== null) q.set('dedup', String(settings.dedup));
  if (settings.mmr !== null) q.set('mmr', String(settings.mmr));
  for (const label of settings.hide) q.append('hide', label);
  if (settings.private.length > 0) q.set('private', settings.private.join(','));
  if (settings.flagged.length > 0) q.set('flagged', settings.flagged.join(','));
}
