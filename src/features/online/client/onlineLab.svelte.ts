import { DEFAULT_CLICK_KNOBS, type ClickModelKnobs } from '../../../lib/clickModels';
import { evaluateRankings } from '../../../lib/offlineEvaluation';
import { simulatedClickEvents, type ExperimentResult } from '../../../lib/onlineSimulation';
import { clampToRange } from '../../../lib/params';
import type { RankingScores } from '../../../lib/rankingMetrics';
import { LabJob, type LabContext } from '../../lab/client/labJob.svelte';
import type { Arm } from '../shared/protocol';
import { rankArms, type TrainedHeads } from './armLists';
import type { ClickLog } from './clickLog.svelte';
import { OnlineClient } from './onlineClient';

export const SESSIONS = { min: 10, max: 200_000 };
/** The ranks users see: the page's k, at most this many. */
export const MAX_RANKS = 50;

export interface OnlineRun {
  arms: { a: Arm; b: Arm };
  k: number;
  knobs: ClickModelKnobs;
  zipf: number;
  seed: number;
  queries: number;
  /** The offline metrics of each arm's lists, leave-one-out, relevance = same label. */
  offline: { a: RankingScores; b: RankingScores };
  experiment: ExperimentResult;
  seconds: number;
}

/**
 * The Online tab: simulated users search with catalogue images, see each arm's leave-one-out
 * top k, and click by a click model; an A/B split and team-draft interleaving compare the arms
 * on the same number of sessions. Every simulated click goes to the click log.
 */
export class OnlineLab extends LabJob {
  sessions = $state(5000);
  knobs = $state<ClickModelKnobs>({ ...DEFAULT_CLICK_KNOBS });
  zipf = $state(0);
  seed = $state(1);
  /** The rankers compared: exact against the starved index by default, a gap the simulated users see. */
  arms = $state<{ a: Arm; b: Arm }>({ a: 'exact', b: 'hnsw-starved' });
  progress = $state({ stage: '', done: 0, total: 0 });
  result = $state.raw<OnlineRun | null>(null);
  private readonly online = new OnlineClient();

  constructor(
    lab: LabContext,
    readonly clicks: ClickLog,
    /** The trained arm's head: the Training tab's. */
    readonly heads: TrainedHeads,
  ) {
    super(lab);
  }

  run(): Promise<void> {
    const { index, catalogue } = this.lab;
    const params = this.lab.params();
    const k = Math.min(MAX_RANKS, params.k);
    const sessions = clampToRange(SESSIONS, this.sessions, 5000);
    const arms = { ...this.arms };
    const knobs = $state.snapshot(this.knobs);
    const { zipf, seed } = this;
    const started = performance.now();
    return this.guard(async (signal) => {
      const onProgress = (stage: string, done: number, total: number) => {
        this.progress = { stage, done, total };
      };
      onProgress('ranking', 0, index.indexedIds.length);
      const ranked = await rankArms([arms.a, arms.b], {
        index,
        catalogue,
        online: this.online,
        params,
        heads: this.heads,
        k,
        signal,
        onProgress,
      });
      if (!ranked) return;
      const { queryIds, lists } = ranked;
      const labelOf = new Map(catalogue.items.map((item) => [item.id, item.label]));
      const a = lists.get(arms.a)!;
      const b = lists.get(arms.b)!;
      onProgress('simulating users', 0, sessions);
      const output = await this.online.simulate(
        { queryIds, labelOf, a, b, names: arms, knobs, zipf, seed, sessions },
        (done) => onProgress('simulating users', done, sessions),
        signal,
      );
      if (!output) return;
      this.result = {
        arms,
        k,
        knobs,
        zipf,
        seed,
        queries: queryIds.length,
        offline: {
          a: evaluateRankings(queryIds, a, labelOf, k).overall,
          b: evaluateRankings(queryIds, b, labelOf, k).overall,
        },
        experiment: output.result,
        seconds: (performance.now() - started) / 1000,
      };
      const events = simulatedClickEvents(output.clicks, catalogue.id, Date.now());
      onProgress('saving the clicks to the click log', 0, 0);
      await this.clicks.append(events);
    });
  }
}
