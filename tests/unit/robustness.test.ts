import { describe, expect, it } from 'vitest';
import { PAGE_POLICY, policyForPath } from '../../src/lib/contentSecurityPolicy';
import { heapRefusal, maxVectorsInHeap } from '../../src/lib/hnswMemory';
import { sniffImageFormat, unsupportedFormat } from '../../src/lib/imageFormat';
import { expectedGroupBytes, weightsManifest } from '../../src/lib/modelWeights';
import { makeAnimatedGif, makeCmykJpeg, makeScriptedSvg } from '../fixtures/badImages';
import { makeCorruptJpeg, makeJpeg, makePng } from '../fixtures/images';

describe('image formats are told by their bytes', () => {
  const raster = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(200) };
  it('knows JPEG (RGB and CMYK), PNG, WebP and GIF', () => {
    expect(sniffImageFormat(makeJpeg(8, 8))).toBe('jpeg');
    expect(sniffImageFormat(makeCmykJpeg(raster))).toBe('jpeg');
    expect(sniffImageFormat(makePng(8, 8))).toBe('png');
    expect(sniffImageFormat(new Uint8Array([...Buffer.from('RIFF'), 1, 2, 3, 4, ...Buffer.from('WEBPVP8 ')]))).toBe(
      'webp',
    );
    expect(sniffImageFormat(makeAnimatedGif([raster, raster]))).toBe('gif');
  });
  it('refuses SVG (it can carry script) and text, whatever the file is called', () => {
    expect(unsupportedFormat(makeScriptedSvg())).toMatch(/^an SVG or XML document: only JPEG, PNG, WebP or GIF/);
    expect(unsupportedFormat(Buffer.from('  <?xml version="1.0"?><svg/>'))).toMatch(/SVG/);
    expect(unsupportedFormat(Buffer.from('hello, I am text'))).toMatch(/^not an image the app decodes/);
    expect(unsupportedFormat(new Uint8Array(0))).not.toBeNull();
    // A corrupt JPEG still starts like one: the decoder reports it.
    expect(unsupportedFormat(makeCorruptJpeg())).toBeNull();
  });
});

describe('model weight files', () => {
  it('expects the bytes the weights need, in their stored (quantised) type', () => {
    const group = {
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: 'a', shape: [3, 3, 3, 8], dtype: 'float32' },
        { name: 'b', shape: [8], dtype: 'float32', quantization: { dtype: 'uint8' } },
        { name: 'c', shape: [], dtype: 'int32' },
      ],
    };
    expect(expectedGroupBytes(group)).toBe(216 * 4 + 8 + 4);
    expect(expectedGroupBytes({ paths: [], weights: [{ name: 'd', shape: [2], dtype: 'complex64' }] })).toBeNull();
  });
  it('reads the weights manifest only when it has the expected shape', () => {
    expect(weightsManifest({ weightsManifest: [{ paths: ['x.bin'], weights: [] }] })).toHaveLength(1);
    expect(weightsManifest({ modelTopology: {} })).toBeNull();
    expect(weightsManifest({ weightsManifest: [{ paths: 'x.bin' }] })).toBeNull();
    expect(weightsManifest(null)).toBeNull();
  });
});

describe('an index past the wasm heap is refused before anything is allocated', () => {
  it('accepts up to the limit and refuses one more, naming the numbers', () => {
    const limit = maxVectorsInHeap(1280, 16);
    expect(limit).toBeGreaterThan(300_000);
    expect(heapRefusal(limit, 1280, 16)).toBeNull();
    expect(heapRefusal(limit + 1, 1280, 16)).toBe(
      `${(limit + 1).toLocaleString('en')} vectors would pass the 2 GiB wasm heap (≈ ${limit.toLocaleString('en')} fit at 1280-d, M=16)`,
    );
    // A larger M leaves room for fewer vectors.
    expect(heapRefusal(limit, 1280, 128)).not.toBeNull();
  });
});

describe('Content-Security-Policy', () => {
  const directives = (policy: string) =>
    new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));
  it('names no remote origin and allows no inline script or eval on the page', () => {
    for (const policy of [
      PAGE_POLICY,
      policyForPath('/'),
      policyForPath('/assets/embed.worker-B1dC_A0w.js'),
      policyForPath('/assets/search.worker-x.js'),
    ]) {
      expect(policy).not.toMatch(/https?:|\*|'unsafe-inline'|'strict-dynamic'|data:[^;]*script/);
      expect(directives(policy).get('default-src')).toEqual(["'none'"]);
    }
    expect(directives(PAGE_POLICY).get('script-src')).toEqual(["'self'"]);
    expect(directives(policyForPath('/index.html')).get('frame-ancestors')).toEqual(["'none'"]);
  });
  it("gives 'unsafe-eval' to the hnswlib workers only, and blob: scripts to the tfjs workers only", () => {
    const scriptSrc = (path: string) => directives(policyForPath(path)).get('script-src');
    expect(scriptSrc('/assets/search.worker-BUKia5-l.js')).toContain("'unsafe-eval'");
    expect(scriptSrc('/assets/scale.worker-DF1K0Ile.js?x=1')).toContain("'unsafe-eval'");
    expect(scriptSrc('/assets/embed.worker-B1dC_A0w.js')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    // The detector runs on the same tfjs backends as the embedding workers.
    expect(scriptSrc('/assets/detect.worker-Dx9_a1.js')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(scriptSrc('/assets/index-CANQKjPx.js')).toEqual(["'self'"]);
    expect(scriptSrc('/catalogues/x/images/search.worker-a.js.jpg')).toEqual(["'self'"]);
  });
  it("lets the tfjs workers read the page's own blob: URLs (images you gave), and no other worker", () => {
    const connectSrc = (path: string) => directives(policyForPath(path)).get('connect-src');
    expect(connectSrc('/assets/embed.worker-B1dC_A0w.js')).toEqual(["'self'", 'blob:']);
    expect(connectSrc('/assets/detect.worker-Dx9_a1.js')).toEqual(["'self'", 'blob:']);
    expect(connectSrc('/assets/search.worker-BUKia5-l.js')).toEqual(["'self'"]);
  });
  it('gives the known-vectors worker, which only downloads a file of this origin and reads IndexedDB, the base policy and nothing more', () => {
    const policy = directives(policyForPath('/assets/knownVectors.worker-Ab3_x.js'));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.has('worker-src')).toBe(false);
  });
});
