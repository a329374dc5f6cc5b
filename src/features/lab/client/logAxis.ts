import type { ScaleOptions } from 'chart.js';

/** Log-scale ticks labelled only at 1, 2 and 5 times a power of ten, so labels never crowd. */
export function logAxis(title: string): ScaleOptions<'logarithmic'> {
  return {
    type: 'logarithmic',
    title: { display: true, text: title },
    ticks: {
      callback: (value) => {
        const v = Number(value);
        const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
        return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6) ? v.toLocaleString('en') : '';
      },
    },
  };
}
