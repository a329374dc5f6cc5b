import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARAMS,
  PARAMS,
  clampKnobs,
  clampToRange,
  formatParams,
  hnswParams,
  parseParams,
} from '../../src/lib/params';

describe('URL state', () => {
  it('uses the defaults 16 / 200 / 64 and k = 10', () => {
    expect(parseParams('')).toEqual(DEFAULT_PARAMS);
    expect(DEFAULT_PARAMS).toMatchObject({ M: 16, efConstruction: 200, efSearch: 64, k: 10 });
  });

  it('reads every contract parameter', () => {
    expect(
      parseParams(
        '?catalogue=mine&model=m1&limit=48&k=5&M=8&efc=100&ef=32&backend=cpu&workers=1&precomputed=0&view=sweep&crash=3&loseContext=2&tags=tabby+cat&tagged=cat&objects=1',
      ),
    ).toEqual({
      catalogue: 'mine',
      model: 'm1',
      limit: 48,
      k: 5,
      M: 8,
      efConstruction: 100,
      efSearch: 32,
      backend: 'cpu',
      workers: 1,
      precomputed: false,
      view: 'sweep',
      engines: ['exact', 'hnsw'],
      crash: 3,
      present: false,
      rerank: true,
      dedup: null,
      mmr: null,
      hide: [],
      private: [],
      flagged: [],
      loseContext: 2,
      q: null,
      crop: null,
      tags: 'tabby cat',
      tagged: 'cat',
      objects: true,
    });
  });

  it('reads the shown engines in their fixed order, without repeats or unknown names, and writes them back', () => {
    expect(parseParams('?engines=hnsw').engines).toEqual(['hnsw']);
    expect(parseParams('?engines=hnsw,exact,hnsw,nope').engines).toEqual(['exact', 'hnsw']);
    expect(parseParams('?engines=nope').engines).toEqual(['exact', 'hnsw']);
    expect(formatParams(parseParams('?engines=hnsw'))).toBe('?engines=hnsw');
    expect(formatParams(parseParams('?engines=exact,hnsw'))).toBe('');
  });

  it('reads the query and its crop, and drops a crop without a query', () => {
    expect(parseParams('?q=12&crop=10,20,100,80')).toMatchObject({ q: 12, crop: { x: 10, y: 20, w: 100, h: 80 } });
    expect(parseParams('?q=0')).toMatchObject({ q: 0, crop: null });
    expect(parseParams('?crop=10,20,100,80')).toMatchObject({ q: null, crop: null });
    for (const bad of ['-1', '1.5', 'abc', ''])
      expect(parseParams(`?q=${bad}&crop=1,1,20,20`)).toMatchObject({ q: null, crop: null });
    expect(parseParams('?q=3&crop=1,1,0,20')).toMatchObject({ q: 3, crop: null });
  });

  it('writes the query and crop readably and round-trips them', () => {
    const params = { ...DEFAULT_PARAMS, k: 5, q: 7, crop: { x: 10, y: 20, w: 100, h: 80 } };
    expect(formatParams(params)).toBe('?k=5&q=7&crop=10,20,100,80');
    expect(parseParams(formatParams(params))).toEqual(params);
    // A crop belongs to a catalogue query; an uploaded image's crop is not written.
    expect(formatParams({ ...params, q: null })).toBe('?k=5');
  });

  it('ignores malformed values and clamps out-of-range ones', () => {
    const p = parseParams('?k=abc&M=1&ef=-4&backend=gpu&limit=2.5&view=nope');
    expect(p.view).toBe('search');
    expect(p.k).toBe(10);
    expect(p.M).toBe(2);
    expect(p.efSearch).toBe(1);
    expect(p.backend).toBeNull();
    expect(p.limit).toBeNull();
  });

  it('reads and writes presenter mode and the re-ranking knobs', () => {
    const params = parseParams(
      '?view=pipeline&present=1&rerank=0&dedup=0.9&mmr=0.5&hide=pizza&hide=watch&private=3,4&flagged=5',
    );
    expect(params).toMatchObject({
      view: 'pipeline',
      present: true,
      rerank: false,
      dedup: 0.9,
      mmr: 0.5,
      hide: ['pizza', 'watch'],
      private: [3, 4],
      flagged: [5],
    });
    expect(parseParams(formatParams(params))).toEqual(params);
  });

  it('round-trips, leaving defaults out of the URL', () => {
    const params = { ...DEFAULT_PARAMS, catalogue: 'a b', k: 3 };
    expect(formatParams(params)).toBe('?catalogue=a+b&k=3');
    expect(parseParams(formatParams(params))).toEqual(params);
    expect(formatParams(DEFAULT_PARAMS)).toBe('');
  });
});

describe('clampToRange', () => {
  it('keeps the old value for an empty field and clamps the rest to whole numbers in range', () => {
    expect(clampToRange(PARAMS.k, null, 10)).toBe(10);
    expect(clampToRange(PARAMS.k, Number.NaN, 7)).toBe(7);
    expect(clampToRange(PARAMS.k, 0, 10)).toBe(1);
    expect(clampToRange(PARAMS.M, 1000, 16)).toBe(128);
    expect(clampToRange(PARAMS.efSearch, 12.6, 64)).toBe(13);
  });
});

describe('the parameter schema', () => {
  it('declares each knob once: the URL key of the contract, the paper name shown, range and explanation', () => {
    expect([PARAMS.k, PARAMS.efSearch, PARAMS.M, PARAMS.efConstruction].map(({ key, name }) => [key, name])).toEqual([
      ['k', 'k'],
      ['ef', 'efSearch'],
      ['M', 'M'],
      ['efc', 'efConstruction'],
    ]);
    for (const param of Object.values(PARAMS)) expect(param.explain.length).toBeGreaterThan(10);
  });

  it('clamps a change to some knobs and keeps the current value for an empty field', () => {
    expect(clampKnobs({ efSearch: 9999, k: null }, DEFAULT_PARAMS)).toEqual({ efSearch: 4096, k: 10 });
    expect(clampKnobs({ M: 1 }, DEFAULT_PARAMS)).toEqual({ M: 2 });
  });

  it("gives the index its knobs by the paper's names", () => {
    expect(hnswParams(parseParams('?M=8&efc=100'))).toEqual({ M: 8, efConstruction: 100 });
  });

  it('has a distinct URL key per parameter', () => {
    const keys = Object.values(PARAMS).map((param) => param.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
