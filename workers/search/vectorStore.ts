import type { Neighbour } from '../../src/lib/types';
import { ExactScanner } from './exactScan';

/** The catalogue's embeddings, row after row in one Float32Array, as both engines read them. */
export class VectorStore {
  private readonly rowOfId = new Map<number, number>();
  private readonly scanner: ExactScanner;

  constructor(
    vectors: Float32Array,
    readonly ids: Int32Array,
    readonly dim: number,
  ) {
    // Copied once into the exact scan's WebAssembly memory, where every query reads them.
    this.scanner = ExactScanner.of(vectors, dim);
    ids.forEach((id, row) => this.rowOfId.set(id, row));
  }

  get vectors(): Float32Array {
    return this.scanner.vectors;
  }

  get count(): number {
    return this.ids.length;
  }

  vectorOf(id: number): Float32Array {
    const row = this.rowOfId.get(id);
    if (row === undefined) throw new Error(`image ${id} is not in the index`);
    return this.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** The exact top k by cosine similarity, ties in catalogue order. */
  exactTopK(query: Float32Array, k: number): Neighbour[] {
    return this.scanner.topK(this.ids, query, k);
  }
}
