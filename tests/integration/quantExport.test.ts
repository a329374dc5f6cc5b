import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEmbeddingBundle } from '../../src/lib/embeddingBundle';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { exactTopK } from '../../src/lib/exactSearch';
import { decodeScalar, encodeScalar, trainScalarQuantizer } from '../../src/features/quantize/shared/scalarQuantizer';
import {
  decodeProduct,
  encodeProduct,
  trainProductQuantizer,
} from '../../src/features/quantize/shared/productQuantizer';
import { encodeBinary, trainBinaryQuantizer } from '../../src/features/quantize/shared/binaryCodes';
import { hammingReference } from '../../src/features/quantize/worker/quantKernel';
import { nearestByHamming } from '../../src/features/quantize/worker/quantizedIndex';
import { PQ_SEED } from '../../src/features/quantize/shared/methods';

/**
 * `npm run export -- --codes`, read by NumPy and FAISS from Debian (python3-numpy, python3-faiss), and
 * the snippet of docs/formats.md that loads the codes run as written.
 */
const PYTHON = process.env.DEBIAN_PYTHON ?? '/usr/bin/python3';
const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'tests', '.fixtures', 'quant-export');
const out = join(dir, 'out');
const DIM = 24;
const COUNT = 300;
const PQ_M = 6;
const run = promisify(execFile);
const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: 6, spread: 0.5, seed: 4 });

async function python(code: string): Promise<string> {
  return (await run(PYTHON, ['-c', code], { cwd: out })).stdout;
}

function snippet(): string {
  const doc = readFileSync(join(root, 'docs', 'formats.md'), 'utf8');
  const match = /<!-- executed by tests\/integration\/quantExport\.test\.ts -->\n```python\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/formats.md has no snippet marked for quantExport.test.ts');
  return match[1];
}

describe('npm run export -- --codes, read by NumPy and FAISS', () => {
  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const hashes = Array.from({ length: COUNT }, (_, i) => i.toString(16).padStart(64, '0'));
    writeFileSync(
      join(dir, 'bundle.vsle'),
      encodeEmbeddingBundle({ modelId: 'm', dim: DIM, preprocessing: 'p', hashes, vectors }),
    );
    await run(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['datasets/export.ts', join(dir, 'bundle.vsle'), '--out', out, '--codes', '--pq-m', String(PQ_M)],
      { cwd: root },
    );
  });

  it('NumPy reads each array with its dtype and shape, every value what the quantizers give', async () => {
    const sq = trainScalarQuantizer(vectors, DIM);
    const sqCodes = encodeScalar(sq, vectors);
    const decodedRow7 = Array.from(decodeScalar(sq, sqCodes, 7));
    const printed = await python(
      'import numpy as np\n' +
        'for name in ["sq8_codes", "sq8_ranges", "binary_codes", "binary_means", "pq_codes", "pq_codebooks"]:\n' +
        '    a = np.load(name + ".npy"); print(name, a.dtype, a.shape)\n' +
        'c = np.load("sq8_codes.npy").astype(np.float32); low, step = np.load("sq8_ranges.npy")\n' +
        'print(" ".join(repr(float(v)) for v in (low + step * (c[7] + 128)).astype(np.float32)))\n',
    );
    const lines = printed.trim().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      `sq8_codes int8 (${COUNT}, ${DIM})`,
      `sq8_ranges float32 (2, ${DIM})`,
      `binary_codes uint8 (${COUNT}, ${DIM / 8})`,
      `binary_means float32 (${DIM},)`,
      `pq_codes uint8 (${COUNT}, ${PQ_M})`,
      `pq_codebooks float32 (${PQ_M}, 256, ${DIM / PQ_M})`,
    ]);
    const fromNumpy = lines[6].split(' ').map(Number);
    fromNumpy.forEach((value, i) => expect(value).toBeCloseTo(decodedRow7[i], 6));
  });

  it("docs/formats.md's snippet loads the codes into FAISS, which ranks and decodes them as the app does", async () => {
    const printed = (await python(snippet())).trim().split('\n');
    // Binary: FAISS's Hamming ranking of row 0 is the app's (ties in row order both).
    const bq = trainBinaryQuantizer(vectors, DIM);
    const bits = encodeBinary(bq, vectors);
    const distances = hammingReference(bits, bits.subarray(0, bq.rowBytes), bq.rowBytes);
    const binaryLine = printed
      .find((line) => line.startsWith('binary '))!
      .split(' ')
      .slice(1)
      .map(Number);
    const ours = Array.from(nearestByHamming(distances, COUNT, DIM, 5));
    expect(binaryLine.map((row) => distances[row])).toEqual(ours.map((row) => distances[row]));
    expect(binaryLine[0]).toBe(0);
    // PQ: FAISS decodes every code.
    expect(printed).toContain(`pq ${COUNT} ${DIM}`);
    // SQ8: the decoded vectors' top 5 for row 0, as the app's decoded vectors rank them.
    const sq = trainScalarQuantizer(vectors, DIM);
    const codes = encodeScalar(sq, vectors);
    const decoded = new Float32Array(COUNT * DIM);
    for (let row = 0; row < COUNT; row++) decoded.set(decodeScalar(sq, codes, row), row * DIM);
    const ids = Int32Array.from({ length: COUNT }, (_, i) => i);
    const sq8Line = printed
      .find((line) => line.startsWith('sq8 '))!
      .split(' ')
      .slice(1)
      .map(Number);
    expect(sq8Line).toEqual(exactTopK(decoded, ids, DIM, vectors.subarray(0, DIM), 5).map((n) => n.id));
  });

  it('FAISS decodes the PQ codes to the app’s reconstructions', async () => {
    const pq = await trainProductQuantizer(vectors, DIM, { m: PQ_M, seed: PQ_SEED });
    const codes = encodeProduct(pq, vectors);
    const printed = await python(
      'import faiss, numpy as np\n' +
        'codebooks = np.load("pq_codebooks.npy"); m, ksub, dsub = codebooks.shape\n' +
        'pq = faiss.ProductQuantizer(m * dsub, m, 8); faiss.copy_array_to_vector(codebooks.ravel(), pq.centroids)\n' +
        'decoded = pq.decode(np.load("pq_codes.npy"))\n' +
        'print(" ".join(repr(float(v)) for v in decoded[11]))\n',
    );
    const ours = Array.from(decodeProduct(pq, codes, 11));
    expect(printed.trim().split(' ').map(Number)).toEqual(ours);
  });
});
