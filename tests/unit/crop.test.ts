import { describe, expect, it } from 'vitest';
import {
  MIN_CROP_PX,
  clampRect,
  defaultRect,
  displayToNatural,
  formatCrop,
  modelInputSquare,
  moveRect,
  naturalToDisplay,
  parseCrop,
  rectAfterKey,
  rectFromPoints,
  resizeRect,
} from '../../src/lib/crop';

const IMAGE = { width: 400, height: 300 };

describe('crop geometry', () => {
  it('a drag in any direction draws the same rectangle', () => {
    const expected = { x: 50, y: 40, w: 100, h: 80 };
    expect(rectFromPoints({ x: 50, y: 40 }, { x: 150, y: 120 }, IMAGE)).toEqual(expected);
    expect(rectFromPoints({ x: 150, y: 120 }, { x: 50, y: 40 }, IMAGE)).toEqual(expected);
    expect(rectFromPoints({ x: 150, y: 40 }, { x: 50, y: 120 }, IMAGE)).toEqual(expected);
  });

  it('a drag past the edges stops at them: crops touching every edge', () => {
    expect(rectFromPoints({ x: -30, y: -10 }, { x: 100, y: 90 }, IMAGE)).toEqual({ x: 0, y: 0, w: 100, h: 90 });
    expect(rectFromPoints({ x: 300, y: 200 }, { x: 999, y: 999 }, IMAGE)).toEqual({ x: 300, y: 200, w: 100, h: 100 });
    expect(rectFromPoints({ x: -1, y: -1 }, { x: 401, y: 301 }, IMAGE)).toEqual({ x: 0, y: 0, w: 400, h: 300 });
  });

  it('a click or tiny drag gives the minimum size, inside the image even at an edge', () => {
    expect(rectFromPoints({ x: 100, y: 100 }, { x: 102, y: 101 }, IMAGE)).toEqual({
      x: 100,
      y: 100,
      w: MIN_CROP_PX,
      h: MIN_CROP_PX,
    });
    // At the bottom-right corner the box is pulled back inside.
    expect(rectFromPoints({ x: 399, y: 299 }, { x: 400, y: 300 }, IMAGE)).toEqual({
      x: 400 - MIN_CROP_PX,
      y: 300 - MIN_CROP_PX,
      w: MIN_CROP_PX,
      h: MIN_CROP_PX,
    });
    // Dragging up-left from near the top-left corner.
    expect(rectFromPoints({ x: 5, y: 5 }, { x: 0, y: 0 }, IMAGE)).toEqual({
      x: 0,
      y: 0,
      w: MIN_CROP_PX,
      h: MIN_CROP_PX,
    });
  });

  it('an image smaller than the minimum side is cropped whole on that side', () => {
    expect(clampRect({ x: 3, y: 2, w: 1, h: 1 }, { width: 10, height: 8 })).toEqual({ x: 0, y: 0, w: 10, h: 8 });
  });

  it('clamping rounds to whole pixels, shrinks oversize crops and pulls them inside', () => {
    expect(clampRect({ x: 10.4, y: 20.6, w: 50.5, h: 40.2 }, IMAGE)).toEqual({ x: 10, y: 21, w: 51, h: 40 });
    expect(clampRect({ x: -20, y: 250, w: 1000, h: 100 }, IMAGE)).toEqual({ x: 0, y: 200, w: 400, h: 100 });
  });

  it('moving keeps the size and stops at the edges', () => {
    const rect = { x: 10, y: 10, w: 100, h: 50 };
    expect(moveRect(rect, 20, 5, IMAGE)).toEqual({ x: 30, y: 15, w: 100, h: 50 });
    expect(moveRect(rect, -50, -50, IMAGE)).toEqual({ x: 0, y: 0, w: 100, h: 50 });
    expect(moveRect(rect, 1000, 1000, IMAGE)).toEqual({ x: 300, y: 250, w: 100, h: 50 });
  });

  it('resizing grows to the edge and shrinks to the minimum, never past either', () => {
    const rect = { x: 350, y: 10, w: 40, h: 40 };
    expect(resizeRect(rect, 100, 0, IMAGE)).toEqual({ x: 350, y: 10, w: 50, h: 40 });
    expect(resizeRect(rect, -100, -100, IMAGE)).toEqual({ x: 350, y: 10, w: MIN_CROP_PX, h: MIN_CROP_PX });
  });

  it('arrow keys move by 2 % of the side, Shift+arrow resizes, other keys do nothing', () => {
    const rect = defaultRect(IMAGE);
    expect(rect).toEqual({ x: 100, y: 75, w: 200, h: 150 });
    expect(rectAfterKey(rect, 'ArrowRight', false, IMAGE)).toEqual({ x: 108, y: 75, w: 200, h: 150 });
    expect(rectAfterKey(rect, 'ArrowUp', false, IMAGE)).toEqual({ x: 100, y: 69, w: 200, h: 150 });
    expect(rectAfterKey(rect, 'ArrowLeft', true, IMAGE)).toEqual({ x: 100, y: 75, w: 192, h: 150 });
    expect(rectAfterKey(rect, 'ArrowDown', true, IMAGE)).toEqual({ x: 100, y: 75, w: 200, h: 156 });
    expect(rectAfterKey(rect, 'Enter', false, IMAGE)).toBeNull();
    // A tiny image still moves by a whole pixel.
    expect(rectAfterKey({ x: 0, y: 0, w: 16, h: 16 }, 'ArrowRight', false, { width: 20, height: 20 })).toEqual({
      x: 1,
      y: 0,
      w: 16,
      h: 16,
    });
  });

  it('maps display pixels to natural pixels and back', () => {
    const display = { width: 200, height: 150 };
    expect(displayToNatural({ x: 100, y: 30 }, display, IMAGE)).toEqual({ x: 200, y: 60 });
    expect(naturalToDisplay({ x: 200, y: 60, w: 100, h: 90 }, display, IMAGE)).toEqual({ x: 100, y: 30, w: 50, h: 45 });
    // A drag on the display becomes the crop in natural pixels.
    const a = displayToNatural({ x: 10, y: 10 }, display, IMAGE);
    const b = displayToNatural({ x: 60, y: 110 }, display, IMAGE);
    expect(rectFromPoints(a, b, IMAGE)).toEqual({ x: 20, y: 20, w: 100, h: 200 });
  });

  it('the model input is the centre square of the region', () => {
    expect(modelInputSquare(null, IMAGE)).toEqual({ sx: 50, sy: 0, size: 300 });
    expect(modelInputSquare({ x: 100, y: 50, w: 100, h: 60 }, IMAGE)).toEqual({ sx: 120, sy: 50, size: 60 });
    // A region at the right edge, taller than wide.
    expect(modelInputSquare({ x: 360, y: 0, w: 40, h: 300 }, IMAGE)).toEqual({ sx: 360, sy: 130, size: 40 });
    // A region past the edge (an old URL on another image) is clamped first.
    expect(modelInputSquare({ x: 380, y: 280, w: 100, h: 100 }, IMAGE)).toEqual({ sx: 300, sy: 200, size: 100 });
  });

  it('reads and writes the URL form x,y,w,h', () => {
    expect(formatCrop({ x: 1, y: 2, w: 30, h: 40 })).toBe('1,2,30,40');
    expect(parseCrop('1,2,30,40')).toEqual({ x: 1, y: 2, w: 30, h: 40 });
    for (const bad of [null, '', '1,2,3', '1,2,0,4', '-1,2,3,4', 'a,b,c,d', '1.5,2,3,4', '1,2,3,4,5']) {
      expect(parseCrop(bad)).toBeNull();
    }
  });
});
