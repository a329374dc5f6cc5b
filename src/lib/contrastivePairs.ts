import type { ClickEvent } from './clickLog';
import { ipsWeight, isTrainingPair } from './clickLog';
import { rowsByLabel, seededShuffle } from './trainingSplit';

/**
 * Positive pairs for contrastive training, as the book lists their sources. A pair is two rows
 * of the catalogue's vectors that should land close: the anchor and its positive. `group` says
 * which pairs share a positive relation (the label, the clicked query): another pair of the same
 * group in a batch is not used as a negative, since it is not one.
 */
export interface PositivePair {
  anchor: number;
  positive: number;
  group: number;
  /** Weight of this pair in the loss (inverse propensity for clicks; 1 otherwise). */
  weight: number;
}

export const POSITIVE_SOURCES = ['labels', 'augment', 'clicks'] as const;
export type PositiveSource = (typeof POSITIVE_SOURCES)[number];

/**
 * `labels` (supervised contrastive): every row of `rows` is the anchor of one pair per epoch,
 * its positive another row of the same label drawn at random. Rows whose label has no other row
 * in `rows` have no pair. Shuffled, so batches mix classes.
 */
export function labelPairs(rows: readonly number[], labels: readonly string[], random: () => number): PositivePair[] {
  const byLabel = rowsByLabel(rows.map((row) => labels[row]));
  const groupOf = new Map([...byLabel.keys()].map((label, i) => [label, i]));
  const pairs: PositivePair[] = [];
  for (const [label, positions] of byLabel) {
    if (positions.length < 2) continue;
    for (const position of positions) {
      let other = position;
      while (other === position) other = positions[Math.floor(random() * positions.length)];
      pairs.push({ anchor: rows[position], positive: rows[other], group: groupOf.get(label)!, weight: 1 });
    }
  }
  return seededShuffle(pairs, random);
}

/**
 * `clicks`: one pair per logged click (query image, clicked result) of a catalogue query whose
 * query and result are both among `rows` (so test images stay out of training). With `ips`,
 * each pair weighs 1 / propensity (clipped), correcting the position bias of where users look.
 */
export function clickPairs(
  events: readonly ClickEvent[],
  rowOfId: ReadonlyMap<number, number>,
  rows: readonly number[],
  ips: boolean,
  random: () => number,
): PositivePair[] {
  const allowed = new Set(rows);
  const pairs: PositivePair[] = [];
  for (const event of events) {
    if (!isTrainingPair(event)) continue;
    const anchor = rowOfId.get(event.queryId);
    const positive = rowOfId.get(event.resultId);
    if (anchor === undefined || positive === undefined || !allowed.has(anchor) || !allowed.has(positive)) continue;
    pairs.push({ anchor, positive, group: anchor, weight: ips ? ipsWeight(event) : 1 });
  }
  return seededShuffle(pairs, random);
}

/** Consecutive batches of `size` pairs; the last, shorter one is kept when it holds at least two pairs. */
export function batches<T>(pairs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let from = 0; from < pairs.length; from += size) {
    const batch = pairs.slice(from, from + size);
    if (batch.length >= 2) out.push(batch);
  }
  return out;
}
