import type { ExclusionReason, RerankRules } from './rerank';
import type { AppParams } from './params';
import { matchingClasses, taggedWith, type ImageTag } from './tags';
import type { CatalogueItem } from './types';

/** The re-ranking knobs the user sets; all are kept in the URL (declared in params.ts). */
export type RerankSettings = Pick<AppParams, 'rerank' | 'dedup' | 'mmr' | 'hide' | 'private' | 'flagged' | 'tagged'>;

/** Values a switched-on knob starts from. */
export const DEFAULT_DEDUP_THRESHOLD = 0.95;
export const DEFAULT_MMR_LAMBDA = 0.5;

/**
 * The rules the search worker applies, or null when re-ranking is off. An image that is
 * both private and flagged is reported as private; a business rule wins over a hidden label, and a
 * hidden label over a missing tag. "Only results tagged …" (`tagged`) needs the images' tags
 * (`tagsOf`); without them it does not apply.
 */
export function rerankRules(
  settings: RerankSettings,
  items: readonly CatalogueItem[],
  tagsOf?: (id: number) => readonly ImageTag[] | undefined,
): RerankRules | null {
  if (!settings.rerank) return null;
  const excluded = new Map<number, ExclusionReason>();
  if (settings.tagged && tagsOf) {
    const classes = matchingClasses(settings.tagged);
    for (const item of items) if (!taggedWith(tagsOf(item.id), classes)) excluded.set(item.id, 'untagged');
  }
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
