import { seededRandom } from '../../../lib/syntheticVectors';

/**
 * A seeded random rotation (an orthogonal d × d matrix, row-major) for the binary codes'
 * "optionally after a random rotation": the Gram–Schmidt orthonormalisation of a Gaussian
 * matrix, which is uniformly distributed over rotations (Haar), as FAISS's RandomRotationMatrix.
 * Why a dense one and not a fast Hadamard transform with random signs (O(d log d) a vector):
 * the Hadamard transform needs a power-of-two dimension (1280 would be padded to 2048 bits,
 * changing the code's size), while the dense matrix keeps d bits at any d. Its cost, d³ once and
 * d² a vector (1280-d: about 7 s to make on two busy cores, 1.6 M multiply-adds a vector, a few
 * ms), is affordable at catalogue scale and is shown as training and query time.
 */
export function randomRotation(dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  // Box–Muller: two uniforms give a standard normal.
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows = new Float64Array(dim * dim);
  for (let i = 0; i < rows.length; i++) rows[i] = gaussian();
  // Modified Gram–Schmidt over the rows, in float64 (offsets, not subarrays: d² views would cost more than the sums).
  for (let i = 0; i < dim; i++) {
    const row = i * dim;
    for (let j = 0; j < i; j++) {
      const earlier = j * dim;
      let dot = 0;
      for (let x = 0; x < dim; x++) dot += rows[row + x] * rows[earlier + x];
      for (let x = 0; x < dim; x++) rows[row + x] -= dot * rows[earlier + x];
    }
    let norm = 0;
    for (let x = 0; x < dim; x++) norm += rows[row + x] * rows[row + x];
    norm = Math.sqrt(norm);
    for (let x = 0; x < dim; x++) rows[row + x] /= norm;
  }
  return Float32Array.from(rows);
}

/** out = rotation · v. */
export function rotate(rotation: Float32Array, dim: number, v: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < dim; i++) {
    let sum = 0;
    const base = i * dim;
    for (let x = 0; x < dim; x++) sum += rotation[base + x] * v[x];
    out[i] = sum;
  }
  return out;
}
