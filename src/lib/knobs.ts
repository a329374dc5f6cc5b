/** The search knobs, named as in the HNSW paper (Malkov & Yashunin), each explained once. */
export interface Knob {
  key: 'k' | 'ef' | 'M' | 'efc';
  name: string;
  min: number;
  max: number;
  explain: string;
}

export const KNOBS: Record<Knob['key'], Knob> = {
  k: { key: 'k', name: 'k', min: 1, max: 1000, explain: 'How many nearest neighbours each engine returns.' },
  ef: {
    key: 'ef',
    name: 'efSearch',
    min: 1,
    max: 4096,
    explain: 'Candidates HNSW keeps while searching: higher finds more true neighbours, slower.',
  },
  M: {
    key: 'M',
    name: 'M',
    min: 2,
    max: 128,
    explain: 'Links each node keeps per layer: higher gives better recall, more memory and a slower build.',
  },
  efc: {
    key: 'efc',
    name: 'efConstruction',
    min: 1,
    max: 4096,
    explain: 'Candidates considered while inserting: higher builds a better graph, more slowly.',
  },
};

/**
 * A whole number within the knob's range; an empty or non-numeric field keeps `fallback`.
 * Also used for the lab's own number fields.
 */
export function clampKnob(
  range: Pick<Knob, 'min' | 'max'>,
  value: number | null | undefined,
  fallback: number,
): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(range.max, Math.max(range.min, Math.round(value)));
}
