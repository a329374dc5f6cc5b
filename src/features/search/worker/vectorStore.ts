import type { Neighbour } from '../../../lib/types';
import { ExactScanner } from './exactScan';

/**
 * The catalogue's embeddings, row after row in one Float32Array inside the exact scan's
 * WebAssembly memory, as both engines read them. It grows as images are embedded (appends
 * fill spare capacity, so earlier views stay valid) and shrinks when images are deleted (a new
 * scanner: a running build keeps its snapshot).
 */
export class VectorStore {
  private rowOfId = new Map<number, number>();
  private scanner: ExactScanner;
  private idData: Int32Array;
  private rows: number;

  constructor(
    vectors: Float32Array,
    ids: Int32Array,
    readonly dim: number,
  ) {
    // Copied once into the exact scan's WebAssembly memory, where every query reads them.
    this.scanner = ExactScanner.of(vectors, dim);
    this.idData = ids;
    this.rows = ids.length;
    this.indexRows();
  }

  get vectors(): Float32Array {
    return this.scanner.vectors.subarray(0, this.rows * this.dim);
  }

  get ids(): Int32Array {
    return this.idData.subarray(0, this.rows);
  }

  get count(): number {
    return this.rows;
  }

  has(id: number): boolean {
    return this.rowOfId.has(id);
  }

  vectorOf(id: number): Float32Array {
    const row = this.rowOfId.get(id);
    if (row === undefined) throw new Error(`image ${id} is not in the index`);
    return this.scanner.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** The exact top k by cosine similarity, ties in catalogue order. */
  exactTopK(query: Float32Array, k: number): Neighbour[] {
    return this.scanner.topK(this.ids, query, k);
  }

  /** Adds rows (ids not already stored); returns the ids that were new. */
  append(vectors: Float32Array, ids: ArrayLike<number>): number[] {
    const fresh: number[] = [];
    for (let i = 0; i < ids.length; i++) if (!this.rowOfId.has(ids[i])) fresh.push(i);
    if (this.rows + fresh.length > this.idData.length || this.rows + fresh.length > this.scanner.count) {
      this.grow(this.rows + fresh.length);
    }
    for (const i of fresh) {
      this.scanner.vectors.set(vectors.subarray(i * this.dim, (i + 1) * this.dim), this.rows * this.dim);
      this.idData[this.rows] = ids[i];
      this.rowOfId.set(ids[i], this.rows++);
    }
    return fresh.map((i) => ids[i]);
  }

  /** Removes the given ids, keeping the others in order; returns the ids that were stored. */
  remove(ids: Iterable<number>): number[] {
    const gone = new Set([...ids].filter((id) => this.rowOfId.has(id)));
    if (gone.size === 0) return [];
    const capacity = Math.max(1, this.idData.length);
    const scanner = new ExactScanner(capacity, this.dim);
    const idData = new Int32Array(capacity);
    let kept = 0;
    for (let row = 0; row < this.rows; row++) {
      if (gone.has(this.idData[row])) continue;
      scanner.vectors.set(this.scanner.vectors.subarray(row * this.dim, (row + 1) * this.dim), kept * this.dim);
      idData[kept++] = this.idData[row];
    }
    this.scanner = scanner;
    this.idData = idData;
    this.rows = kept;
    this.indexRows();
    return [...gone];
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, this.idData.length * 2, 64);
    const scanner = new ExactScanner(capacity, this.dim);
    scanner.vectors.set(this.vectors);
    const idData = new Int32Array(capacity);
    idData.set(this.ids);
    this.scanner = scanner;
    this.idData = idData;
  }

  private indexRows(): void {
    this.rowOfId = new Map();
    for (let row = 0; row < this.rows; row++) this.rowOfId.set(this.idData[row], row);
  }
}
