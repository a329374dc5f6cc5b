import { formatCount } from '../../../lib/formatCount';
import { annRecallAtK } from '../../../lib/annRecall';
import { TopK, dot } from '../../../lib/exactSearch';
import { quantile } from '../../../lib/stats';
import { encodeBinary, trainBinaryQuantizer } from '../shared/binaryCodes';
import {
  COMPACT_BUDGET_BYTES,
  COMPACT_SCALE_METHODS,
  type CompactScaleProgress,
  type CompactScaleRequest,
  type CompactScaleRow,
} from '../shared/compactScale';
import { bytesPerVector } from '../shared/methods';
import { encodeScalar, scalarQuery, trainScalarQuantizer } from '../shared/scalarQuantizer';
import { SeededRows } from '../shared/seededRows';
import { ExactScanner } from '../../search/worker/exactScan';
import { CodeScanner } from './quantKernel';
import { nearestByHamming } from './quantizedIndex';

/**
 * Like image embeddings: a few dozen classes, varying along a few directions (8, half the
 * Scale lab's HNSW rows' 16, since each of a million rows is made once and the rescored ones again).
 */
const CLUSTERS = 40;
const INTRINSIC_DIM = 8;
const SPREAD = 0.8;
/** Rows the quantizers are trained on (ranges, means), the first of the N. */
const TRAINING_ROWS = 10_000;
const CHUNK = 1000;

interface Checkpoint {
  checkpoint(): Promise<void>;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * SQ8 and binary + rescoring at N vectors that float32 could not hold: the rows are generated
 * once, a chunk at a time, each chunk encoded into both methods' codes and scored against the
 * held-out queries for the exact top k; the floats are then dropped. A rescoring regenerates the
 * R rows it reads from the seed. A method whose codes exceed the budget is refused with its numbers.
 */
export async function measureCompactScale(
  request: CompactScaleRequest,
  job: Checkpoint,
  onProgress: (progress: CompactScaleProgress) => void,
): Promise<CompactScaleRow[]> {
  const { n, dim, k, queries: q, rescore, seed } = request;
  const floatBytes = n * dim * 4;
  const codeBytes = (method: (typeof COMPACT_SCALE_METHODS)[number]) => n * bytesPerVector(method, dim, 0);
  const refusal = (method: (typeof COMPACT_SCALE_METHODS)[number]) =>
    codeBytes(method) > COMPACT_BUDGET_BYTES
      ? `${formatCount(n)} codes of ${bytesPerVector(method, dim, 0)} bytes take ${mib(codeBytes(method))}, past the ${mib(COMPACT_BUDGET_BYTES)} budget of one method's codes`
      : null;
  const base = { n, floatBytes, passMs: 0, queryMs: 0, p95Ms: 0, recall: 0 };
  const refused = COMPACT_SCALE_METHODS.map((method) => refusal(method));
  if (refused.every((r) => r !== null)) {
    return COMPACT_SCALE_METHODS.map((method, i) => ({
      ...base,
      method,
      refused: refused[i],
      codeBytes: codeBytes(method),
    }));
  }
  const wantSq8 = refused[0] === null;
  const wantBinary = refused[1] === null;

  const source = new SeededRows({ dim, clusters: CLUSTERS, spread: SPREAD, intrinsicDim: INTRINSIC_DIM, seed });
  const start = performance.now();
  const sample = source.rows(0, Math.min(n, TRAINING_ROWS));
  const sq = trainScalarQuantizer(sample, dim);
  const bq = trainBinaryQuantizer(sample, dim);
  const sq8Codes = wantSq8 ? new CodeScanner(n, sq.rowBytes) : null;
  const binaryCodes = wantBinary ? new CodeScanner(n, bq.rowBytes) : null;
  const queries = Array.from({ length: q }, (_, i) => source.rows(n + i, n + i + 1));
  const truthTop = queries.map(() => new TopK(Math.min(k, n)));
  // The exact top k of each query, chunk by chunk with the exact scan's kernel, merged in row order.
  const exact = new ExactScanner(CHUNK, dim);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    const chunk = source.rows(from, to);
    if (sq8Codes) sq8Codes.codes.set(new Uint8Array(encodeScalar(sq, chunk).buffer), from * sq.rowBytes);
    if (binaryCodes) binaryCodes.codes.set(encodeBinary(bq, chunk), from * bq.rowBytes);
    exact.vectors.set(chunk);
    const chunkRows = Int32Array.from({ length: to - from }, (_, i) => from + i);
    for (let i = 0; i < q; i++) {
      for (const hit of exact.topK(chunkRows, queries[i], k)) truthTop[i].offer(hit.score, hit.id);
    }
    onProgress({ stage: `N = ${formatCount(n)}: generating, encoding, exact top ${k}`, done: to, total: n });
    await job.checkpoint();
  }
  const passMs = performance.now() - start;
  const rowIds = Int32Array.from({ length: n }, (_, i) => i);
  const truth = truthTop.map((top) => top.neighbours(rowIds).map((x) => x.id));

  const rows: CompactScaleRow[] = [];
  const timeQueries = async (method: string, search: (query: Float32Array) => number[]) => {
    const times: number[] = [];
    let recall = 0;
    for (let i = 0; i < q; i++) {
      const t = performance.now();
      const found = search(queries[i]);
      times.push(performance.now() - t);
      recall += annRecallAtK(truth[i], found) / q;
      onProgress({ stage: `N = ${formatCount(n)}: ${method} queries`, done: i + 1, total: q });
      await job.checkpoint();
    }
    return { queryMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95), recall };
  };
  const want = Math.min(k, n);
  if (sq8Codes) {
    const measured = await timeQueries('SQ8', (query) => {
      const { weights, offset, scale } = scalarQuery(sq, query);
      const sums = sq8Codes.int8Dots(weights);
      const top = new TopK(want);
      for (let row = 0; row < n; row++) top.offer(offset + scale * sums[row], row);
      return top.neighbours(rowIds).map((x) => x.id);
    });
    rows.push({ ...base, method: 'sq8', refused: null, codeBytes: codeBytes('sq8'), passMs, ...measured });
  } else {
    rows.push({ ...base, method: 'sq8', refused: refused[0], codeBytes: codeBytes('sq8') });
  }
  if (binaryCodes) {
    const floats = new Float32Array(dim);
    const measured = await timeQueries('binary + rescoring', (query) => {
      const distances = binaryCodes.hamming(encodeBinary(bq, query));
      const candidates = nearestByHamming(distances, n, dim, Math.max(want, rescore)).sort();
      const top = new TopK(want);
      for (const row of candidates) {
        source.row(row, floats);
        top.offer(dot(floats, 0, query, dim), row);
      }
      return top.neighbours(rowIds).map((x) => x.id);
    });
    rows.push({
      ...base,
      method: 'binary-rescore',
      refused: null,
      codeBytes: codeBytes('binary-rescore'),
      passMs,
      ...measured,
    });
  } else {
    rows.push({ ...base, method: 'binary-rescore', refused: refused[1], codeBytes: codeBytes('binary-rescore') });
  }
  return rows;
}
