/**
 * A trained projection head as plain numbers: dense layers (ReLU between them, none after the
 * last) from the frozen MobileNet embedding to d' dimensions, the output L2-normalised. Applied
 * in plain TypeScript, so the search path, the Node CLI and the tests all use the same code
 * without TensorFlow.js.
 */
export interface DenseLayer {
  inputDim: number;
  outputDim: number;
  /** inputDim × outputDim, row-major (x · W). */
  weights: Float32Array;
  bias: Float32Array;
}

/** The knobs a head was trained with: part of the key it is stored under. */
export interface HeadSettings {
  positives: string;
  split: string;
  testFraction: number;
  epochs: number;
  temperature: number;
  dim: number;
  /** 1 = linear; 2 = one hidden layer (MLP). */
  layers: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  ips: boolean;
}

export interface ProjectionHead {
  /** The embedding model the head sits on, and the preprocessing of its vectors. */
  modelId: string;
  preprocessing: string;
  catalogueId: string;
  settings: HeadSettings;
  layers: DenseLayer[];
}

export function headInputDim(head: ProjectionHead): number {
  return head.layers[0].inputDim;
}

export function headOutputDim(head: ProjectionHead): number {
  return head.layers[head.layers.length - 1].outputDim;
}

/** Projects `count` rows (row-major, inputDim each) through the head; the result rows are L2-normalised. */
export function projectVectors(head: ProjectionHead, vectors: Float32Array): Float32Array {
  let current = vectors;
  const inputDim = headInputDim(head);
  if (vectors.length % inputDim !== 0) {
    throw new Error(`the head takes ${inputDim}-d vectors; ${vectors.length} floats is not whole rows`);
  }
  const count = vectors.length / inputDim;
  head.layers.forEach((layer, index) => {
    const out = new Float32Array(count * layer.outputDim);
    const last = index === head.layers.length - 1;
    const row = new Float64Array(layer.outputDim);
    for (let r = 0; r < count; r++) {
      row.set(layer.bias);
      for (let i = 0; i < layer.inputDim; i++) {
        const x = current[r * layer.inputDim + i];
        if (x === 0) continue;
        const w = i * layer.outputDim;
        for (let o = 0; o < layer.outputDim; o++) row[o] += x * layer.weights[w + o];
      }
      for (let o = 0; o < layer.outputDim; o++) out[r * layer.outputDim + o] = last ? row[o] : Math.max(0, row[o]);
    }
    current = out;
  });
  const dim = headOutputDim(head);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let o = 0; o < dim; o++) norm += current[r * dim + o] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let o = 0; o < dim; o++) current[r * dim + o] /= norm;
  }
  return current;
}

interface StoredLayer {
  inputDim: number;
  outputDim: number;
  weights: string;
  bias: string;
}

/** The head file (`.head.json`): the settings and each layer's floats as base64 little-endian float32. */
export const HEAD_FORMAT = 'visual-search-head/1';

function toBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string, expected: number, what: string): Float32Array {
  const binary = atob(text);
  if (binary.length !== expected * 4) throw new Error(`${what} holds ${binary.length} bytes, not ${expected * 4}`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

export function encodeHead(head: ProjectionHead): string {
  const layers: StoredLayer[] = head.layers.map((l) => ({
    inputDim: l.inputDim,
    outputDim: l.outputDim,
    weights: toBase64(l.weights),
    bias: toBase64(l.bias),
  }));
  return JSON.stringify({ format: HEAD_FORMAT, ...head, layers });
}

/** Reads a head file; refuses another format or layers whose sizes do not chain. */
export function decodeHead(text: string): ProjectionHead {
  const raw = JSON.parse(text) as Omit<ProjectionHead, 'layers'> & { format?: string; layers?: StoredLayer[] };
  if (raw.format !== HEAD_FORMAT) throw new Error(`not a head file (format ${String(raw.format)}, not ${HEAD_FORMAT})`);
  if (!Array.isArray(raw.layers) || raw.layers.length === 0) throw new Error('the head file has no layers');
  const layers = raw.layers.map((l, i) => {
    if (i > 0 && l.inputDim !== raw.layers![i - 1].outputDim)
      throw new Error(`layer ${i + 1} does not follow layer ${i}`);
    return {
      inputDim: l.inputDim,
      outputDim: l.outputDim,
      weights: fromBase64(l.weights, l.inputDim * l.outputDim, `layer ${i + 1}'s weights`),
      bias: fromBase64(l.bias, l.outputDim, `layer ${i + 1}'s bias`),
    };
  });
  return {
    modelId: raw.modelId,
    preprocessing: raw.preprocessing,
    catalogueId: raw.catalogueId,
    settings: raw.settings,
    layers,
  };
}

/** FNV-1a (32 bits) over a head's floats and settings: names its index and its stored copy. */
export function headFingerprint(head: ProjectionHead): string {
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const layer of head.layers) {
    for (const values of [layer.weights, layer.bias]) {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      for (let i = 0; i < bytes.length; i++) mix(bytes[i]);
    }
  }
  for (const char of JSON.stringify(head.settings)) mix(char.charCodeAt(0) & 0xff);
  return hash.toString(16).padStart(8, '0');
}
