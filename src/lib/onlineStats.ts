/**
 * The statistics of an online experiment: the A/B test's two-proportion confidence interval
 * and sample size, and the interleaving experiment's sign test.
 */

/** Significance level and power the sample sizes are planned for (the usual 5 % and 80 %). */
export const ALPHA = 0.05;
export const POWER = 0.8;
/** Standard normal quantiles for α/2 = 0.025 and for the power 0.8. */
const Z_HALF_ALPHA = 1.959963984540054;
const Z_POWER = 0.8416212335729143;

/** Standard normal cumulative distribution (Abramowitz & Stegun 7.1.26 for erf, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface Proportion {
  successes: number;
  trials: number;
}

const rate = (p: Proportion) => (p.trials > 0 ? p.successes / p.trials : 0);

export interface ProportionDifference {
  /** Rate of A minus rate of B. */
  diff: number;
  /** 95 % Wald interval of the difference (unpooled standard error). */
  low: number;
  high: number;
  /** Two-sided p-value of the pooled two-proportion z-test; 1 when it cannot be computed. */
  pValue: number;
}

/** A/B test: the difference of two rates (CTR of A minus CTR of B), its 95 % interval and p-value. */
export function compareProportions(a: Proportion, b: Proportion): ProportionDifference {
  const pa = rate(a);
  const pb = rate(b);
  const diff = pa - pb;
  if (a.trials === 0 || b.trials === 0) return { diff, low: -Infinity, high: Infinity, pValue: 1 };
  const se = Math.sqrt((pa * (1 - pa)) / a.trials + (pb * (1 - pb)) / b.trials);
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const pValue = pooledSe > 0 ? 2 * (1 - normalCdf(Math.abs(diff) / pooledSe)) : diff === 0 ? 1 : 0;
  return { diff, low: diff - Z_HALF_ALPHA * se, high: diff + Z_HALF_ALPHA * se, pValue };
}

/**
 * Sessions an A/B test needs, both arms together, to detect the difference between rates
 * `pa` and `pb` with a two-sided test at level ALPHA and power POWER (equal split; the normal
 * approximation of Fleiss): Infinity when the rates are equal.
 */
export function abSessionsNeeded(pa: number, pb: number): number {
  const delta = Math.abs(pa - pb);
  if (delta === 0) return Infinity;
  const mean = (pa + pb) / 2;
  const perArm =
    (Z_HALF_ALPHA * Math.sqrt(2 * mean * (1 - mean)) + Z_POWER * Math.sqrt(pa * (1 - pa) + pb * (1 - pb))) ** 2 /
    delta ** 2;
  return 2 * Math.ceil(perArm);
}

/** ln(n!) by summing logarithms, cached: the sign test's binomial coefficients without overflow. */
const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[n];
}

/**
 * Exact two-sided sign test: under "neither ranker is better" each decided session is a fair
 * coin, so the p-value is the chance of a split at least as lopsided as `wins` : `losses`
 * (ties are left out).
 */
export function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const fewer = Math.min(wins, losses);
  let tail = 0;
  for (let i = 0; i <= fewer; i++) {
    tail += Math.exp(logFactorial(n) - logFactorial(i) - logFactorial(n - i) - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/**
 * Sessions an interleaving experiment needs for the sign test to detect the observed preference
 * at level ALPHA with power POWER: decided sessions from the normal approximation of the
 * binomial, divided by the share of sessions that are decided (not ties). Infinity when wins equal losses.
 */
export function interleavingSessionsNeeded(wins: number, losses: number, ties: number): number {
  const decided = wins + losses;
  if (decided === 0 || wins === losses) return Infinity;
  const p = wins / decided;
  const needed = (Z_HALF_ALPHA * 0.5 + Z_POWER * Math.sqrt(p * (1 - p))) ** 2 / (p - 0.5) ** 2;
  return Math.ceil(needed / (decided / (decided + ties)));
}
