// Longer than 300 lines because it holds the quantize feature's pure parts side by side — the kernel,
// SQ8, binary codes (and their rotation), PQ and the table — a describe block each, sharing helpers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/lib/syntheticVectors';
import { assembleQuantKernel, quantKernelModuleSource } from '../../src/features/quantize/worker/buildQuantKernel';
import {
  AdcScanner,
  CodeScanner,
  hammingReference,
  int8DotsReference,
} from '../../src/features/quantize/worker/quantKernel';
import { nearestByHamming } from '../../src/features/quantize/worker/quantizedIndex';
import {
  decodeScalar,
  encodeScalar,
  scalarQuery,
  trainScalarQuantizer,
} from '../../src/features/quantize/shared/scalarQuantizer';
import { decodeBinary, encodeBinary, trainBinaryQuantizer } from '../../src/features/quantize/shared/binaryCodes';
import { randomRotation } from '../../src/features/quantize/shared/randomRotation';
import { assignCells, ivfLists, trainIvfProduct } from '../../src/features/quantize/shared/ivfProduct';
import { buildQuantizedIndex } from '../../src/features/quantize/worker/quantizedIndex';
import {
  PQ_CENTROIDS,
  adcScores,
  decodeProduct,
  distanceTable,
  encodeProduct,
  kMeans,
  subspaceBounds,
  trainProductQuantizer,
} from '../../src/features/quantize/shared/productQuantizer';
import {
  bytesPerVector,
  type QuantMethod,
  type QuantizationResult,
  type QuantizationRow,
} from '../../src/features/quantize/shared/methods';
import {
  QUANT_CSV_COLUMNS,
  formatBytes,
  paretoFront,
  quantizationCsv,
  quantizationTable,
} from '../../src/features/quantize/shared/quantizationTable';

function randomFloats(count: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
}

function randomBytes(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: count }, () => Math.floor(random() * 256));
}

describe('the quantized scan kernel (WebAssembly SIMD)', () => {
  it('is the committed module assembled from its .wat', async () => {
    const committed = readFileSync('src/features/quantize/worker/quantScanKernel.wasm.ts', 'utf8');
    expect(committed).toBe(quantKernelModuleSource(await assembleQuantKernel()));
  });

  it.each([
    [1, 16],
    [37, 16],
    [200, 64],
    [129, 272],
    [50, 1280],
  ])('int8 dot products equal the plain JavaScript ones exactly (N=%i, %i bytes a row)', (count, rowBytes) => {
    const codes = new Int8Array(randomBytes(count * rowBytes, count).buffer);
    const scanner = CodeScanner.of(codes, rowBytes);
    for (let q = 0; q < 3; q++) {
      const query = new Int8Array(randomBytes(rowBytes, 1000 + q).buffer);
      expect(Array.from(scanner.int8Dots(query))).toEqual(Array.from(int8DotsReference(codes, query, rowBytes)));
    }
  });

  it('int8 extremes do not overflow: −128 · −128 over 1280 bytes', () => {
    const rowBytes = 1280;
    const codes = new Int8Array(rowBytes).fill(-128);
    const query = new Int8Array(rowBytes).fill(-128);
    expect(CodeScanner.of(codes, rowBytes).int8Dots(query)[0]).toBe(128 * 128 * rowBytes);
  });

  it.each([
    [1, 8],
    [33, 8],
    [200, 32],
    [77, 160],
  ])(
    'Hamming distances (i64.popcnt) equal the plain JavaScript ones exactly (N=%i, %i bytes a row)',
    (count, rowBytes) => {
      const codes = randomBytes(count * rowBytes, 7 * count);
      const scanner = CodeScanner.of(codes, rowBytes);
      for (let q = 0; q < 3; q++) {
        const query = randomBytes(rowBytes, 2000 + q);
        expect(Array.from(scanner.hamming(query))).toEqual(Array.from(hammingReference(codes, query, rowBytes)));
      }
      // All ones against all zeros: every bit differs.
      expect(CodeScanner.of(new Uint8Array(rowBytes).fill(255), rowBytes).hamming(new Uint8Array(rowBytes))[0]).toBe(
        rowBytes * 8,
      );
    },
  );
});

describe('SQ8', () => {
  const vectors = Float32Array.from(
    [
      [0, -1, 0.5],
      [1, 1, 0.5],
      [0.75, 0.5, 0.5],
    ].flat(),
  );

  it('maps each dimension’s range onto the 256 signed bytes, a constant dimension to one value', () => {
    const sq = trainScalarQuantizer(vectors, 3);
    expect(sq.rowBytes).toBe(16);
    const codes = encodeScalar(sq, vectors);
    expect(Array.from(codes.subarray(0, 3))).toEqual([-128, -128, -128]);
    expect(Array.from(codes.subarray(16, 19))).toEqual([127, 127, -128]);
    // Three quarters of each range: step 191.25, rounded to 191, byte 63.
    expect(Array.from(codes.subarray(32, 35))).toEqual([63, 63, -128]);
    expect(Array.from(codes.subarray(3, 16)).every((c) => c === 0)).toBe(true);
  });

  it('decodes within half a step of every value', () => {
    const dim = 24;
    const data = randomFloats(50 * dim, 3);
    const sq = trainScalarQuantizer(data, dim);
    const codes = encodeScalar(sq, data);
    for (let row = 0; row < 50; row++) {
      const decoded = decodeScalar(sq, codes, row);
      for (let i = 0; i < dim; i++) {
        expect(Math.abs(decoded[i] - data[row * dim + i])).toBeLessThanOrEqual(sq.step[i] / 2 + 1e-6);
      }
    }
  });

  it('a query’s int8 score is the dot product with the decoded vector, up to the query’s own rounding', () => {
    const dim = 40;
    const data = randomFloats(30 * dim, 5);
    const sq = trainScalarQuantizer(data, dim);
    const codes = encodeScalar(sq, data);
    const query = randomFloats(dim, 6);
    const { weights, offset, scale } = scalarQuery(sq, query);
    const sums = int8DotsReference(codes, weights, sq.rowBytes);
    for (let row = 0; row < 30; row++) {
      const decoded = decodeScalar(sq, codes, row);
      const truth = decoded.reduce((sum, x, i) => sum + x * query[i], 0);
      // Each weight is off by at most half a step of `scale`, times a code of at most 128.
      expect(Math.abs(offset + scale * sums[row] - truth)).toBeLessThanOrEqual((scale / 2) * 128 * dim);
      expect(Math.abs(offset + scale * sums[row] - truth)).toBeLessThan(0.05);
    }
  });
});

describe('binary codes', () => {
  it('set a bit where a value is above its dimension’s mean, bit i of byte i/8', () => {
    const vectors = Float32Array.from(
      [
        [1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      ].flat(),
    );
    const bq = trainBinaryQuantizer(vectors, 10);
    expect(bq.rowBytes).toBe(8);
    expect(Array.from(bq.mean)).toEqual([0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.5]);
    const codes = encodeBinary(bq, vectors);
    expect(Array.from(codes.subarray(0, 8))).toEqual([0b01, 0b10, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(codes.subarray(8, 16))).toEqual([0b10, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(decodeBinary(bq, codes, 0))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(bytesPerVector('binary', 1280, 64)).toBe(160);
  });

  it('a seeded random rotation is orthogonal, the same for the same seed, and other for another', () => {
    const dim = 37;
    const r = randomRotation(dim, 5);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        let dot = 0;
        for (let x = 0; x < dim; x++) dot += r[i * dim + x] * r[j * dim + x];
        // float32 entries: orthonormal to float32 precision.
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-6);
      }
    }
    expect(Array.from(randomRotation(dim, 5))).toEqual(Array.from(r));
    expect(Array.from(randomRotation(dim, 6))).not.toEqual(Array.from(r));
  });

  it('after a rotation, bit i is the sign of coordinate i of the rotated centred vector', () => {
    // A quarter turn in the plane of dimensions 0 and 1: (x, y) → (−y, x); dimension 2 kept.
    const rotation = Float32Array.from([0, -1, 0, 1, 0, 0, 0, 0, 1]);
    const vectors = Float32Array.from([3, 1, 0, 1, 3, 2]);
    const bq = trainBinaryQuantizer(vectors, 3, rotation);
    expect(Array.from(bq.mean)).toEqual([2, 2, 1]);
    // Centred: (1, −1, −1) → (1, 1, −1); (−1, 1, 1) → (−1, −1, 1).
    const codes = encodeBinary(bq, vectors);
    expect(Array.from(decodeBinary(bq, codes, 0))).toEqual([1, 1, 0]);
    expect(Array.from(decodeBinary(bq, codes, 1))).toEqual([0, 0, 1]);
    // Without it, the plain per-dimension bits.
    expect(
      Array.from(
        decodeBinary(trainBinaryQuantizer(vectors, 3), encodeBinary(trainBinaryQuantizer(vectors, 3), vectors), 0),
      ),
    ).toEqual([1, 0, 0]);
  });

  it('nearestByHamming: nearest first, ties in row order, any number wanted', () => {
    const distances = Int32Array.from([5, 1, 3, 1, 0, 5, 2]);
    expect(Array.from(nearestByHamming(distances, 7, 8, 4))).toEqual([4, 1, 3, 6]);
    expect(Array.from(nearestByHamming(distances, 7, 8, 100))).toEqual([4, 1, 3, 6, 2, 0, 5]);
    expect(Array.from(nearestByHamming(distances, 7, 8, 0))).toEqual([]);
  });
});

describe('PQ', () => {
  it('cuts d dimensions into m sub-spaces covering them all', () => {
    expect(Array.from(subspaceBounds(10, 3))).toEqual([0, 3, 6, 10]);
    expect(Array.from(subspaceBounds(1280, 64)).at(-1)).toBe(1280);
    expect(() => subspaceBounds(8, 9)).toThrow(/m must be between 1 and the dimension 8/);
  });

  it('k-means finds two well separated groups', () => {
    const points = Float32Array.from([0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1]);
    const centres = Array.from(kMeans(points, 2, 2, 5, 1));
    const sorted = [centres.slice(0, 2), centres.slice(2, 4)].sort((a, b) => a[0] - b[0]);
    expect(sorted[0][0]).toBeCloseTo(0.1 / 3);
    expect(sorted[1][0]).toBeCloseTo(10 + 0.1 / 3);
  });

  it('encodes each sub-vector as its nearest centroid; with as many centroids as vectors, decoding is exact', async () => {
    const dim = 12;
    const data = randomFloats(20 * dim, 9);
    const pq = await trainProductQuantizer(data, dim, { m: 4, seed: 1 });
    expect(pq.centroids).toBe(20);
    const codes = encodeProduct(pq, data);
    for (let row = 0; row < 20; row++) {
      expect(Array.from(decodeProduct(pq, codes, row))).toEqual(Array.from(data.subarray(row * dim, (row + 1) * dim)));
    }
  });

  it('the ADC table’s score equals the dot product with the brute-force reconstructed vector', async () => {
    const dim = 30;
    const count = 400;
    const data = randomFloats(count * dim, 11);
    const progress: number[] = [];
    const pq = await trainProductQuantizer(data, dim, {
      m: 7,
      seed: 2,
      iterations: 3,
      onSubspace: async (done) => {
        progress.push(done);
      },
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pq.centroids).toBe(Math.min(PQ_CENTROIDS, count));
    const codes = encodeProduct(pq, data);
    const query = randomFloats(dim, 12);
    const scores = new Float64Array(count);
    adcScores(pq, codes, distanceTable(pq, query), scores);
    for (let row = 0; row < count; row++) {
      const reconstructed = decodeProduct(pq, codes, row);
      const truth = reconstructed.reduce((sum, x, i) => sum + x * query[i], 0);
      // The table and the sums are float32 (about 7 significant digits); the terms here are below 10.
      expect(Math.abs(scores[row] - truth)).toBeLessThan(1e-5);
    }
  });

  it('the WebAssembly ADC scan equals the plain JavaScript one bit for bit', () => {
    const random = seededRandom(21);
    // m = 7 and 9 leave a partial group of four (padded in the kernel); 64 is the Search column's m.
    for (const m of [1, 7, 9, 64]) {
      const count = 300;
      const codes = Uint8Array.from({ length: count * m }, () => Math.floor(random() * 256));
      const table = Float32Array.from({ length: m * PQ_CENTROIDS }, () => (random() - 0.5) * 3);
      const pq = { m } as Parameters<typeof adcScores>[0];
      const reference = new Float32Array(count);
      adcScores(pq, codes, table, reference);
      const scanner = new AdcScanner(codes, m);
      expect(Array.from(scanner.scores(table))).toEqual(Array.from(reference));
      // The codes stay in place: a second query's table scans the same rows.
      const other = table.map((x) => -x);
      adcScores(pq, codes, other, reference);
      expect(Array.from(scanner.scores(other))).toEqual(Array.from(reference));
    }
  });
});

describe('IVF-PQ', () => {
  it('puts each row in its nearest cell and codes the residual; with every cell probed, scores are q·(centroid + residual)', async () => {
    expect(ivfLists(2369)).toBe(49);
    expect(ivfLists(1)).toBe(1);
    const cells = assignCells(
      { dim: 2, lists: 2, centroids: Float32Array.from([0, 0, 10, 10]) },
      Float32Array.from([1, 1, 9, 8, -1, 0]),
    );
    expect(Array.from(cells)).toEqual([0, 1, 0]);

    const dim = 12;
    const count = 40; // 6 cells: fewer than the cells probed, so every row is scanned.
    const data = randomFloats(count * dim, 31);
    const { ivf, cells: trainedCells, residual } = await trainIvfProduct(data, dim, { m: 3, seed: 4, iterations: 3 });
    expect(ivf.lists).toBe(6);
    const codes = encodeProduct(ivf.pq, residual);
    const index = await buildQuantizedIndex(
      'ivf-pq',
      { vectors: data, ids: Int32Array.from({ length: count }, (_, i) => 100 + i), dim },
      { pqM: 3, pqSeed: 4 },
    );
    const query = randomFloats(dim, 32);
    const found = index.search(query, { k: count, rescore: 0 });
    expect(found).toHaveLength(count);
    const expected = new Map(
      Array.from({ length: count }, (_, row) => {
        const r = decodeProduct(ivf.pq, codes, row);
        const c = trainedCells[row];
        const score = r.reduce((sum, x, i) => sum + (ivf.centroids[c * dim + i] + x) * query[i], 0);
        return [100 + row, score];
      }),
    );
    for (const { id, score } of found) expect(Math.abs(score - expected.get(id)!)).toBeLessThan(1e-5);
    for (let i = 1; i < found.length; i++) expect(found[i].score).toBeLessThanOrEqual(found[i - 1].score);
  });

  it('the ADC scan of a range of rows is that range of the full scan', () => {
    const random = seededRandom(8);
    const m = 6;
    const codes = Uint8Array.from({ length: 50 * m }, () => Math.floor(random() * 256));
    const table = Float32Array.from({ length: m * PQ_CENTROIDS }, () => random() - 0.5);
    const scanner = new AdcScanner(codes, m);
    const all = Array.from(scanner.scores(table));
    expect(Array.from(scanner.scan(17, 9))).toEqual(all.slice(17, 26));
    expect(() => scanner.scan(45, 9)).toThrow('rows 45–54 of 50');
  });
});

describe('the quantization table', () => {
  const row = (method: QuantMethod, total_bytes: number, recall: number): QuantizationRow => ({
    method,
    bytes_per_vector: total_bytes / 10,
    total_bytes,
    train_ms: 1,
    p50_ms: 0.5,
    p95_ms: 0.9,
    recall,
    needs_floats: method === 'float32' || method === 'binary-rescore',
  });

  it('keeps the methods no other beats on both memory and recall, cheapest first', () => {
    const rows = [row('float32', 4000, 1), row('sq8', 1000, 0.99), row('binary', 125, 0.5), row('pq', 640, 0.4)];
    expect(paretoFront(rows).map((r) => r.method)).toEqual(['binary', 'sq8', 'float32']);
  });

  it('scores each method’s lists by label with the offline evaluation, and writes them as CSV', () => {
    const labelOf = new Map([
      [1, 'a'],
      [2, 'a'],
      [3, 'b'],
      [4, 'b'],
    ]);
    const result: QuantizationResult = {
      rows: [row('float32', 4000, 1), row('binary', 125, 0.5)],
      rankings: { float32: [[2], [4]], binary: [[3], [4]], sq8: [], 'binary-rescore': [], pq: [], 'ivf-pq': [] },
      queryIds: [1, 3],
      k: 1,
      count: 4,
      dim: 100,
    };
    const table = quantizationTable(result, labelOf, [1, 2, 3, 4]);
    expect(table.map((r) => [r.method, r.map, r.ndcg])).toEqual([
      ['float32', 1, 1],
      ['binary', 0.5, 0.5],
    ]);
    const csv = quantizationCsv(table, 1, 2).trim().split('\n');
    expect(csv[0]).toBe(QUANT_CSV_COLUMNS.join(','));
    expect(csv[2]).toBe('binary,12.5,125,1,0.5,0.9,0.5,false,0.5,0.5,1,2');
    // Counted within the two queries alone, neither label would have another relevant image.
    expect(quantizationTable(result, labelOf, [1, 3])[0].map).toBe(0);
    expect(formatBytes(160 * 1_000_000)).toBe('153 MiB');
  });
});
