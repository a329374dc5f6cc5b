import { describe, expect, it } from 'vitest';
import type { EmbeddingBundle } from '../../src/lib/embeddingBundle';
import type { CatalogueManifest } from '../../src/lib/types';
import { exportTable, toFvecs, toMetadataJsonl, toNpy } from '../../src/lib/vectorExport';

const vectors = Float32Array.from([1, 0, 0, 0, 0.6, 0.8]);

describe('toNpy', () => {
  it('writes the NumPy 1.0 magic and a header dict padded so the data starts at a multiple of 64', () => {
    const bytes = toNpy(vectors, 3);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(bytes.length).toBe(10 + headerLength + 6 * 4);
    expect(new DataView(bytes.buffer).getFloat32(10 + headerLength + 5 * 4, true)).toBeCloseTo(0.8, 6);
  });
  it('refuses floats that do not make whole rows', () => {
    expect(() => toNpy(vectors, 4)).toThrow(/do not make rows of 4/);
  });
});

describe('toFvecs', () => {
  it('prefixes every row with its dimension as int32', () => {
    const view = new DataView(toFvecs(vectors, 3).buffer);
    expect(view.byteLength).toBe(2 * (4 + 12));
    expect(view.getInt32(0, true)).toBe(3);
    expect(view.getFloat32(4, true)).toBe(1);
    expect(view.getInt32(16, true)).toBe(3);
    expect(view.getFloat32(16 + 4 + 8, true)).toBeCloseTo(0.8, 6);
  });
});

describe('exportTable and toMetadataJsonl', () => {
  const bundle: EmbeddingBundle = { modelId: 'm', dim: 3, preprocessing: 'p', hashes: ['h-cat', 'h-dog'], vectors };
  const manifest: CatalogueManifest = {
    format: 1,
    id: 'c',
    name: 'c',
    items: [
      { id: 0, file: 'cats/a.jpg', label: 'cats', width: 1, height: 1, hash: 'h-cat' },
      { id: 1, file: 'broken.jpg', label: '', width: null, height: null, hash: 'h-broken' },
      { id: 2, file: 'dogs/b.jpg', label: 'dogs', width: 1, height: 1, hash: 'h-dog' },
      { id: 3, file: 'cats/copy of a.jpg', label: 'cats', width: 1, height: 1, hash: 'h-cat' },
    ],
  };

  it('follows the catalogue with a manifest: items without a vector left out, duplicates keep their own row', () => {
    const table = exportTable(bundle, manifest);
    expect(table.rows.map((r) => r.id)).toEqual([0, 2, 3]);
    expect([...table.vectors]).toEqual([1, 0, 0, ...[0, 0.6, 0.8].map(Math.fround), 1, 0, 0]);
    expect(toMetadataJsonl(table.rows).split('\n')).toEqual([
      '{"id":0,"file":"cats/a.jpg","label":"cats","hash":"h-cat"}',
      '{"id":2,"file":"dogs/b.jpg","label":"dogs","hash":"h-dog"}',
      '{"id":3,"file":"cats/copy of a.jpg","label":"cats","hash":"h-cat"}',
      '',
    ]);
  });

  it('follows the bundle without a manifest', () => {
    const table = exportTable(bundle);
    expect(table.rows).toEqual([
      { id: 0, file: null, label: null, hash: 'h-cat' },
      { id: 1, file: null, label: null, hash: 'h-dog' },
    ]);
    expect(table.vectors).toEqual(vectors);
  });
});
