import { describe, expect, it } from 'vitest';
import { efSearchLadder, firstReaching, logLogSlope, seededSample, sweepCsv } from '../../src/lib/experiments';
import {
  HNSW_FIXED_BYTES,
  exactStoreBytes,
  hnswBytesPerVector,
  hnswIndexBytes,
  maxVectorsInHeap,
} from '../../src/lib/hnswMemory';

describe('sweep settings', () => {
  it('ladders efSearch from k up to 512', () => {
    expect(efSearchLadder(10)).toEqual([10, 16, 32, 64, 128, 256, 512]);
    expect(efSearchLadder(64)).toEqual([64, 128, 256, 512]);
    expect(efSearchLadder(600)).toEqual([600]);
  });

  it('samples reproducibly, without repeats, at most all', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const a = seededSample(ids, 20, 1);
    expect(a).toEqual(seededSample(ids, 20, 1));
    expect(new Set(a).size).toBe(20);
    expect(seededSample(ids, 20, 2)).not.toEqual(a);
    expect(seededSample([1, 2, 3], 10, 1).sort()).toEqual([1, 2, 3]);
  });

  it('writes the CSV columns the contract names, in order', () => {
    const csv = sweepCsv([
      {
        M: 16,
        efConstruction: 200,
        efSearch: 64,
        k: 10,
        recall: 0.98,
        qps: 1500.5,
        p50_ms: 0.5,
        p95_ms: 0.9,
        queries: 200,
        self_matches: 'excluded',
        engine: 'pgvector',
      },
    ]);
    expect(csv).toBe(
      'M,efConstruction,efSearch,k,recall,qps,p50_ms,p95_ms,queries,self_matches,engine\n16,200,64,10,0.98,1500.5,0.5,0.9,200,excluded,pgvector\n',
    );
  });

  it('finds where a curve first reaches a recall target', () => {
    const curve = [{ recall: 0.8 }, { recall: 0.96 }, { recall: 0.99 }];
    expect(firstReaching(curve, 0.95)).toBe(curve[1]);
    expect(firstReaching(curve, 0.999)).toBeNull();
  });
});

describe('memory model', () => {
  it('counts the vector, level-0 links, label and bookkeeping per element, and a fixed part per index', () => {
    // 1280-d, M=16: 33 link words + 1280 floats + a 4-byte label, then locks, the label map, upper levels.
    const perVector = hnswBytesPerVector(1280, 16);
    expect(perVector).toBeGreaterThan(33 * 4 + 1280 * 4 + 4);
    expect(perVector).toBeLessThan(33 * 4 + 1280 * 4 + 4 + 100);
    expect(hnswIndexBytes(1000, 1280, 16)).toBe(Math.round(HNSW_FIXED_BYTES + 1000 * perVector));
    expect(exactStoreBytes(10, 256)).toBe(10240);
  });

  it('puts the 2 GiB wasm heap limit near 380k vectors at 1280 dimensions', () => {
    const max = maxVectorsInHeap(1280, 16);
    expect(max).toBeGreaterThan(360_000);
    expect(max).toBeLessThan(400_000);
  });
});

describe('logLogSlope', () => {
  it('is 1 for linear growth, 0.5 for square root, 0 for flat', () => {
    const ns = [1e3, 1e4, 1e5];
    expect(logLogSlope(ns.map((x) => ({ x, y: 3 * x })))).toBeCloseTo(1);
    expect(logLogSlope(ns.map((x) => ({ x, y: Math.sqrt(x) })))).toBeCloseTo(0.5);
    expect(logLogSlope(ns.map((x) => ({ x, y: 7 })))).toBeCloseTo(0);
  });
  it('needs two usable points', () => {
    expect(logLogSlope([{ x: 10, y: 1 }])).toBeNull();
    expect(
      logLogSlope([
        { x: 10, y: 0 },
        { x: 100, y: 5 },
      ]),
    ).toBeNull();
  });
});
