import { describe, expect, it } from 'vitest';
import {
  embeddingKey,
  indexFamily,
  indexFileName,
  indexKey,
  vectorsFingerprint,
  type IndexIdentity,
} from '../../src/lib/cacheKeys';

const identity: IndexIdentity = {
  catalogueId: 'caltech101-40',
  modelId: 'mobilenet_v2',
  preprocessing: 'p1',
  M: 16,
  efConstruction: 200,
  fingerprint: 'f',
};

describe('embeddingKey', () => {
  it('changes with the model, the preprocessing and the content', () => {
    const base = embeddingKey('m', 'p1', 'abc');
    expect(embeddingKey('m2', 'p1', 'abc')).not.toBe(base);
    expect(embeddingKey('m', 'p2', 'abc')).not.toBe(base);
    expect(embeddingKey('m', 'p1', 'abd')).not.toBe(base);
    expect(embeddingKey('m', 'p1', 'abc')).toBe(base);
  });

  it('cannot be confused by a separator inside a field', () => {
    expect(embeddingKey('a|b', 'c', 'd')).not.toBe(embeddingKey('a', 'b|c', 'd'));
  });
});

describe('indexKey', () => {
  it('changes with every parameter the index depends on', () => {
    const base = indexKey(identity);
    for (const change of [
      { catalogueId: 'x' },
      { modelId: 'x' },
      { preprocessing: 'x' },
      { M: 8 },
      { efConstruction: 100 },
      { fingerprint: 'g' },
    ]) {
      expect(indexKey({ ...identity, ...change })).not.toBe(base);
    }
  });

  it('starts with its family, which other catalogues and models do not share', () => {
    expect(indexKey(identity).startsWith(indexFamily(identity))).toBe(true);
    expect(indexKey({ ...identity, modelId: 'other' }).startsWith(indexFamily(identity))).toBe(false);
  });
});

describe('vectorsFingerprint', () => {
  const rows = [
    { id: 0, hash: 'aa' },
    { id: 1, hash: 'bb' },
    { id: 2, hash: 'cc' },
  ];

  it('is stable', () => {
    expect(vectorsFingerprint(rows)).toBe(vectorsFingerprint(rows.map((r) => ({ ...r }))));
  });

  it('changes when a row goes, a file changes or the order changes', () => {
    const base = vectorsFingerprint(rows);
    expect(vectorsFingerprint(rows.slice(0, 2))).not.toBe(base);
    expect(vectorsFingerprint([rows[0], { id: 1, hash: 'bc' }, rows[2]])).not.toBe(base);
    expect(vectorsFingerprint([rows[1], rows[0], rows[2]])).not.toBe(base);
  });
});

describe('indexFileName', () => {
  it('is a plain file name that differs between keys', () => {
    const name = indexFileName(indexKey(identity));
    expect(name).toMatch(/^index-[0-9a-f]{16}\.hnsw$/);
    expect(indexFileName(indexKey({ ...identity, M: 8 }))).not.toBe(name);
  });
});
