/** The catalogue's embeddings, row after row in one Float32Array, as both engines read them. */
export class VectorStore {
  private readonly rowOfId = new Map<number, number>();

  constructor(
    readonly vectors: Float32Array,
    readonly ids: Int32Array,
    readonly dim: number,
  ) {
    ids.forEach((id, row) => this.rowOfId.set(id, row));
  }

  get count(): number {
    return this.ids.length;
  }

  vectorOf(id: number): Float32Array {
    const row = this.rowOfId.get(id);
    if (row === undefined) throw new Error(`image ${id} is not in the index`);
    return this.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }
}
