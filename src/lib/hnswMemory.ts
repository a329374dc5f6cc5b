/**
 * Memory of an hnswlib index, from its layout: every element stores its level-0 links
 * (2·M ids + a count), its vector, its label and bookkeeping; an element also reaches
 * upper levels with probability 1/M per level, each with M links + a count.
 */
export function hnswIndexBytes(count: number, dim: number, M: number): number {
  const level0 = (2 * M + 1) * 4 + dim * 4 + 8;
  const bookkeeping = 4 + 4 + 24; // level, link-list pointer, label lookup entry
  const upperLevelsPerElement = 1 / (M - 1);
  return Math.round(count * (level0 + bookkeeping + upperLevelsPerElement * (M + 1) * 4));
}

/** Bytes of the exact-search store: one float32 per dimension per vector. */
export function exactStoreBytes(count: number, dim: number): number {
  return count * dim * 4;
}

/** hnswlib-wasm's heap is capped at 2 GiB; ≈ 93% of it is usable for the index (measured ≈ 380k × 1280-d). */
export const WASM_HEAP_BYTES = 2 ** 31;
const USABLE_HEAP_SHARE = 0.93;

export function maxVectorsInHeap(dim: number, M: number): number {
  return Math.floor((WASM_HEAP_BYTES * USABLE_HEAP_SHARE) / hnswIndexBytes(1, dim, M));
}

/** Why an index of `count` vectors cannot be built in the wasm heap, or null when it fits. */
export function heapRefusal(count: number, dim: number, M: number): string | null {
  const limit = maxVectorsInHeap(dim, M);
  if (count <= limit) return null;
  return `${count.toLocaleString('en')} vectors would pass the 2 GiB wasm heap (≈ ${limit.toLocaleString('en')} fit at ${dim}-d, M=${M})`;
}
