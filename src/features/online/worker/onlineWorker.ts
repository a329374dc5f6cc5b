import type { WorkerImplementation } from '../../../bridge/protocol';
import { dot, exactTopK } from '../../../lib/exactSearch';
import { OnlineExperiment } from '../../../lib/onlineSimulation';
import { rerank } from '../../../lib/rerank';
import type { LoggedClick } from '../../../lib/onlineSimulation';
import type { ONLINE_WORKER } from '../shared/protocol';

/** Sessions between checkpoints: a cancel is seen within one batch. */
const BATCH = 200;

/** The Online tab's worker: simulated users on the arms' result lists, and the re-ranked arms' lists. */
export function onlineWorker(): WorkerImplementation<typeof ONLINE_WORKER> {
  return {
    async simulate(job, request, onProgress) {
      const { sessions, ...setup } = request;
      const experiment = new OnlineExperiment(setup);
      const clicks: LoggedClick[] = [];
      while (experiment.sessions < sessions) {
        for (const click of experiment.run(Math.min(BATCH, sessions - experiment.sessions))) clicks.push(click);
        onProgress(experiment.sessions);
        await job.checkpoint();
      }
      return { result: experiment.result(), clicks };
    },

    async rerankLists(job, request, onProgress) {
      const { vectors, ids, dim, queryIds, candidates, k, rules } = request;
      const rowOf = new Map(Array.from(ids, (id, row) => [id, row]));
      const vectorOf = (id: number) => {
        const row = rowOf.get(id);
        if (row === undefined) throw new Error(`no vector for image ${id}`);
        return vectors.subarray(row * dim, (row + 1) * dim);
      };
      const lists: number[][] = [];
      for (const [i, queryId] of queryIds.entries()) {
        const query = vectorOf(queryId);
        const scored = candidates[i].map((id) => ({ id, score: dot(query, 0, vectorOf(id), dim) }));
        lists.push(rerank(scored, k, rules, vectorOf).kept.map((n) => n.id));
        if (lists.length % 64 === 0) onProgress(lists.length);
        await job.checkpoint();
      }
      onProgress(lists.length);
      return lists;
    },

    async exactLists(job, request, onProgress) {
      const { vectors, ids, dim, queryIds, k } = request;
      const rowOf = new Map(Array.from(ids, (id, row) => [id, row]));
      const lists: number[][] = [];
      for (const queryId of queryIds) {
        const row = rowOf.get(queryId);
        if (row === undefined) throw new Error(`no vector for image ${queryId}`);
        const query = vectors.subarray(row * dim, (row + 1) * dim);
        const top = exactTopK(vectors, ids, dim, query, k + 1).filter((n) => n.id !== queryId);
        lists.push(top.slice(0, k).map((n) => n.id));
        if (lists.length % 64 === 0) onProgress(lists.length);
        await job.checkpoint();
      }
      onProgress(lists.length);
      return lists;
    },
  };
}
