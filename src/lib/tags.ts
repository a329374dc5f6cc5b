import { IMAGENET_CLASSES } from '@tensorflow-models/mobilenet/dist/imagenet_classes';
import { COCO_CLASSES } from './detection';
import type { Neighbour } from './types';

/**
 * Search by words over tags from a fixed vocabulary: an image's tags are its top ImageNet classes
 * from MobileNet's own classifier head (the 1001-logit output of the graph that also gives the
 * embedding) and, where boxes are known, the COCO classes of its detected objects. This is tag
 * search, not free-text semantic search: a word outside the 1,080 class names finds nothing.
 *
 * The ImageNet names are the package's own (@tensorflow-models/mobilenet's IMAGENET_CLASSES, the
 * list its classify() uses), indexed like its logits after logit 0, the background slot it drops.
 */

/** The vocabulary: ImageNet classes 0-999, then the 80 COCO classes from 1000 on. */
export const IMAGENET_CLASS_COUNT = 1000;
export const COCO_TAG_OFFSET = IMAGENET_CLASS_COUNT;
export const TAG_VOCABULARY: readonly string[] = [
  ...Array.from({ length: IMAGENET_CLASS_COUNT }, (_, i) => IMAGENET_CLASSES[i]),
  ...COCO_CLASSES,
];

/** An image's tag: a class of TAG_VOCABULARY and the classifier's (or detector's) probability for it. */
export interface ImageTag {
  cls: number;
  p: number;
}

/** Tags kept per image, and the probability below which a class is not a tag. */
export const TOP_TAGS = 5;
export const TAG_FLOOR = 0.05;

/** The one-line note the tag box shows: what this search is and is not. */
export const TAG_SEARCH_NOTE =
  'Tag search over a fixed vocabulary (1,000 ImageNet + 80 COCO classes), not free-text semantic search';

/**
 * The top classes of one image from its 1000 ImageNet logits (background logit already dropped):
 * softmax, then the best `top` classes whose probability reaches `floor`, best first.
 */
export function topTags(logits: ArrayLike<number>, top = TOP_TAGS, floor = TAG_FLOOR): ImageTag[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exp = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += exp[i] = Math.exp(logits[i] - max);
  const best: ImageTag[] = [];
  for (let cls = 0; cls < exp.length; cls++) {
    const p = exp[cls] / sum;
    if (p < floor || (best.length === top && p <= best[top - 1].p)) continue;
    best.push({ cls, p });
    best.sort((a, b) => b.p - a.p);
    if (best.length > top) best.pop();
  }
  return best;
}

/** An image's detected objects as COCO tags: each class once, at its best box's score. */
export function cocoTags(detections: readonly { label: string; score: number }[]): ImageTag[] {
  const best = new Map<number, number>();
  for (const { label, score } of detections) {
    const index = COCO_CLASSES.indexOf(label);
    if (index >= 0) best.set(index, Math.max(best.get(index) ?? 0, score));
  }
  return [...best].map(([index, p]) => ({ cls: COCO_TAG_OFFSET + index, p })).sort((a, b) => b.p - a.p);
}

/** Lower-case words of a text: letters and digits, so "Saint-Bernard's" gives "saint", "bernard", "s". */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

let synonymWords: readonly (readonly string[][])[] | null = null;

/**
 * Each class name's synonyms (ImageNet and COCO names list them with commas), each as its words.
 * Worked out at the first tag query, not when the page's script loads (about 9 ms of its start-up).
 */
function classSynonymWords(): readonly (readonly string[][])[] {
  synonymWords ??= TAG_VOCABULARY.map((name) =>
    name
      .split(',')
      .map(words)
      .filter((w) => w.length > 0),
  );
  return synonymWords;
}

/**
 * The classes a query names: a class matches when every word of the query is the start of some
 * word of one of its synonyms (case ignored), so "tabby" finds "tabby, tabby cat", "air" finds
 * "airliner" and "motor sc" finds "motor scooter". An empty query names none.
 */
export function matchingClasses(query: string): Set<number> {
  const wanted = words(query);
  const found = new Set<number>();
  if (wanted.length === 0) return found;
  classSynonymWords().forEach((synonyms, cls) => {
    if (synonyms.some((synonym) => wanted.every((w) => synonym.some((word) => word.startsWith(w))))) found.add(cls);
  });
  return found;
}

/**
 * Images whose tags the query names, ranked by the summed probability of their matching tags
 * (ties by id), at most k. `tags` holds each image's tags by catalogue id; `skip` leaves images
 * out before the top k is taken (the re-ranking service's business rules).
 */
export function searchTags(
  query: string,
  tags: ReadonlyMap<number, readonly ImageTag[]>,
  k: number,
  skip: (id: number) => boolean = () => false,
): Neighbour[] {
  const classes = matchingClasses(query);
  if (classes.size === 0) return [];
  const hits: Neighbour[] = [];
  for (const [id, imageTags] of tags) {
    if (skip(id)) continue;
    let score = 0;
    for (const tag of imageTags) if (classes.has(tag.cls)) score += tag.p;
    if (score > 0) hits.push({ id, score });
  }
  return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
}

/** A tag's name as shown: the class's first synonym. */
export function tagName(cls: number): string {
  return TAG_VOCABULARY[cls]?.split(',')[0].trim() ?? `class ${cls}`;
}

/** An image's tags as one line for a tooltip: "tabby 62% · Egyptian cat 20%". */
export function describeTags(tags: readonly ImageTag[]): string {
  return tags.map((tag) => `${tagName(tag.cls)} ${Math.round(tag.p * 100)}%`).join(' · ');
}

/** A tile's tooltip: its file, and its tags on a second line when it has any. */
export function tileTitle(file: string, tags: readonly ImageTag[] | undefined): string {
  return tags && tags.length > 0 ? `${file}\ntags: ${describeTags(tags)}` : file;
}

/** Whether an image's tags include one the query names (the re-ranking filter "only results tagged …"). */
export function taggedWith(tags: readonly ImageTag[] | undefined, classes: ReadonlySet<number>): boolean {
  return tags !== undefined && tags.some((tag) => classes.has(tag.cls));
}

/** Tags packed for a file: [cls, p, cls, p, …], probabilities to 4 decimals. */
export function packTags(tags: readonly ImageTag[]): number[] {
  return tags.flatMap((tag) => [tag.cls, Math.round(tag.p * 1e4) / 1e4]);
}

/** The inverse of packTags; throws on a malformed row. */
export function unpackTags(row: unknown): ImageTag[] {
  if (!Array.isArray(row) || row.length % 2 !== 0) throw new Error('a tag row is not [class, probability, …] pairs');
  const tags: ImageTag[] = [];
  for (let i = 0; i < row.length; i += 2) {
    const [cls, p] = [row[i], row[i + 1]];
    if (
      !Number.isInteger(cls) ||
      cls < 0 ||
      cls >= TAG_VOCABULARY.length ||
      typeof p !== 'number' ||
      !(p >= 0 && p <= 1)
    )
      throw new Error(`a tag (${String(cls)}, ${String(p)}) is outside the vocabulary or not a probability`);
    tags.push({ cls, p });
  }
  return tags;
}
