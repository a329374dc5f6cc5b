import { formatCount } from './formatCount';
/**
 * Memory of an hnswlib-wasm index, from hnswlib's layout on wasm32 (4-byte pointers and size_t).
 * Checked against the bytes a build really takes from hnswlib-wasm's heap in
 * tests/integration/hnswMemory.test.ts (within 1 % from 16 to 1280 dimensions).
 *
 * Per element:
 * - level 0, one block for the whole capacity: 2·M neighbour ids + a count, the vector, the label;
 * - bookkeeping: its link-list pointer, its level, its lock (a 24-byte mutex), its node in the
 *   label → id hash map (24 bytes with malloc's header) and that map's buckets, its visited mark;
 * - upper levels: an element reaches level l ≥ 1 with probability M^−l, so 1/(M − 1) levels on
 *   average, each M ids + a count, in a block of its own (malloc header) for 1 element in M.
 * Per index: 65,536 more locks (hnswlib's label-operation locks), about 1.5 MiB.
 *
 * These are the bytes hnswlib allocates. The heap hnswlib-wasm reserves for them is larger:
 * Emscripten grows its heap by 20 % (at most 96 MiB) beyond what a growth asked for, and never
 * shrinks it, so the heap's size runs up to about 20 % over this figure.
 */
const LINK_LIST_POINTER = 4;
const LEVEL = 4;
const LOCK = 24;
const LABEL_MAP_NODE = 24;
const LABEL_MAP_BUCKETS = 7;
const VISITED_MARK = 2;
const LABEL = 4;
const MALLOC_HEADER = 8;

/** hnswlib's 65,536 label-operation locks, allocated with every index. */
export const HNSW_FIXED_BYTES = 65_536 * LOCK + 4096;

/** Bytes each element adds: its level-0 block, bookkeeping and expected upper levels. */
export function hnswBytesPerVector(dim: number, M: number): number {
  const level0 = (2 * M + 1) * 4 + dim * 4 + LABEL;
  const bookkeeping = LINK_LIST_POINTER + LEVEL + LOCK + LABEL_MAP_NODE + LABEL_MAP_BUCKETS + VISITED_MARK;
  const upperLevels = ((M + 1) * 4) / (M - 1) + MALLOC_HEADER / M;
  return level0 + bookkeeping + upperLevels;
}

export function hnswIndexBytes(count: number, dim: number, M: number): number {
  return Math.round(HNSW_FIXED_BYTES + count * hnswBytesPerVector(dim, M));
}

/** Bytes of the exact-search store: one float32 per dimension per vector. */
export function exactStoreBytes(count: number, dim: number): number {
  return count * dim * 4;
}

/**
 * hnswlib-wasm's heap is capped at 2 GiB. hnswlib allocates the level-0 block for the whole
 * capacity in one piece when the index is created (in Node that succeeds up to ≈ 405k × 1280-d,
 * M=16), and a build allocates more as it goes (upper levels, the label map, search lists), so
 * an index is refused once its estimate passes 93 % of the heap.
 */
export const WASM_HEAP_BYTES = 2 ** 31;
const USABLE_HEAP_SHARE = 0.93;

export function maxVectorsInHeap(dim: number, M: number): number {
  return Math.floor((WASM_HEAP_BYTES * USABLE_HEAP_SHARE - HNSW_FIXED_BYTES) / hnswBytesPerVector(dim, M));
}

/** Why an index of `count` vectors cannot be built in the wasm heap, or null when it fits. */
export function heapRefusal(count: number, dim: number, M: number): string | null {
  const limit = maxVectorsInHeap(dim, M);
  if (count <= limit) return null;
  return `${formatCount(count)} vectors would pass the 2 GiB wasm heap (≈ ${formatCount(limit)} fit at ${dim}-d, M=${M})`;
}
