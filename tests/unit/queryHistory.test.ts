import { describe, expect, it } from 'vitest';
import { HISTORY_LENGTH, recordQuery, stepBack, type HistoryEntry } from '../../src/lib/queryHistory';

const item = (id: number, crop: HistoryEntry['crop'] = null): HistoryEntry => ({
  id,
  name: `${id}.jpg`,
  label: 'a',
  source: `u/${id}`,
  crop,
});
const upload = (blob: Blob): HistoryEntry => ({ id: null, name: 'up.png', label: null, source: blob, crop: null });

describe('query history', () => {
  it('keeps the newest first and moves a repeated query to the front instead of listing it twice', () => {
    let history = recordQuery([], item(1));
    history = recordQuery(history, item(2));
    history = recordQuery(history, item(1));
    expect(history.map((e) => e.id)).toEqual([1, 2]);
  });

  it('a crop of the same image is another query', () => {
    const history = recordQuery(recordQuery([], item(1)), item(1, { x: 0, y: 0, w: 20, h: 20 }));
    expect(history).toHaveLength(2);
    expect(recordQuery(history, item(1, { x: 0, y: 0, w: 20, h: 20 }))).toHaveLength(2);
  });

  it('tells uploads apart by their bytes, not their names', () => {
    const a = new Blob(['a']);
    const b = new Blob(['b']);
    expect(recordQuery(recordQuery([], upload(a)), upload(b))).toHaveLength(2);
    expect(recordQuery(recordQuery([], upload(a)), upload(a))).toHaveLength(1);
  });

  it('steps back to the previous query, and not past the first', () => {
    const history = [item(3), item(2), item(1)];
    const back = stepBack(history);
    expect(back.previous?.id).toBe(2);
    expect(back.history.map((e) => e.id)).toEqual([2, 1]);
    expect(stepBack([item(1)]).previous).toBeNull();
    expect(stepBack([]).previous).toBeNull();
  });

  it('forgets the oldest past its length', () => {
    let history: HistoryEntry[] = [];
    for (let i = 0; i < HISTORY_LENGTH + 5; i++) history = recordQuery(history, item(i));
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history[0].id).toBe(HISTORY_LENGTH + 4);
  });
});
