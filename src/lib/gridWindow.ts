/** The slice of a grid of equal rows to render for a scroll position, and the space to stand in for the rest. */
export interface GridWindow {
  /** Items [first, last) are rendered. */
  first: number;
  last: number;
  padTop: number;
  padBottom: number;
}

/**
 * Rows cut by the viewport plus `overscanRows` on either side. `rowHeight` is a row's pitch
 * (tile height + gap), so the padding keeps the scroll height of the whole grid.
 */
export function gridWindow(
  count: number,
  columns: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscanRows: number,
): GridWindow {
  const cols = Math.max(1, Math.floor(columns));
  const rows = Math.ceil(count / cols);
  const pitch = Math.max(1, rowHeight);
  // Past the end (a row height measured after the scroll) still shows the last screenful.
  const lastScreenful = Math.max(0, rows - Math.ceil(viewportHeight / pitch) - overscanRows);
  const firstRow = Math.min(lastScreenful, Math.max(0, Math.floor(scrollTop / pitch) - overscanRows));
  const lastRow = Math.min(rows, Math.max(firstRow, Math.ceil((scrollTop + viewportHeight) / pitch) + overscanRows));
  return {
    first: firstRow * cols,
    last: Math.min(count, lastRow * cols),
    padTop: firstRow * pitch,
    padBottom: (rows - lastRow) * pitch,
  };
}
