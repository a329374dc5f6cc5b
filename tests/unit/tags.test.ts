import { describe, expect, it } from 'vitest';
import {
  COCO_TAG_OFFSET,
  TAG_VOCABULARY,
  cocoTags,
  describeTags,
  matchingClasses,
  packTags,
  searchTags,
  taggedWith,
  topTags,
  unpackTags,
  type ImageTag,
} from '../../src/lib/tags';
import { COCO_CLASSES } from '../../src/lib/detection';

const cls = (name: string): number => TAG_VOCABULARY.indexOf(name);
const TABBY = cls('tabby, tabby cat');
const EGYPTIAN = cls('Egyptian cat');
const AIRLINER = cls('airliner');
const SCOOTER = cls('motor scooter, scooter');
const COCO_CAT = COCO_TAG_OFFSET + COCO_CLASSES.indexOf('cat');

describe('the tag vocabulary', () => {
  it('is the 1,000 ImageNet classes in logit order, then the 80 COCO classes', () => {
    expect(TAG_VOCABULARY).toHaveLength(1080);
    expect(TAG_VOCABULARY[0]).toBe('tench, Tinca tinca');
    expect(TABBY).toBe(281);
    expect(TAG_VOCABULARY[COCO_TAG_OFFSET]).toBe('person');
  });
});

describe('matchingClasses', () => {
  it('ignores case', () => {
    expect(matchingClasses('EGYPTIAN Cat').has(EGYPTIAN)).toBe(true);
  });
  it('matches a query word that starts a word of the name', () => {
    expect(matchingClasses('airl').has(AIRLINER)).toBe(true);
    expect(matchingClasses('liner').has(AIRLINER)).toBe(false);
  });
  it('matches a whole word inside a longer name', () => {
    const cats = matchingClasses('cat');
    expect(cats.has(EGYPTIAN)).toBe(true);
    expect(cats.has(COCO_CAT)).toBe(true);
  });
  it('finds a class by any of its synonyms, and needs every query word within one synonym', () => {
    expect(matchingClasses('scooter').has(SCOOTER)).toBe(true);
    expect(matchingClasses('tabby cat').has(TABBY)).toBe(true);
    // "motor" and "tabby" are never words of one synonym.
    expect(matchingClasses('tabby motor').size).toBe(0);
  });
  it('names nothing for an empty query or a word outside the vocabulary', () => {
    expect(matchingClasses('  ').size).toBe(0);
    expect(matchingClasses('qwertyuiop').size).toBe(0);
  });
});

describe('topTags', () => {
  it('keeps the best classes at or above the floor, best first, as softmax probabilities', () => {
    const logits = new Float32Array(1000);
    logits[TABBY] = 8;
    logits[EGYPTIAN] = 7;
    const tags = topTags(logits, 5, 0.05);
    expect(tags.map((t) => t.cls)).toEqual([TABBY, EGYPTIAN]);
    const total = Math.exp(8) + Math.exp(7) + 998;
    expect(tags[0].p).toBeCloseTo(Math.exp(8) / total, 6);
  });
  it('keeps at most `top` tags', () => {
    const logits = new Float32Array(1000);
    for (let i = 0; i < 10; i++) logits[i] = 20 - i * 0.1;
    expect(topTags(logits, 3, 0).map((t) => t.cls)).toEqual([0, 1, 2]);
  });
});

describe('searchTags', () => {
  const tags = new Map<number, ImageTag[]>([
    [
      1,
      [
        { cls: TABBY, p: 0.5 },
        { cls: EGYPTIAN, p: 0.3 },
      ],
    ],
    [2, [{ cls: EGYPTIAN, p: 0.9 }]],
    [3, [{ cls: AIRLINER, p: 0.95 }]],
    [4, [{ cls: COCO_CAT, p: 0.4 }]],
  ]);
  it('ranks by the summed probability of the matching tags', () => {
    expect(searchTags('cat', tags, 10)).toEqual([
      { id: 2, score: 0.9 },
      { id: 1, score: 0.8 },
      { id: 4, score: 0.4 },
    ]);
  });
  it('leaves out the images `skip` names before taking the top k', () => {
    expect(searchTags('cat', tags, 1, (id) => id === 2)).toEqual([{ id: 1, score: 0.8 }]);
  });
  it('returns at most k, and nothing for a query that names no class', () => {
    expect(searchTags('cat', tags, 1)).toEqual([{ id: 2, score: 0.9 }]);
    expect(searchTags('zebra', tags, 10)).toEqual([]);
  });
});

describe('cocoTags', () => {
  it('gives each detected class once, at its best score', () => {
    expect(
      cocoTags([
        { label: 'cat', score: 0.4 },
        { label: 'cat', score: 0.7 },
        { label: 'not a class', score: 0.9 },
      ]),
    ).toEqual([{ cls: COCO_CAT, p: 0.7 }]);
  });
});

describe('tags on file and on screen', () => {
  it('packs and unpacks [class, probability] pairs', () => {
    const tags = [{ cls: TABBY, p: 0.61234 }];
    expect(unpackTags(packTags(tags))).toEqual([{ cls: TABBY, p: 0.6123 }]);
  });
  it('refuses malformed rows', () => {
    expect(() => unpackTags([TABBY])).toThrow(/pairs/);
    expect(() => unpackTags([5000, 0.5])).toThrow(/vocabulary/);
    expect(() => unpackTags([1, 2])).toThrow(/probability/);
  });
  it('describes tags by their first synonym with a percentage', () => {
    expect(
      describeTags([
        { cls: TABBY, p: 0.62 },
        { cls: COCO_CAT, p: 0.2 },
      ]),
    ).toBe('tabby 62% · cat 20%');
  });
  it('tells whether an image carries a tag of the given classes', () => {
    expect(taggedWith([{ cls: TABBY, p: 0.5 }], matchingClasses('tabby'))).toBe(true);
    expect(taggedWith([{ cls: TABBY, p: 0.5 }], matchingClasses('airliner'))).toBe(false);
    expect(taggedWith(undefined, matchingClasses('tabby'))).toBe(false);
  });
});
