import { simulateSession, type ClickModelKnobs, type SimulatedClick } from './clickModels';
import { credit, teamDraft, type Outcome } from './interleaving';
import {
  ALPHA,
  abSessionsNeeded,
  compareProportions,
  interleavingSessionsNeeded,
  signTest,
  type ProportionDifference,
} from './onlineStats';
import { seededRandom } from './syntheticVectors';
import type { ClickEvent } from './clickLog';

/**
 * An online experiment between two rankers with simulated users, run session by session so a
 * worker can stop between batches: the same number of sessions goes to a classic A/B split and
 * to team-draft interleaving, and the p-value of each is followed as sessions accumulate.
 */

export interface ExperimentSetup {
  /** The catalogue images users search with, and each one's label. */
  queryIds: readonly number[];
  labelOf: ReadonlyMap<number, string>;
  /** Each arm's ranked result ids for `queryIds[i]`, best first, the query left out. */
  a: readonly (readonly number[])[];
  b: readonly (readonly number[])[];
  /** Names logged with each click (the arms' rankers). */
  names: { a: string; b: string };
  knobs: ClickModelKnobs;
  /** Zipf exponent of query popularity: 0 samples queries uniformly, 1 makes the top query twice the second's traffic. */
  zipf: number;
  seed: number;
}

/**
 * The p-values are recorded after session 1, 2, 3, … and then about every 5 % more sessions:
 * fine where significance is usually reached, a few hundred points for a long run.
 */
const CURVE_GROWTH = 1.05;

export interface ArmMetrics {
  sessions: number;
  sessionsWithClick: number;
  clicks: number;
  /** Sessions with a click ÷ sessions. */
  ctr: number;
  clicksPerSession: number;
  /** Mean time spent on a clicked result, seconds; 0 without clicks. */
  dwellSeconds: number;
  /** Clicks at each rank (index 0 = rank 1) ÷ sessions: the position-bias curve. */
  ctrByRank: number[];
}

/** A click to keep in the click log; `ranker` is the arm's name, or both joined for an interleaved list. */
export interface LoggedClick {
  queryId: number;
  ranker: string;
  rank: number;
  resultId: number;
  dwellSeconds: number;
  propensity: number;
}

/** Simulated clicks as click-log events (`source: 'sim'`), all stamped with one time. */
export function simulatedClickEvents(clicks: readonly LoggedClick[], catalogue: string, time: number): ClickEvent[] {
  return clicks.map((click) => ({
    catalogue,
    source: 'sim',
    queryId: click.queryId,
    ranker: click.ranker,
    rank: click.rank,
    resultId: click.resultId,
    time,
    dwellMs: Math.round(click.dwellSeconds * 1000),
    propensity: click.propensity,
  }));
}

export interface CurvePoint {
  sessions: number;
  abP: number;
  interleavingP: number;
}

export interface ExperimentResult {
  sessions: number;
  a: ArmMetrics;
  b: ArmMetrics;
  /**
   * `significantFrom`: the sessions after which the p-value stayed below ALPHA to the end of
   * the run (null when it ends above): an early dip that comes back up does not count.
   */
  ab: ProportionDifference & { sessionsNeeded: number; significantFrom: number | null };
  interleaving: {
    aWins: number;
    bWins: number;
    ties: number;
    pValue: number;
    sessionsNeeded: number;
    significantFrom: number | null;
  };
  curve: CurvePoint[];
}

/**
 * Picks a query index: uniformly, or with Zipf popularity 1 / rank^s over a seeded shuffle of
 * the queries (so the popular ones are not all of the first label).
 */
export function querySampler(count: number, zipf: number, random: () => number): () => number {
  if (zipf <= 0) return () => Math.floor(random() * count);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < count; r++) cumulative.push((total += 1 / Math.pow(r + 1, zipf)));
  return () => {
    const target = random() * total;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return order[low];
  };
}

class ArmTally {
  sessions = 0;
  sessionsWithClick = 0;
  clicks = 0;
  dwellTotal = 0;
  byRank: number[] = [];

  add(clicks: readonly SimulatedClick[]): void {
    this.sessions++;
    if (clicks.length > 0) this.sessionsWithClick++;
    for (const click of clicks) {
      this.clicks++;
      this.dwellTotal += click.dwellSeconds;
      while (this.byRank.length < click.rank) this.byRank.push(0);
      this.byRank[click.rank - 1]++;
    }
  }

  metrics(ranks: number): ArmMetrics {
    const per = (n: number) => (this.sessions > 0 ? n / this.sessions : 0);
    return {
      sessions: this.sessions,
      sessionsWithClick: this.sessionsWithClick,
      clicks: this.clicks,
      ctr: per(this.sessionsWithClick),
      clicksPerSession: per(this.clicks),
      dwellSeconds: this.clicks > 0 ? this.dwellTotal / this.clicks : 0,
      ctrByRank: Array.from({ length: ranks }, (_, r) => per(this.byRank[r] ?? 0)),
    };
  }
}

export class OnlineExperiment {
  private readonly abRandom: () => number;
  private readonly interleavingRandom: () => number;
  private readonly abQuery: () => number;
  private readonly interleavingQuery: () => number;
  private readonly tallies = { a: new ArmTally(), b: new ArmTally() };
  private readonly outcomes: Record<Outcome, number> = { a: 0, b: 0, tie: 0 };
  private readonly curve: CurvePoint[] = [];
  private readonly ranks: number;
  private done = 0;
  private nextRecord = 1;
  private abSince: number | null = null;
  private interleavingSince: number | null = null;

  constructor(private readonly setup: ExperimentSetup) {
    if (setup.queryIds.length === 0) throw new Error('no queries: the index is empty');
    // Separate streams, so the two methods see independent users of the same population.
    this.abRandom = seededRandom(setup.seed);
    this.interleavingRandom = seededRandom(setup.seed ^ 0x5bd1e995);
    this.abQuery = querySampler(setup.queryIds.length, setup.zipf, this.abRandom);
    this.interleavingQuery = querySampler(setup.queryIds.length, setup.zipf, this.interleavingRandom);
    this.ranks = Math.max(0, ...setup.a.map((l) => l.length), ...setup.b.map((l) => l.length));
  }

  get sessions(): number {
    return this.done;
  }

  private relevance(query: number, ids: readonly number[]): boolean[] {
    const label = this.setup.labelOf.get(this.setup.queryIds[query]);
    return ids.map((id) => this.setup.labelOf.get(id) === label);
  }

  /** Runs `count` more sessions of each method; returns their clicks for the log. */
  run(count: number): LoggedClick[] {
    const { setup } = this;
    const logged: LoggedClick[] = [];
    const log = (query: number, ranker: string, ids: readonly number[], clicks: readonly SimulatedClick[]) => {
      for (const click of clicks) {
        logged.push({
          queryId: setup.queryIds[query],
          ranker,
          rank: click.rank,
          resultId: ids[click.rank - 1],
          dwellSeconds: click.dwellSeconds,
          propensity: click.propensity,
        });
      }
    };
    for (let i = 0; i < count; i++) {
      // A/B: this user is assigned to one arm and sees its list.
      const abQuery = this.abQuery();
      const arm = this.abRandom() < 0.5 ? 'a' : 'b';
      const shown = setup[arm][abQuery];
      const abClicks = simulateSession(this.relevance(abQuery, shown), setup.knobs, this.abRandom);
      this.tallies[arm].add(abClicks);
      log(abQuery, setup.names[arm], shown, abClicks);

      // Interleaving: another user sees one list drafted from both.
      const query = this.interleavingQuery();
      const merged = teamDraft(setup.a[query], setup.b[query], this.ranks, this.interleavingRandom);
      const clicks = simulateSession(this.relevance(query, merged.ids), setup.knobs, this.interleavingRandom);
      this.outcomes[
        credit(
          merged,
          clicks.map((c) => c.rank),
        )
      ]++;
      log(query, `${setup.names.a}+${setup.names.b} interleaved`, merged.ids, clicks);

      this.done++;
      if (this.done >= this.nextRecord) this.record();
    }
    return logged;
  }

  private abTest(): ProportionDifference {
    const { a, b } = this.tallies;
    return compareProportions(
      { successes: a.sessionsWithClick, trials: a.sessions },
      { successes: b.sessionsWithClick, trials: b.sessions },
    );
  }

  private record(): void {
    const abP = this.abTest().pValue;
    const interleavingP = signTest(this.outcomes.a, this.outcomes.b);
    this.abSince = abP < ALPHA ? (this.abSince ?? this.done) : null;
    this.interleavingSince = interleavingP < ALPHA ? (this.interleavingSince ?? this.done) : null;
    this.nextRecord = Math.max(this.done + 1, Math.ceil(this.done * CURVE_GROWTH));
    this.curve.push({ sessions: this.done, abP, interleavingP });
  }

  result(): ExperimentResult {
    if (this.curve.at(-1)?.sessions !== this.done) this.record();
    const a = this.tallies.a.metrics(this.ranks);
    const b = this.tallies.b.metrics(this.ranks);
    const { a: aWins, b: bWins, tie: ties } = this.outcomes;
    return {
      sessions: this.done,
      a,
      b,
      ab: { ...this.abTest(), sessionsNeeded: abSessionsNeeded(a.ctr, b.ctr), significantFrom: this.abSince },
      interleaving: {
        aWins,
        bWins,
        ties,
        pValue: signTest(aWins, bWins),
        sessionsNeeded: interleavingSessionsNeeded(aWins, bWins, ties),
        significantFrom: this.interleavingSince,
      },
      curve: [...this.curve],
    };
  }
}
