import { describe, expect, it } from 'vitest';
import { decodeEmbeddingBundle, encodeEmbeddingBundle, type EmbeddingBundle } from '../../src/lib/embeddingBundle';

const bundle: EmbeddingBundle = {
  modelId: 'mobilenet_v1_025_224_rebuilt',
  dim: 3,
  preprocessing: 'centre-crop-area-224-v2',
  hashes: ['a'.repeat(64), 'b'.repeat(64)],
  vectors: Float32Array.from([0.6, 0.8, 0, -1, 0, 1e-7]),
};

function withUint32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

/** A bundle file with any header, as another writer might produce it. */
function rawBundle(header: object, floats: number): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(Math.ceil((12 + text.length) / 4) * 4 + floats * 4);
  out.set(new TextEncoder().encode('VSLE'));
  new DataView(out.buffer).setUint32(4, 1, true);
  new DataView(out.buffer).setUint32(8, text.length, true);
  out.set(text, 12);
  return out;
}

describe('embedding bundle', () => {
  it('round-trips every field and every float exactly', () => {
    const decoded = decodeEmbeddingBundle(encodeEmbeddingBundle(bundle));
    expect(decoded).toEqual(bundle);
    expect(decoded.vectors).toBeInstanceOf(Float32Array);
  });

  it('lays out magic, version, header length, padded JSON header and little-endian rows', () => {
    const bytes = encodeEmbeddingBundle(bundle);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('VSLE');
    expect(view.getUint32(4, true)).toBe(1);
    const headerLength = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    expect(header).toEqual({
      modelId: bundle.modelId,
      dim: 3,
      count: 2,
      preprocessing: bundle.preprocessing,
      hashes: bundle.hashes,
    });
    const start = Math.ceil((12 + headerLength) / 4) * 4;
    expect(bytes.subarray(12 + headerLength, start).every((b) => b === 0)).toBe(true);
    expect(bytes.length).toBe(start + 6 * 4);
    expect(view.getFloat32(start + 4, true)).toBeCloseTo(0.8, 6);
  });

  it('decodes from an ArrayBuffer and from a Uint8Array that is a view into a larger buffer', () => {
    const bytes = encodeEmbeddingBundle(bundle);
    expect(decodeEmbeddingBundle(bytes.slice().buffer)).toEqual(bundle);
    const larger = new Uint8Array(bytes.length + 3);
    larger.set(bytes, 3);
    expect(decodeEmbeddingBundle(larger.subarray(3))).toEqual(bundle);
  });

  it('holds an empty catalogue', () => {
    const empty = { ...bundle, hashes: [], vectors: new Float32Array(0) };
    expect(decodeEmbeddingBundle(encodeEmbeddingBundle(empty))).toEqual(empty);
  });

  it('refuses to encode vectors that do not match the hashes', () => {
    expect(() => encodeEmbeddingBundle({ ...bundle, vectors: new Float32Array(5) })).toThrow(/need 6 floats, got 5/);
  });

  it('refuses a file that is not a bundle', () => {
    expect(() => decodeEmbeddingBundle(new TextEncoder().encode('{"not": "a bundle"}'))).toThrow(/bad magic/);
  });

  it('refuses another format version', () => {
    expect(() => decodeEmbeddingBundle(withUint32(encodeEmbeddingBundle(bundle), 4, 2))).toThrow(
      /format version 2 is not supported/,
    );
  });

  it('refuses a truncated file: before the header, inside the header, inside the rows', () => {
    const bytes = encodeEmbeddingBundle(bundle);
    expect(() => decodeEmbeddingBundle(bytes.subarray(0, 8))).toThrow(/truncated/);
    expect(() => decodeEmbeddingBundle(bytes.subarray(0, 40))).toThrow(/truncated/);
    expect(() => decodeEmbeddingBundle(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
  });

  it('refuses a count that disagrees with the hashes or with the rows present', () => {
    const header = { modelId: 'm', dim: 3, count: 3, preprocessing: 'p', hashes: ['a', 'b'] };
    expect(() => decodeEmbeddingBundle(rawBundle(header, 6))).toThrow(
      /count mismatch \(header says 3 rows, lists 2 hashes\)/,
    );
    const extra = new Uint8Array(encodeEmbeddingBundle(bundle).length + 12);
    extra.set(encodeEmbeddingBundle(bundle));
    expect(() => decodeEmbeddingBundle(extra)).toThrow(/count mismatch \(12 bytes after 2 rows\)/);
  });

  it('refuses a header that is not JSON or lacks a field', () => {
    const bytes = encodeEmbeddingBundle(bundle);
    const broken = bytes.slice();
    broken[12] = 0x21; // '!' instead of '{'
    expect(() => decodeEmbeddingBundle(broken)).toThrow(/not valid JSON/);
    const noPreprocessing = rawBundle({ modelId: 'm', dim: 3, count: 0, hashes: [] }, 0);
    expect(() => decodeEmbeddingBundle(noPreprocessing)).toThrow(/lacks modelId, dim, count, preprocessing or hashes/);
  });

  it("keeps each row's tags when it has them, and reads bundles made before tags existed", () => {
    const tagged = { ...bundle, tags: [[{ cls: 281, p: 0.6 }], []] };
    expect(decodeEmbeddingBundle(encodeEmbeddingBundle(tagged)).tags).toEqual(tagged.tags);
    expect(decodeEmbeddingBundle(encodeEmbeddingBundle(bundle)).tags).toBeUndefined();
  });

  it('refuses tags that are not one valid row per hash', () => {
    expect(() => encodeEmbeddingBundle({ ...bundle, tags: [[]] })).toThrow(/tag rows/);
    const header = { modelId: 'm', dim: 3, count: 2, preprocessing: 'p', hashes: ['a', 'b'] };
    expect(() => decodeEmbeddingBundle(rawBundle({ ...header, tags: [[]] }, 6))).toThrow(/one row per hash/);
    expect(() => decodeEmbeddingBundle(rawBundle({ ...header, tags: [[1], []] }, 6))).toThrow(/pairs/);
  });
});
