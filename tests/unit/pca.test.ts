import { describe, expect, it } from 'vitest';
import { fitPca, projectPca } from '../../src/lib/pca';

describe('PCA to two dimensions', () => {
  // Points spread most along (1, 1, 0), less along (0, 0, 1), hardly along (1, −1, 0).
  const rows = [
    [3, 3, 0.5],
    [-3, -3, -0.5],
    [1, 1, -1],
    [-1, -1, 1],
    [0.1, -0.1, 0],
    [2, 2, 0],
    [-2, -2, 0],
  ];
  const vectors = Float32Array.from(rows.flat());

  it('finds the directions of most variance, orthonormal', () => {
    const { axes, mean } = fitPca(vectors, 3);
    const [a, b] = axes;
    expect(Math.abs(a[0])).toBeCloseTo(Math.SQRT1_2, 3);
    expect(a[0] * a[1]).toBeGreaterThan(0);
    expect(Math.abs(b[2])).toBeGreaterThan(0.99);
    expect(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]).toBeCloseTo(0, 9);
    expect(mean[0]).toBeCloseTo(0.1 / 7, 6);
  });

  it('places each row by its scores on the two axes, the spread largest on the first', () => {
    const xy = projectPca(fitPca(vectors, 3), vectors, 3);
    expect(xy).toHaveLength(rows.length * 2);
    const spread = (axis: number) => rows.reduce((sum, _, r) => sum + xy[r * 2 + axis] ** 2, 0);
    expect(spread(0)).toBeGreaterThan(spread(1));
    expect(Math.abs(xy[0])).toBeCloseTo(Math.hypot(3, 3), 1);
  });

  it('is seeded: the same input gives the same plane', () => {
    expect(projectPca(fitPca(vectors, 3, 4), vectors, 3)).toEqual(projectPca(fitPca(vectors, 3, 4), vectors, 3));
  });
});
