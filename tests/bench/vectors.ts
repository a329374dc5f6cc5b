import { clusteredVectors } from '../../src/lib/syntheticVectors';

/**
 * The scale experiment's kind of synthetic embeddings (40 classes varying along 16 directions
 * each), so the browser probes and the Node peers index exactly the same vectors for a seed.
 */
export function clusteredBenchVectors(count: number, dim: number, seed: number): Float32Array {
  return clusteredVectors({ count, dim, clusters: 40, spread: 0.8, seed, intrinsicDim: 16 });
}
