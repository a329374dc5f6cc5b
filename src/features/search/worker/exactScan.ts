import { TopK } from '../../../lib/exactSearch';
import type { Neighbour } from '../../../lib/types';
import { EXACT_SCAN_KERNEL_BASE64 } from './exactScanKernel.wasm';

interface Kernel {
  memory: WebAssembly.Memory;
  scores(vectors: number, query: number, dim: number, count: number, out: number): void;
}

const PAGE = 65536;
let compiled: WebAssembly.Module | null = null;

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(EXACT_SCAN_KERNEL_BASE64), (c) => c.charCodeAt(0)));
  return compiled;
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * The exact scan, fast: the vectors live in the WebAssembly kernel's memory, one contiguous
 * row-major block, and each query scores every row there (exactScanKernel.wat) before the
 * top k are picked as exactTopK picks them. Same scores, bit for bit, and same order.
 */
export class ExactScanner {
  /** Row-major count × dim, inside the kernel's memory: fill it (or read it) in place. */
  readonly vectors: Float32Array;
  private readonly query: Float32Array;
  private readonly scores: Float64Array;
  private readonly kernel: Kernel;

  /** Room for `count` rows of `dim` floats. */
  constructor(
    readonly count: number,
    readonly dim: number,
  ) {
    this.kernel = new WebAssembly.Instance(kernelModule()).exports as unknown as Kernel;
    const vectorBytes = align16(count * dim * 4);
    const queryBytes = align16(dim * 4);
    const needed = vectorBytes + queryBytes + count * 8;
    const memory = this.kernel.memory;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    this.vectors = new Float32Array(memory.buffer, 0, count * dim);
    this.query = new Float32Array(memory.buffer, vectorBytes, dim);
    this.scores = new Float64Array(memory.buffer, vectorBytes + queryBytes, count);
  }

  static of(vectors: Float32Array, dim: number): ExactScanner {
    const scanner = new ExactScanner(vectors.length / dim, dim);
    scanner.vectors.set(vectors);
    return scanner;
  }

  /**
   * The k of the first ids.length rows most similar to `query` (cosine = dot product of
   * normalised vectors), each reported as `ids[row]`: exactTopK(vectors, ids, dim, query, k).
   */
  topK(ids: ArrayLike<number>, query: Float32Array, k: number): Neighbour[] {
    const count = ids.length;
    if (count > this.count) throw new Error(`${count} ids for ${this.count} rows`);
    const want = Math.min(k, count);
    if (want <= 0) return [];
    this.query.set(query);
    this.kernel.scores(this.vectors.byteOffset, this.query.byteOffset, this.dim, count, this.scores.byteOffset);
    const top = new TopK(want);
    const scores = this.scores;
    for (let row = 0; row < count; row++) top.offer(scores[row], row);
    return top.neighbours(ids);
  }
}
