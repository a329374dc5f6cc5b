/**
 * Clicks for `npm run train -- --positives clicks` when no click log is given: simulated users,
 * as the Online tab makes them (src/lib/onlineSimulation.ts, the default click model), searching
 * with catalogue images and clicking in the exact top k. Relevance is "same label", so these
 * pairs are noisy label pairs seen through position bias; every event says source `sim`.
 */
import type { ClickEvent } from '../src/lib/clickLog';
import { DEFAULT_CLICK_KNOBS } from '../src/lib/clickModels';
import { exactTopK } from '../src/lib/exactSearch';
import { OnlineExperiment, simulatedClickEvents } from '../src/lib/onlineSimulation';
import type { TrainingData } from '../src/features/train/shared/training';

export function simulateClicks(data: TrainingData, sessions: number, seed: number, k = 10): ClickEvent[] {
  const { vectors, dim, ids } = data;
  const lists = ids.map((queryId, row) =>
    exactTopK(vectors, ids, dim, vectors.subarray(row * dim, (row + 1) * dim), k + 1)
      .filter((n) => n.id !== queryId)
      .slice(0, k)
      .map((n) => n.id),
  );
  const experiment = new OnlineExperiment({
    queryIds: ids,
    labelOf: new Map(ids.map((id, row) => [id, data.labels[row]])),
    a: lists,
    b: lists,
    names: { a: 'exact', b: 'exact' },
    knobs: DEFAULT_CLICK_KNOBS,
    zipf: 0,
    seed,
  });
  return simulatedClickEvents(experiment.run(sessions), data.catalogueId, Date.now());
}
