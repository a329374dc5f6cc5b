import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ipsWeight, isTrainingPair, type ClickEvent } from '../../src/lib/clickLog';
import { ClickLogStore } from '../../src/features/online/client/clickLogStore';

const click = (change: Partial<ClickEvent> = {}): ClickEvent => ({
  catalogue: 'c',
  source: 'page',
  queryId: 1,
  ranker: 'exact',
  rank: 3,
  resultId: 7,
  time: 0,
  dwellMs: null,
  propensity: null,
  ...change,
});

describe('the click log', () => {
  it('weights a click by 1 / its examination probability, clipped; unknown propensity weighs 1', () => {
    expect(ipsWeight(click({ propensity: 0.5 }))).toBe(2);
    expect(ipsWeight(click({ propensity: 0.01 }))).toBe(10);
    expect(ipsWeight(click({ propensity: 0.01 }), 50)).toBe(50);
    expect(ipsWeight(click())).toBe(1);
  });

  it('takes only clicks on another image after a catalogue query as training pairs', () => {
    expect(isTrainingPair(click())).toBe(true);
    expect(isTrainingPair(click({ queryId: null }))).toBe(false);
    expect(isTrainingPair(click({ queryId: 7 }))).toBe(false);
  });

  it('keeps clicks per catalogue and clears one source or all', async () => {
    const store = await ClickLogStore.open(() => {});
    await store.clear();
    await store.append([click(), click({ source: 'sim', rank: 1 }), click({ catalogue: 'other' })]);
    expect((await store.list('c')).map((e) => e.source)).toEqual(['page', 'sim']);
    await store.clear('sim');
    expect((await store.list('c')).map((e) => e.source)).toEqual(['page']);
    await store.clear();
    expect(await store.list('other')).toEqual([]);
  });
});
