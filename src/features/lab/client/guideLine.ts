/** The dashed red of a target or threshold line, the labs' one colour for "the line to beat". */
const GUIDE_COLOUR = '#b3261e';

/**
 * A dashed line through its points with no markers, for a lab chart: a target, a threshold, a
 * reference curve or a front, drawn apart from the measured series.
 */
export function guideLine<T extends { x: number; y: number }>(label: string, data: T[], colour = GUIDE_COLOUR) {
  return { label, data, showLine: true, pointRadius: 0, borderDash: [6, 4], borderColor: colour };
}
