import { seededRandom } from './syntheticVectors';

/**
 * How the catalogue is split for training: `stratified` keeps every class on both sides in the
 * same proportion (does the head help on new images of known classes?); `class-disjoint` puts
 * whole classes on one side (does it help on classes it never saw?).
 */
export const SPLIT_MODES = ['stratified', 'class-disjoint'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

export interface TrainTestSplit {
  /** Rows (positions in the catalogue's vectors) the head trains on. */
  train: number[];
  /** Rows it is measured on, never trained on. Both lists ascending. */
  test: number[];
}

/** Fisher–Yates with the seeded PRNG: the same seed gives the same order in Node and the browser. */
export function seededShuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Rows grouped by label, labels in sorted order so the split does not depend on catalogue order of first sight. */
export function rowsByLabel(labels: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const label of [...new Set(labels)].sort()) groups.set(label, []);
  labels.forEach((label, row) => groups.get(label)!.push(row));
  return groups;
}

/**
 * A seeded split of rows 0..labels.length-1 with about `testFraction` of them in the test side.
 * Stratified: each class gives round(n·fraction) of its images to test, but at least one to
 * each side when it has two or more. Class-disjoint: round(classes·fraction) whole classes
 * (at least one each side when there are two) go to test.
 */
export function splitRows(
  labels: readonly string[],
  options: { testFraction: number; mode: SplitMode; seed: number },
): TrainTestSplit {
  const { testFraction, mode, seed } = options;
  if (!(testFraction > 0 && testFraction < 1))
    throw new Error(`the test fraction must be in (0, 1), not ${testFraction}`);
  const random = seededRandom(seed);
  const groups = rowsByLabel(labels);
  const train: number[] = [];
  const test: number[] = [];
  if (mode === 'stratified') {
    for (const rows of groups.values()) {
      const shuffled = seededShuffle(rows, random);
      let toTest = Math.round(rows.length * testFraction);
      if (rows.length >= 2) toTest = Math.min(rows.length - 1, Math.max(1, toTest));
      test.push(...shuffled.slice(0, toTest));
      train.push(...shuffled.slice(toTest));
    }
  } else {
    const classes = seededShuffle([...groups.keys()], random);
    let toTest = Math.round(classes.length * testFraction);
    if (classes.length >= 2) toTest = Math.min(classes.length - 1, Math.max(1, toTest));
    classes.forEach((label, i) => (i < toTest ? test : train).push(...groups.get(label)!));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
