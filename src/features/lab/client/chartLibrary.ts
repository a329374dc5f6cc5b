import type { Chart } from 'chart.js';

let library: Promise<typeof Chart> | null = null;

/**
 * Chart.js, loaded the first time a lab draws a chart: it is a large part of the page's code and
 * no chart shows at start, so it stays out of the main bundle (its own chunk).
 */
export function loadChart(): Promise<typeof Chart> {
  library ??= import('chart.js').then(
    ({ Chart, Legend, LineElement, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip }) => {
      Chart.register(ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);
      return Chart;
    },
  );
  return library;
}
