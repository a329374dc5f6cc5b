import { describe, expect, it } from 'vitest';
import { KNOBS, clampKnob } from '../../src/lib/knobs';
import { DEFAULT_PARAMS, formatParams, parseParams } from '../../src/lib/urlState';

describe('URL state', () => {
  it('uses the defaults 16 / 200 / 64 and k = 10', () => {
    expect(parseParams('')).toEqual(DEFAULT_PARAMS);
    expect(DEFAULT_PARAMS).toMatchObject({ M: 16, efc: 200, ef: 64, k: 10 });
  });

  it('reads every contract parameter', () => {
    expect(parseParams('?catalogue=mine&model=m1&limit=48&k=5&M=8&efc=100&ef=32&backend=cpu&workers=1&view=sweep&crash=3&loseContext=2')).toEqual({
      catalogue: 'mine',
      model: 'm1',
      limit: 48,
      k: 5,
      M: 8,
      efc: 100,
      ef: 32,
      backend: 'cpu',
      workers: 1,
      view: 'sweep',
      crash: 3,
      present: false,
      rerank: true,
      dedup: null,
      mmr: null,
      hide: [],
      private: [],
      flagged: [],
      loseContext: 2,
    });
  });

  it('ignores malformed values and clamps out-of-range ones', () => {
    const p = parseParams('?k=abc&M=1&ef=-4&backend=gpu&limit=2.5&view=nope');
    expect(p.view).toBe('search');
    expect(p.k).toBe(10);
    expect(p.M).toBe(2);
    expect(p.ef).toBe(1);
    expect(p.backend).toBeNull();
    expect(p.limit).toBeNull();
  });

  it('reads and writes presenter mode and the re-ranking knobs', () => {
    const params = parseParams('?view=pipeline&present=1&rerank=0&dedup=0.9&mmr=0.5&hide=pizza&hide=watch&private=3,4&flagged=5');
    expect(params).toMatchObject({ view: 'pipeline', present: true, rerank: false, dedup: 0.9, mmr: 0.5, hide: ['pizza', 'watch'], private: [3, 4], flagged: [5] });
    expect(parseParams(formatParams(params))).toEqual(params);
  });

  it('round-trips, leaving defaults out of the URL', () => {
    const params = { ...DEFAULT_PARAMS, catalogue: 'a b', k: 3 };
    expect(formatParams(params)).toBe('?catalogue=a+b&k=3');
    expect(parseParams(formatParams(params))).toEqual(params);
    expect(formatParams(DEFAULT_PARAMS)).toBe('');
  });
});

describe('clampKnob', () => {
  it('keeps the old value for an empty field and clamps the rest to whole numbers in range', () => {
    expect(clampKnob(KNOBS.k, null, 10)).toBe(10);
    expect(clampKnob(KNOBS.k, Number.NaN, 7)).toBe(7);
    expect(clampKnob(KNOBS.k, 0, 10)).toBe(1);
    expect(clampKnob(KNOBS.M, 1000, 16)).toBe(128);
    expect(clampKnob(KNOBS.ef, 12.6, 64)).toBe(13);
  });
});
