/**
 * A count with thousands separators, as `toLocaleString('en')` writes it ("2,369"), without Intl:
 * a page's first Intl formatting loads ICU's locale data, 16–80 ms on the main thread of this 2-core
 * machine, and the first render writes several counts. (Chart.js's tick labels, in the lab tabs,
 * still use Intl.)
 */
export function formatCount(n: number): string {
  const whole = Math.round(n);
  if (!Number.isFinite(whole)) return String(whole);
  const grouped = Math.abs(whole)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return whole < 0 ? `-${grouped}` : grouped;
}
