/**
 * Simulated users: the two classic click models of web search (Craswell et al., 2008; Chuklin,
 * Markov & de Rijke, "Click Models for Web Search", 2015), driven by the catalogue's labels.
 * A result is relevant when it has the query's label; whether a user finds it attractive is
 * that, blurred by two noise knobs.
 */

export type ClickModelName = 'pbm' | 'cascade';
export const CLICK_MODELS: readonly ClickModelName[] = ['pbm', 'cascade'];

export interface ClickModelKnobs {
  model: ClickModelName;
  /** η of the position-based model: rank r is examined with probability 1 / r^η (0: every rank is seen). */
  decay: number;
  /** Probability of clicking an examined result that is not relevant. */
  clickIrrelevant: number;
  /** Probability of passing over an examined relevant result. */
  missRelevant: number;
}

export const DEFAULT_CLICK_KNOBS: ClickModelKnobs = {
  model: 'pbm',
  decay: 1,
  clickIrrelevant: 0.05,
  missRelevant: 0.3,
};

/** One click of a session: 1-based rank, the time spent on the result, and the examination probability of that rank. */
export interface SimulatedClick {
  rank: number;
  dwellSeconds: number;
  propensity: number;
}

/** Position-based model: the probability that a user looks at rank r (1-based) at all. */
export function examinationProbability(rank: number, decay: number): number {
  return 1 / Math.pow(rank, decay);
}

/** Probability that an examined result is clicked. */
export function attractiveness(relevant: boolean, knobs: ClickModelKnobs): number {
  return relevant ? 1 - knobs.missRelevant : knobs.clickIrrelevant;
}

/**
 * The probability, per rank, that the user examines it: fixed by position in the position-based
 * model; in the cascade model, the chance that every result above it was passed over.
 */
export function examinationProbabilities(relevant: readonly boolean[], knobs: ClickModelKnobs): number[] {
  if (knobs.model === 'pbm') return relevant.map((_, i) => examinationProbability(i + 1, knobs.decay));
  let reached = 1;
  return relevant.map((isRelevant) => {
    const here = reached;
    reached *= 1 - attractiveness(isRelevant, knobs);
    return here;
  });
}

/** Marginal click probability per rank: examined × attractive (in the cascade model, the first attractive one). */
export function clickProbabilities(relevant: readonly boolean[], knobs: ClickModelKnobs): number[] {
  const examined = examinationProbabilities(relevant, knobs);
  return relevant.map((isRelevant, i) => examined[i] * attractiveness(isRelevant, knobs));
}

/** Median dwell times (seconds): someone who found what they looked for stays longer. */
export const DWELL_MEDIAN_SECONDS = { relevant: 30, irrelevant: 5 };
/** Spread of the log-normal dwell time (σ of its logarithm). */
const DWELL_SIGMA = 0.6;

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Time spent on a clicked result: log-normal around a median that is longer for a relevant result. */
export function dwellSeconds(relevant: boolean, random: () => number): number {
  const median = relevant ? DWELL_MEDIAN_SECONDS.relevant : DWELL_MEDIAN_SECONDS.irrelevant;
  return median * Math.exp(DWELL_SIGMA * standardNormal(random));
}

/**
 * One user's session on one result list. Position-based: each rank is examined on its own
 * and clicked when attractive, so a session can click several. Cascade: the user scans from
 * the top, clicks the first attractive result and leaves.
 */
export function simulateSession(
  relevant: readonly boolean[],
  knobs: ClickModelKnobs,
  random: () => number,
): SimulatedClick[] {
  const clicks: SimulatedClick[] = [];
  const examined = examinationProbabilities(relevant, knobs);
  for (let i = 0; i < relevant.length; i++) {
    if (knobs.model === 'pbm' && random() >= examined[i]) continue;
    if (random() < attractiveness(relevant[i], knobs)) {
      clicks.push({ rank: i + 1, dwellSeconds: dwellSeconds(relevant[i], random), propensity: examined[i] });
      if (knobs.model === 'cascade') break;
    }
  }
  return clicks;
}
