import { describe, expect, it } from 'vitest';
import { buildPointGrid, nearestPoint, pointInPolygon, pointsInPolygon } from '../../src/lib/mapHitTest';
import { seededRandom } from '../../src/lib/syntheticVectors';

const square = [
  { x: 0.2, y: 0.2 },
  { x: 0.6, y: 0.2 },
  { x: 0.6, y: 0.6 },
  { x: 0.2, y: 0.6 },
];
// A "C" shape: its mouth (around x 0.5, y 0.5) is outside though inside its bounding box.
const cShape = [
  { x: 0.1, y: 0.1 },
  { x: 0.9, y: 0.1 },
  { x: 0.9, y: 0.3 },
  { x: 0.3, y: 0.3 },
  { x: 0.3, y: 0.7 },
  { x: 0.9, y: 0.7 },
  { x: 0.9, y: 0.9 },
  { x: 0.1, y: 0.9 },
];

describe('pointInPolygon', () => {
  it('tells inside from outside, for a square and a concave lasso', () => {
    expect(pointInPolygon(0.4, 0.4, square)).toBe(true);
    expect(pointInPolygon(0.7, 0.4, square)).toBe(false);
    expect(pointInPolygon(0.4, 0.1, square)).toBe(false);
    expect(pointInPolygon(0.2, 0.5, cShape)).toBe(true);
    expect(pointInPolygon(0.6, 0.2, cShape)).toBe(true);
    expect(pointInPolygon(0.6, 0.5, cShape)).toBe(false);
  });

  it('a line or a point is no lasso', () => {
    expect(pointInPolygon(0.5, 0.5, square.slice(0, 2))).toBe(false);
    expect(pointsInPolygon(Float32Array.from([0.4, 0.4]), square.slice(0, 2))).toEqual([]);
  });
});

describe('pointsInPolygon', () => {
  it('returns the indices inside, in order', () => {
    const positions = Float32Array.from([0.4, 0.4, 0.7, 0.4, 0.25, 0.55, 0.6, 0.5, 0.05, 0.05]);
    expect(pointsInPolygon(positions, square)).toEqual([0, 2]);
    expect(pointsInPolygon(positions, cShape)).toEqual([2]); // the C's left bar; the others sit in its mouth or outside
    expect(pointsInPolygon(Float32Array.from([0.2, 0.5, 0.6, 0.5]), cShape)).toEqual([0]);
  });
});

describe('buildPointGrid + nearestPoint', () => {
  const random = seededRandom(3);
  const count = 10_000;
  const positions = Float32Array.from({ length: 2 * count }, () => random());
  const grid = buildPointGrid(positions);

  /** The reference: a scan of every point, as the map did before the grid. */
  function scan(x: number, y: number, radius: number, width: number, height: number): number {
    let best = -1;
    let bestDistance = radius * radius;
    for (let i = 0; i < count; i++) {
      const d = ((positions[2 * i] - x) * width) ** 2 + ((positions[2 * i + 1] - y) * height) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  it('buckets every point exactly once', () => {
    expect([...grid.order].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(grid.start[grid.start.length - 1]).toBe(count);
  });

  it('finds the same point as a full scan, on a wide map, near the edges too', () => {
    const probe = seededRandom(9);
    for (let t = 0; t < 500; t++) {
      const x = probe() * 1.1 - 0.05;
      const y = probe() * 1.1 - 0.05;
      expect(nearestPoint(grid, x, y, 12, 900, 450)).toBe(scan(x, y, 12, 900, 450));
    }
  });

  it('finds nothing beyond the radius', () => {
    const lone = buildPointGrid(Float32Array.from([0.5, 0.5]));
    expect(nearestPoint(lone, 0.5 + 11 / 1000, 0.5, 12, 1000, 1000)).toBe(0);
    expect(nearestPoint(lone, 0.5 + 13 / 1000, 0.5, 12, 1000, 1000)).toBe(-1);
    expect(nearestPoint(buildPointGrid(new Float32Array(0)), 0.5, 0.5, 12, 100, 100)).toBe(-1);
  });
});
