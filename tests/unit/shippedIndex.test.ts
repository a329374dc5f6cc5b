import { describe, expect, it } from 'vitest';
import {
  SHIPPED_INDEX_FORMAT,
  parseShippedIndexMeta,
  sha256Hex,
  shippedBytesProblem,
  shippedIndexFiles,
  shippedIndexMismatch,
  type ShippedIndexMeta,
} from '../../src/lib/shippedIndex';

const bytes = new TextEncoder().encode('an hnswlib index, as far as this test cares');

async function meta(): Promise<ShippedIndexMeta> {
  return {
    format: SHIPPED_INDEX_FORMAT,
    modelId: 'mobilenet_v2',
    preprocessing: 'p2',
    M: 16,
    efConstruction: 200,
    fingerprint: '48-0123456789abcdef',
    count: 48,
    dim: 1280,
    bytes: bytes.byteLength,
    checksum: await sha256Hex(bytes),
    buildMs: 321,
  };
}

const wanted = {
  modelId: 'mobilenet_v2',
  preprocessing: 'p2',
  M: 16,
  efConstruction: 200,
  fingerprint: '48-0123456789abcdef',
};

describe('the shipped index', () => {
  it('lies beside its bundle, in a catalogue and in an images folder', () => {
    expect(shippedIndexFiles('http://x/catalogues/c/embeddings/m.vsle')).toEqual({
      index: 'http://x/catalogues/c/embeddings/m.hnsw',
      meta: 'http://x/catalogues/c/embeddings/m.hnsw.json',
    });
    expect(shippedIndexFiles('/photos/visual-search.m.vsle').index).toBe('/photos/visual-search.m.hnsw');
  });

  it('serves when the knobs, model, preprocessing and vectors all match', async () => {
    expect(shippedIndexMismatch(await meta(), wanted)).toBeNull();
  });

  it('is not served for other knobs, and the notice names both', async () => {
    const notice = shippedIndexMismatch(await meta(), { ...wanted, M: 8 });
    expect(notice).toContain('M=16, efConstruction=200');
    expect(notice).toContain('M=8, efConstruction=200');
    expect(notice).toContain('built here');
    expect(shippedIndexMismatch(await meta(), { ...wanted, efConstruction: 100 })).toContain('efConstruction=100');
  });

  it('is not served over another model, preprocessing or set of vectors', async () => {
    expect(shippedIndexMismatch(await meta(), { ...wanted, modelId: 'other' })).toContain('not other');
    expect(shippedIndexMismatch(await meta(), { ...wanted, preprocessing: 'p3' })).toContain('"p2", not "p3"');
    expect(shippedIndexMismatch(await meta(), { ...wanted, fingerprint: '47-0123456789abcdef' })).toContain(
      'other images',
    );
  });

  it('accepts its bytes and refuses truncated or altered ones', async () => {
    expect(await shippedBytesProblem(bytes, await meta())).toBeNull();
    expect(await shippedBytesProblem(bytes.subarray(1), await meta())).toContain('bytes, not the');
    const altered = bytes.slice();
    altered[3] ^= 1;
    expect(await shippedBytesProblem(altered, await meta())).toContain('checksum does not match');
  });

  it('reads its description and says what is missing from a bad one', async () => {
    const good = await meta();
    expect(parseShippedIndexMeta(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(() => parseShippedIndexMeta([])).toThrow(/format undefined/);
    expect(() => parseShippedIndexMeta({ ...good, format: 2 })).toThrow('format 2, not 1');
    expect(() => parseShippedIndexMeta({ ...good, checksum: '' })).toThrow('no checksum');
    expect(() => parseShippedIndexMeta({ ...good, M: 1.5 })).toThrow('no whole M');
    expect(() => parseShippedIndexMeta('{}')).toThrow('not a JSON object');
  });
});
