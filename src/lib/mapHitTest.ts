import type { Point } from './crop';

/**
 * Hit tests of the embedding map, on point positions given as fractions of the map (0–1, y down),
 * `positions[2i], positions[2i + 1]` being point i. Pure, so the 10k-point cases are tested in Node.
 */

/** Whether (x, y) is inside the polygon (even–odd rule, by a horizontal ray); a polygon needs 3 corners. */
export function pointInPolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Indices of the points inside a lasso (fractions, like the positions), in index order. */
export function pointsInPolygon(positions: Float32Array, polygon: readonly Point[]): number[] {
  if (polygon.length < 3) return [];
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of polygon) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const hits: number[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    const x = positions[2 * i];
    const y = positions[2 * i + 1];
    // The bounding box first: most points of a small lasso are rejected without the ray test.
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (pointInPolygon(x, y, polygon)) hits.push(i);
  }
  return hits;
}

/**
 * A uniform grid over the map: the points of each cell, so the point under the pointer is found
 * by looking at a few cells instead of scanning all 10,000 points on every mouse move.
 */
export interface PointGrid {
  positions: Float32Array;
  cells: number;
  /** Point indices bucketed by cell (row-major), `start[c]`…`start[c + 1]` in `order`. */
  start: Uint32Array;
  order: Uint32Array;
}

const cellOf = (value: number, cells: number): number => Math.min(cells - 1, Math.max(0, Math.floor(value * cells)));

/** Buckets the points, about `perCell` to a cell on average (a counting sort: two passes). */
export function buildPointGrid(positions: Float32Array, perCell = 8): PointGrid {
  const count = positions.length / 2;
  const cells = Math.max(1, Math.ceil(Math.sqrt(count / perCell)));
  const start = new Uint32Array(cells * cells + 1);
  const cell = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    cell[i] = cellOf(positions[2 * i + 1], cells) * cells + cellOf(positions[2 * i], cells);
    start[cell[i] + 1]++;
  }
  for (let c = 0; c < cells * cells; c++) start[c + 1] += start[c];
  const next = start.slice(0, cells * cells);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[next[cell[i]]++] = i;
  return { positions, cells, start, order };
}

/**
 * The point nearest (x, y) within `radius` pixels on a width × height map, or -1. Only the cells
 * the radius reaches are read; ties go to the lower index, as a full scan would.
 */
export function nearestPoint(
  grid: PointGrid,
  x: number,
  y: number,
  radius: number,
  width: number,
  height: number,
): number {
  const { positions, cells, start, order } = grid;
  const rx = radius / width;
  const ry = radius / height;
  let best = -1;
  let bestDistance = radius * radius;
  for (let cy = cellOf(y - ry, cells); cy <= cellOf(y + ry, cells); cy++) {
    for (let cx = cellOf(x - rx, cells); cx <= cellOf(x + rx, cells); cx++) {
      const c = cy * cells + cx;
      for (let k = start[c]; k < start[c + 1]; k++) {
        const i = order[k];
        const d = ((positions[2 * i] - x) * width) ** 2 + ((positions[2 * i + 1] - y) * height) ** 2;
        if (d < bestDistance || (d === bestDistance && best !== -1 && i < best)) {
          bestDistance = d;
          best = i;
        }
      }
    }
  }
  return best;
}
