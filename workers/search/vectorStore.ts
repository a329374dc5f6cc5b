/**
 * The catalogue's embeddings, row after row in one Float32Array, as both engines read them.
 * It grows as images are embedded (appends fill spare capacity, so earlier views stay
 * valid) and shrinks when images are deleted (a new array: a running build keeps its snapshot).
 */
export class VectorStore {
  private rowOfId = new Map<number, number>();
  private data: Float32Array;
  private idData: Int32Array;
  private rows: number;

  constructor(
    vectors: Float32Array,
    ids: Int32Array,
    readonly dim: number,
  ) {
    this.data = vectors;
    this.idData = ids;
    this.rows = ids.length;
    this.indexRows();
  }

  get vectors(): Float32Array {
    return this.data.subarray(0, this.rows * this.dim);
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
    return this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** Adds rows (ids not already stored); returns the ids that were new. */
  append(vectors: Float32Array, ids: ArrayLike<number>): number[] {
    const fresh: number[] = [];
    for (let i = 0; i < ids.length; i++) if (!this.rowOfId.has(ids[i])) fresh.push(i);
    if (this.rows + fresh.length > this.idData.length) this.grow(this.rows + fresh.length);
    for (const i of fresh) {
      this.data.set(vectors.subarray(i * this.dim, (i + 1) * this.dim), this.rows * this.dim);
      this.idData[this.rows] = ids[i];
      this.rowOfId.set(ids[i], this.rows++);
    }
    return fresh.map((i) => ids[i]);
  }

  /** Removes the given ids, keeping the others in order; returns the ids that were stored. */
  remove(ids: Iterable<number>): number[] {
    const gone = new Set([...ids].filter((id) => this.rowOfId.has(id)));
    if (gone.size === 0) return [];
    const data = new Float32Array(Math.max(1, this.idData.length) * this.dim);
    const idData = new Int32Array(Math.max(1, this.idData.length));
    let kept = 0;
    for (let row = 0; row < this.rows; row++) {
      if (gone.has(this.idData[row])) continue;
      data.set(this.data.subarray(row * this.dim, (row + 1) * this.dim), kept * this.dim);
      idData[kept++] = this.idData[row];
    }
    this.data = data;
    this.idData = idData;
    this.rows = kept;
    this.indexRows();
    return [...gone];
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, this.idData.length * 2, 64);
    const data = new Float32Array(capacity * this.dim);
    data.set(this.vectors);
    const idData = new Int32Array(capacity);
    idData.set(this.ids);
    this.data = data;
    this.idData = idData;
  }

  private indexRows(): void {
    this.rowOfId = new Map();
    for (let row = 0; row < this.rows; row++) this.rowOfId.set(this.idData[row], row);
  }
}
