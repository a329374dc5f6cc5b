import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEmbeddingBundle } from '../../src/lib/embeddingBundle';
import { l2NormaliseRows } from '../../src/lib/preprocess';
import type { CatalogueManifest } from '../../src/lib/types';

/**
 * The exported files read by readers that are not ours: NumPy and FAISS from Debian
 * (python3-numpy, python3-faiss; .ci/run installs them), and the snippets of docs/formats.md run as written.
 */
const PYTHON = process.env.DEBIAN_PYTHON ?? '/usr/bin/python3';
const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'tests', '.fixtures', 'export');
const out = join(dir, 'out');
const DIM = 16;
const COUNT = 40;
const run = promisify(execFile);

async function python(code: string): Promise<string> {
  try {
    return (await run(PYTHON, ['-c', code], { cwd: out })).stdout;
  } catch (error) {
    throw new Error(`${PYTHON} failed (needs Debian's python3-numpy and python3-faiss): ${String(error)}`, {
      cause: error,
    });
  }
}

/** Unit vectors in 4 well-separated clusters, a catalogue item per row plus one duplicate file. */
function makeExport(): { vectors: Float32Array; manifest: CatalogueManifest } {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const vectors = new Float32Array(COUNT * DIM);
  for (let row = 0; row < COUNT; row++) {
    for (let d = 0; d < DIM; d++) vectors[row * DIM + d] = (d === row % 4 ? 5 : 0) + random();
  }
  l2NormaliseRows(vectors, DIM);
  const hashes = Array.from({ length: COUNT }, (_, i) => i.toString(16).padStart(64, '0'));
  const items = hashes.map((hash, id) => ({
    id,
    file: `class${id % 4}/img ${id}.jpg`,
    label: `class${id % 4}`,
    width: 1,
    height: 1,
    hash,
  }));
  items.push({ id: COUNT, file: 'class0/copy of img 0.jpg', label: 'class0', width: 1, height: 1, hash: hashes[0] });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'bundle.vsle'),
    encodeEmbeddingBundle({ modelId: 'm', dim: DIM, preprocessing: 'p', hashes, vectors }),
  );
  const manifest: CatalogueManifest = { format: 1, id: 'c', name: 'c', items };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { vectors, manifest };
}

/** The doc whose ```python blocks, marked as executed by this test, run here as written. */
const SNIPPETS_DOC = join(root, 'docs', 'formats.md');

function docSnippets(): string[] {
  const doc = readFileSync(SNIPPETS_DOC, 'utf8');
  return [
    ...doc.matchAll(/<!-- executed by tests\/integration\/exportReaders\.test\.ts -->\n```python\n([\s\S]*?)```/g),
  ].map((m) => m[1]);
}

describe('npm run export, read by NumPy and FAISS', () => {
  let expected: Float32Array;
  beforeAll(async () => {
    const made = makeExport();
    // Export rows follow the catalogue: the duplicate file repeats row 0.
    expected = new Float32Array([...made.vectors, ...made.vectors.subarray(0, DIM)]);
    await run(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['datasets/export.ts', join(dir, 'bundle.vsle'), '--manifest', join(dir, 'manifest.json'), '--out', out],
      {
        cwd: root,
      },
    );
  });

  it('numpy.load reads the .npy as float32 (count, dim), C order, every value exact', async () => {
    const result = JSON.parse(
      await python(
        'import json, numpy as np\n' +
          'a = np.load("embeddings.npy")\n' +
          'print(json.dumps({"dtype": str(a.dtype), "shape": a.shape, "c": bool(a.flags["C_CONTIGUOUS"]), "values": a.ravel().tolist()}))',
      ),
    );
    expect(result).toMatchObject({ dtype: 'float32', shape: [COUNT + 1, DIM], c: true });
    expect(result.values).toEqual([...expected]);
  });

  it('numpy reads the .fvecs rows as dim then floats, every value exact', async () => {
    const result = JSON.parse(
      await python(
        'import json, numpy as np\n' +
          'raw = np.fromfile("embeddings.fvecs", dtype="<i4").reshape(-1, 17)\n' +
          'print(json.dumps({"dims": raw[:, 0].tolist(), "values": raw[:, 1:].copy().view("<f4").ravel().tolist()}))',
      ),
    );
    expect(result.dims).toEqual(new Array(COUNT + 1).fill(DIM));
    expect(result.values).toEqual([...expected]);
  });

  it('the metadata has one line per row, in the same order', () => {
    const lines = readFileSync(join(out, 'metadata.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(COUNT + 1);
    expect(lines[COUNT]).toEqual({ id: COUNT, file: 'class0/copy of img 0.jpg', label: 'class0', hash: lines[0].hash });
  });

  it("docs/formats.md's FAISS snippets run as written and find the right neighbours", async () => {
    const snippets = docSnippets();
    expect(snippets, 'docs/formats.md marks two snippets as executed by this test').toHaveLength(2);
    const [npySnippet, fvecsSnippet] = snippets;
    const found = (await python(npySnippet)).trim().split('\n');
    expect(found).toHaveLength(5);
    // The nearest are the image itself and its byte-identical copy (score 1), then its own cluster.
    expect(found.slice(0, 2).map((line) => line.split(' ')[0])).toEqual(['1.0000', '1.0000']);
    for (const line of found) expect(line.endsWith(' class0')).toBe(true);
    expect((await python(fvecsSnippet)).trim()).toBe(`(${COUNT + 1}, ${DIM})`);
  });
});
