/**
 * The interaction log: one record per click on a result, by a person in the Search tab or by a
 * simulated user of the Online tab. The online metrics read it; the Training tab's `clicks`
 * source turns its (query, clicked result) pairs into positives, weighted by inverse propensity
 * where the click's examination probability is known.
 */
export interface ClickEvent {
  /** The catalogue the click was made on: pairs are read back for that catalogue only. */
  catalogue: string;
  /** `page`: a person clicked in the Search tab; `sim`: a simulated user (said so wherever it is shown). */
  source: 'page' | 'sim';
  /** Catalogue id of the query image; null for an image the user gave, which cannot be a training pair. */
  queryId: number | null;
  /** The ranker whose list was clicked: an engine (`exact`, `hnsw`, …) or an experiment's arm. */
  ranker: string;
  /** 1-based position of the clicked result in the list shown. */
  rank: number;
  resultId: number;
  /** When, in ms since the epoch. */
  time: number;
  /** Time spent on the result after the click, in ms; null when not known. */
  dwellMs: number | null;
  /**
   * Probability that the user examined this rank, under the click model that made the click
   * (position-based model); null when unknown. Inverse propensity weighting divides by it.
   */
  propensity: number | null;
}

/** A click that names a catalogue query: usable as a (query, positive) training pair. */
export function isTrainingPair(event: ClickEvent): event is ClickEvent & { queryId: number } {
  return event.queryId !== null && event.queryId !== event.resultId;
}

/**
 * Inverse propensity weight of a click: 1 / propensity, clipped at `maxWeight` so a rare click
 * deep in the list cannot dominate; 1 when the propensity is unknown (no correction).
 */
export function ipsWeight(event: ClickEvent, maxWeight = 10): number {
  if (event.propensity === null || event.propensity <= 0) return event.propensity === null ? 1 : maxWeight;
  return Math.min(maxWeight, 1 / event.propensity);
}
