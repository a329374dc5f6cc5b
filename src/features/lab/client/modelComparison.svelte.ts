import { EmbeddingPool } from '../../embed/client/pool';
import { SearchClient } from '../../search/client/client';
import { evaluateRankings } from '../../../lib/offlineEvaluation';
import type { RankingScores } from '../../../lib/rankingMetrics';
import type { ModelInfo } from '../../../lib/types';
import { modelUrl } from '../../catalogue/client/assets';
import { embedCatalogue } from '../../embed/client/embedImages';
import { LabJob } from './labJob.svelte';
import { EVALUATION_K } from './evaluationLab.svelte';
import { clampToRange, hnswParams } from '../../../lib/params';

export interface ModelRow {
  model: string;
  dim: number;
  images: number;
  loadMs: number;
  decodeMs: number;
  inferMs: number;
  wallSeconds: number;
  buildMs: number;
  exact: RankingScores;
  hnsw: RankingScores;
}

/**
 * Runs the whole pipeline — embed, index, leave-one-out evaluation — once per model on this
 * catalogue, so the small-vs-large encoder trade-off is one table.
 */
export class ModelComparison extends LabJob {
  k = $state(10);
  stage = $state('');
  rows = $state.raw<ModelRow[]>([]);

  run(): Promise<void> {
    const models = this.lab.models;
    this.rows = [];
    return this.guard(async (signal) => {
      for (const [i, model] of models.entries()) {
        if (signal.aborted) break;
        const row = await this.measure(model, `${i + 1}/${models.length}`, signal);
        if (row) this.rows = [...this.rows, row];
      }
      this.stage = '';
    });
  }

  private async measure(model: ModelInfo, position: string, signal: AbortSignal): Promise<ModelRow | null> {
    const { catalogue, embed } = this.lab;
    const params = this.lab.params();
    const k = clampToRange(EVALUATION_K, this.k, 10);
    const size = embed.workerCount || 1;
    this.stage = `${position} ${model.id}: loading`;
    const pool = await EmbeddingPool.start({
      size,
      model,
      modelUrl: modelUrl(model.id),
      backend: params.backend,
    });
    // Its own search worker, so the serving index is untouched; ended with the measurement.
    const search = new SearchClient();
    try {
      const embedded = await embedCatalogue(
        async () => pool,
        catalogue.items.map((item) => ({ id: item.id, source: catalogue.imageUrl(item), hash: item.hash })),
        {
          signal,
          onProgress: (p) => {
            this.stage = `${position} ${model.id}: embedding ${p.done}/${p.total}`;
          },
          onFailures: () => {},
        },
      );
      const { cost } = embedded;
      if (signal.aborted || !cost) return null;
      const images = embedded.ids.length;
      await search.setVectors(embedded.vectors, embedded.ids, pool.ready.dim);
      const started = performance.now();
      const built = await search.buildIndex(
        hnswParams(params),
        (added) => {
          this.stage = `${position} ${model.id}: indexing ${added}/${images}`;
        },
        signal,
      );
      if (!built) return null;
      const buildMs = performance.now() - started;
      const rankings = await search.leaveOneOut(
        k,
        params.efSearch,
        (done) => {
          this.stage = `${position} ${model.id}: evaluating ${done}/${images}`;
        },
        signal,
      );
      if (!rankings) return null;
      const labelOf = new Map(catalogue.items.map((item) => [item.id, item.label]));
      return {
        model: model.id,
        dim: pool.ready.dim,
        images,
        loadMs: pool.ready.loadMs,
        decodeMs: cost.decodeMs,
        inferMs: cost.inferMs,
        wallSeconds: cost.wallSeconds,
        buildMs,
        exact: evaluateRankings(rankings.queryIds, rankings.exact, labelOf, k).overall,
        hnsw: evaluateRankings(rankings.queryIds, rankings.hnsw, labelOf, k).overall,
      };
    } finally {
      pool.terminate();
      search.terminate();
    }
  }
}
