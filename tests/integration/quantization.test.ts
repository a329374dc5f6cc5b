import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/bridge/workerClient';
import { JobControl } from '../../src/bridge/jobControl';
import { SEARCH_WORKER } from '../../src/features/search/shared/protocol';
import { searchWorker } from '../../src/features/search/worker/searchWorker';
import { VectorStore } from '../../src/features/search/worker/vectorStore';
import { runQuantization } from '../../src/features/quantize/worker/quantizationLab';
import { QUANT_METHODS, type QuantizationRow } from '../../src/features/quantize/shared/methods';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { portWorker } from '../fixtures/portWorker';
import { measureCompactScale } from '../../src/features/quantize/worker/compactScale';
import { SeededRows } from '../../src/features/quantize/shared/seededRows';
import { PQ_TRAIN_WORKER, type PqTrainProgress } from '../../src/features/quantize/shared/pqTrainProtocol';
import { pqTrainWorker } from '../../src/features/quantize/worker/pqTrainWorker';

const DIM = 128;
const COUNT = 3000;
// Clustered like a labelled catalogue’s embeddings: classes, and variation along few directions. (Tighter
// clusters put the top 10 closer together than 8-bit steps separate: spread 0.6 gives SQ8 0.989.)
const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: 30, spread: 0.9, seed: 5, intrinsicDim: 24 });
const ids = Int32Array.from({ length: COUNT }, (_, i) => i);
const store = new VectorStore(vectors, ids, DIM);
const queryIds = Array.from({ length: 100 }, (_, i) => i * 29);

async function measure(rescore: number, pqM: number, rotate = false): Promise<Map<string, QuantizationRow>> {
  const result = await runQuantization(store, { k: 10, rescore, pqM, rotate, queryIds }, new JobControl(), () => {});
  expect(result.rows.map((r) => r.method)).toEqual([...QUANT_METHODS]);
  for (const method of QUANT_METHODS) expect(result.rankings[method]).toHaveLength(queryIds.length);
  // No list holds its own query.
  result.rankings.sq8.forEach((list, q) => expect(list).not.toContain(queryIds[q]));
  return new Map(result.rows.map((r) => [r.method, r]));
}

describe('the quantization lab on clustered vectors', () => {
  it('SQ8 keeps recall@10 ≥ 0.99; the float32 row is the reference; memory shrinks as promised', async () => {
    const rows = await measure(100, 16);
    for (const [method, row] of rows)
      console.log(`${method}: recall ${row.recall.toFixed(3)}, p50 ${row.p50_ms.toFixed(3)} ms`);
    expect(rows.get('float32')!.recall).toBe(1);
    expect(rows.get('sq8')!.recall).toBeGreaterThanOrEqual(0.99);
    expect(rows.get('float32')!.bytes_per_vector).toBe(DIM * 4);
    expect(rows.get('sq8')!.bytes_per_vector).toBe(DIM);
    expect(rows.get('binary')!.bytes_per_vector).toBe(DIM / 8);
    expect(rows.get('pq')!.bytes_per_vector).toBe(16);
    expect(rows.get('pq')!.train_ms).toBeGreaterThan(0);
    // IVF-PQ scans 8 of √3000 ≈ 55 cells: a fraction of the rows, the residuals coded more finely than the vectors.
    expect(rows.get('ivf-pq')!.bytes_per_vector).toBe(16 + 4);
    expect(rows.get('ivf-pq')!.recall).toBeGreaterThan(0.5);
    // Rescoring can only find more of the exact top k than the codes alone.
    expect(rows.get('binary-rescore')!.recall).toBeGreaterThan(rows.get('binary')!.recall);
  });

  it('binary codes after a random rotation: measured against the plain bits, the rotation counted in memory', async () => {
    const plain = await measure(50, 4);
    const rotated = await measure(50, 4, true);
    console.log(
      `binary recall plain ${plain.get('binary')!.recall.toFixed(3)}, rotated ${rotated.get('binary')!.recall.toFixed(3)}; ` +
        `binary+rescore R=50 plain ${plain.get('binary-rescore')!.recall.toFixed(3)}, rotated ${rotated.get('binary-rescore')!.recall.toFixed(3)}`,
    );
    // Other codes: another ranking. Each still finds a share of the exact top 10, and memory holds the d × d matrix.
    expect(rotated.get('binary')!.recall).not.toBe(plain.get('binary')!.recall);
    expect(rotated.get('binary')!.recall).toBeGreaterThan(0.2);
    expect(rotated.get('binary')!.bytes_per_vector).toBe(plain.get('binary')!.bytes_per_vector);
    expect(rotated.get('binary')!.total_bytes - plain.get('binary')!.total_bytes).toBe(DIM * DIM * 4);
    // The other methods are untouched by the knob.
    expect(rotated.get('sq8')!.recall).toBe(plain.get('sq8')!.recall);
  });

  it('recall rises with the rescoring depth R and with PQ’s m', async () => {
    const shallow = await measure(10, 4);
    const deep = await measure(400, 32);
    console.log(
      `binary+rescore R=10 ${shallow.get('binary-rescore')!.recall}, R=400 ${deep.get('binary-rescore')!.recall}; ` +
        `PQ m=4 ${shallow.get('pq')!.recall}, m=32 ${deep.get('pq')!.recall}`,
    );
    expect(deep.get('binary-rescore')!.recall).toBeGreaterThan(shallow.get('binary-rescore')!.recall);
    expect(deep.get('binary-rescore')!.recall).toBeGreaterThanOrEqual(0.95);
    expect(deep.get('pq')!.recall).toBeGreaterThan(shallow.get('pq')!.recall);
    // Whatever R, the codes alone do not change.
    expect(deep.get('binary')!.recall).toBe(shallow.get('binary')!.recall);
  });

  it('stops at a checkpoint when the job is cancelled', async () => {
    const control = new JobControl();
    let reports = 0;
    const running = runQuantization(store, { k: 10, rescore: 100, pqM: 16, queryIds }, control, () => {
      if (++reports === 3) control.cancel();
    });
    await expect(running).rejects.toThrow('cancelled');
  });
});

describe('quantized engines in the search worker', () => {
  const search = new WorkerClient(() => portWorker(SEARCH_WORKER, searchWorker()), SEARCH_WORKER);
  const training = new WorkerClient(() => portWorker(PQ_TRAIN_WORKER, pqTrainWorker()), PQ_TRAIN_WORKER);
  afterAll(() => {
    search.terminate();
    training.terminate();
  });

  it('answers the engines asked, timed and re-ranked, and none that were not', async () => {
    await search.setVectors(vectors.slice(), ids.slice(), DIM);
    await search.buildIndex({ M: 8, efConstruction: 64 }, () => {});
    const plain = await search.search({ id: 7 }, 10, 64, null);
    expect(plain.extra).toEqual({});
    // PQ is never trained in the search worker: until its codes come, it gives no answer and the others do.
    const before = await search.search({ id: 7 }, 10, 64, null, ['sq8', 'pq']);
    expect(Object.keys(before.extra)).toEqual(['sq8']);
    const progress: PqTrainProgress[] = [];
    const copy = await search.copyVectors();
    const codes = await training.encode(copy.vectors, copy.ids, DIM, { m: 16, seed: 7 }, null, (p) => progress.push(p));
    expect(codes!.codes).toHaveLength(COUNT * 16);
    expect(progress[0]).toEqual({ stage: 'training', done: 0, total: 16 });
    // Progress comes back through proxied calls, which may land after the result: the encoding has begun by then.
    expect(progress.some((p) => p.stage === 'encoding' && p.total === COUNT)).toBe(true);
    // Codes for other rows (an image added meanwhile) are refused.
    expect(await search.setPqCodes({ ...codes!, ids: codes!.ids.map((id) => id + 1) })).toBe(false);
    expect(await search.setPqCodes(codes!)).toBe(true);
    const result = await search.search({ id: 7 }, 10, 64, null, ['sq8', 'binary', 'binary-rescore', 'pq']);
    for (const engine of ['sq8', 'binary', 'binary-rescore', 'pq'] as const) {
      const answer = result.extra[engine]!;
      expect(answer.raw).toHaveLength(10);
      expect(answer.warmMs).toBeGreaterThan(0);
      expect(answer.firstMs).toBeGreaterThan(0);
      expect(answer.reranked.kept.map((n) => n.id)).toEqual(answer.raw.map((n) => n.id));
    }
    // The query's own vector is its nearest for the engines that score with floats or fine codes.
    expect(result.extra.sq8!.raw[0].id).toBe(7);
    expect(result.extra['binary-rescore']!.raw[0].id).toBe(7);
    // Near-duplicate removal runs on the quantized column too: 3k candidates come in.
    const reranked = await search.search(
      { id: 7 },
      10,
      64,
      { excluded: new Map([[7, 'private']]), dedupThreshold: null, mmrLambda: null },
      ['sq8'],
    );
    expect(reranked.extra.sq8!.reranked.candidates).toBe(30);
    expect(reranked.extra.sq8!.reranked.kept.map((n) => n.id)).not.toContain(7);
  });

  it('encodes new rows with codebooks trained before, and stops training when cancelled', async () => {
    const first = await training.encode(
      vectors.slice(0, 500 * DIM),
      ids.slice(0, 500),
      DIM,
      { m: 8, seed: 3 },
      null,
      () => {},
    );
    const stages: string[] = [];
    const again = await training.encode(
      vectors.slice(0, 600 * DIM),
      ids.slice(0, 600),
      DIM,
      { m: 8, seed: 3 },
      first!.pq,
      (p) => stages.push(p.stage),
    );
    // No k-means this time, and the first 500 rows get the same codes.
    expect(stages.every((stage) => stage === 'encoding')).toBe(true);
    expect(Array.from(again!.codes.subarray(0, 500 * 8))).toEqual(Array.from(first!.codes));
    await expect(
      training.encode(vectors.slice(0, 500 * DIM), ids.slice(0, 500), DIM, { m: 4, seed: 3 }, first!.pq, () => {}),
    ).rejects.toThrow('not 128 in 4');

    const abort = new AbortController();
    const cancelled = await training.encode(
      vectors.slice(),
      ids.slice(),
      DIM,
      { m: 32, seed: 3 },
      null,
      (p) => {
        if (p.stage === 'training' && p.done === 2) abort.abort();
      },
      abort.signal,
    );
    expect(cancelled).toBeNull();
  });
});

describe('compact codes past the heap (the Scale lab’s compact rows)', () => {
  it('measures SQ8 and binary + rescoring with floats regenerated from the seed, and refuses codes past the budget', async () => {
    const progress: string[] = [];
    const rows = await measureCompactScale(
      { n: 5000, dim: 96, k: 10, queries: 10, rescore: 500, seed: 3 },
      new JobControl(),
      (p) => progress.push(p.stage),
    );
    expect(rows.map((r) => [r.method, r.refused])).toEqual([
      ['sq8', null],
      ['binary-rescore', null],
    ]);
    const [sq8, binary] = rows;
    console.log(`N=5000 SQ8 recall ${sq8.recall}, binary+rescore recall ${binary.recall}`);
    expect(sq8.codeBytes).toBe(5000 * 96);
    expect(binary.codeBytes).toBe(5000 * 16);
    expect(sq8.floatBytes).toBe(5000 * 96 * 4);
    expect(sq8.recall).toBeGreaterThanOrEqual(0.95);
    expect(binary.recall).toBeGreaterThanOrEqual(0.95);
    expect(progress.some((stage) => stage.includes('generating'))).toBe(true);

    // Past the 2 GiB budget for both: 20 million codes of 1280 bytes (SQ8) and of 160 bytes (binary).
    const huge = await measureCompactScale(
      { n: 20_000_000, dim: 1280, k: 10, queries: 1, rescore: 10, seed: 1 },
      new JobControl(),
      () => {},
    );
    expect(huge.map((r) => r.refused !== null)).toEqual([true, true]);
    expect(huge[0].refused).toMatch(/20,000,000 codes of 1280 bytes take 24414 MiB, past the 2048 MiB budget/);
  });

  it('makes any row again bit for bit, from the seed alone', () => {
    const options = { dim: 33, clusters: 4, spread: 0.8, intrinsicDim: 3, seed: 9 };
    const all = new SeededRows(options).rows(0, 50);
    const again = new SeededRows(options);
    const row = new Float32Array(33);
    for (const r of [49, 0, 17]) {
      again.row(r, row);
      expect(Array.from(row)).toEqual(Array.from(all.subarray(r * 33, (r + 1) * 33)));
    }
    const norm = Math.hypot(...all.subarray(0, 33));
    expect(norm).toBeCloseTo(1, 6);
  });
});
