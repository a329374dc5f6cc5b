import { candidateCount, type RerankRules } from '../../../lib/rerank';
import { DEFAULT_DEDUP_THRESHOLD, DEFAULT_MMR_LAMBDA, rerankRules } from '../../../lib/rerankRules';
import type { AppParams } from '../../../lib/params';
import type { ProjectionHead } from '../../../lib/projectionHead';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import { STARVED_HNSW, type Arm } from '../shared/protocol';
import type { OnlineClient } from './onlineClient';

/** The Training tab's last head, for the trained arm, and where the catalogue is projected through it. */
export interface TrainedHeads {
  readonly head: ProjectionHead | null;
  project(head: ProjectionHead, vectors: Float32Array): Promise<Float32Array>;
}

const NEEDS_HEAD = 'needs a trained head (Training tab)';

/** Why an arm cannot be chosen now, shown in its option; null when it can. */
export function armUnavailable(arm: Arm, heads: TrainedHeads): string | null {
  return arm === 'trained' && heads.head === null ? NEEDS_HEAD : null;
}

/** What each arm ranks with, in one sentence (shown under the selects). */
export function armDescription(arm: Arm, params: AppParams): string {
  switch (arm) {
    case 'exact':
      return 'exact: the brute-force top k';
    case 'hnsw':
      return `hnsw: the page's index (M ${params.M}, efConstruction ${params.efConstruction}) at efSearch ${params.efSearch}`;
    case 'hnsw-starved':
      return `hnsw-starved: an index built with M ${STARVED_HNSW.M}, efConstruction ${STARVED_HNSW.efConstruction}, searched at efSearch ${STARVED_HNSW.efSearch}`;
    case 'rerank':
      return `rerank: exact candidates (3k) through the page's re-ranking rules, near-duplicates above ${params.dedup ?? DEFAULT_DEDUP_THRESHOLD} removed, no MMR`;
    case 'mmr':
      return `mmr: the same with MMR λ ${params.mmr ?? DEFAULT_MMR_LAMBDA} for diversity`;
    case 'trained':
      return "trained: the exact top k through the Training tab's last head (the other arms rank with what the Search tab serves)";
  }
}

/** The re-ranking rules of the `rerank` and `mmr` arms: the page's, with the arm's step switched on. */
function armRules(arm: 'rerank' | 'mmr', params: AppParams, catalogue: CatalogueStage): RerankRules {
  const settings = { ...params, rerank: true, dedup: params.dedup ?? DEFAULT_DEDUP_THRESHOLD };
  const rules = rerankRules(
    arm === 'mmr' ? { ...settings, mmr: params.mmr ?? DEFAULT_MMR_LAMBDA } : { ...settings, mmr: null },
    catalogue.items,
  );
  if (!rules) throw new Error('re-ranking rules expected');
  return rules;
}

export interface ArmRankings {
  queryIds: number[];
  lists: Map<Arm, number[][]>;
}

export interface RankingContext {
  index: IndexStage;
  catalogue: CatalogueStage;
  online: OnlineClient;
  params: AppParams;
  heads: TrainedHeads;
  k: number;
  signal: AbortSignal;
  onProgress: (stage: string, done: number, total: number) => void;
}

/**
 * Each arm's leave-one-out top k for every indexed image: what a user who searched with that
 * image would be shown. Null when cancelled.
 */
export async function rankArms(arms: readonly Arm[], context: RankingContext): Promise<ArmRankings | null> {
  const { index, catalogue, online, params, heads, k, signal, onProgress } = context;
  for (const arm of arms) {
    const why = armUnavailable(arm, heads);
    if (why) throw new Error(`The ${arm} arm ${why}.`);
  }
  const total = index.indexedIds.length;
  const reranked = arms.filter((arm): arm is 'rerank' | 'mmr' => arm === 'rerank' || arm === 'mmr');
  const fetch = reranked.length > 0 ? candidateCount(k, Math.max(0, total - 1), true) : k;
  const report = (stage: string) => (done: number) => onProgress(stage, done, total);

  const base = await index.search.leaveOneOut(fetch, params.efSearch, report('ranking: exact and HNSW'), signal);
  if (!base) return null;
  const lists = new Map<Arm, number[][]>();
  lists.set(
    'exact',
    base.exact.map((list) => list.slice(0, k)),
  );
  lists.set(
    'hnsw',
    base.hnsw.map((list) => list.slice(0, k)),
  );

  if (arms.includes('hnsw-starved')) {
    const { M, efConstruction, efSearch } = STARVED_HNSW;
    const starved = await index.search.leaveOneOutOnIndex(
      { M, efConstruction },
      k,
      efSearch,
      report('ranking: the starved index'),
      signal,
    );
    if (!starved) return null;
    lists.set('hnsw-starved', starved);
  }

  for (const arm of reranked) {
    const { vectors, ids, dim } = await index.search.copyVectors(true);
    const request = { vectors, ids, dim, queryIds: base.queryIds, candidates: base.exact, k };
    const rules = armRules(arm, params, catalogue);
    const list = await online.rerankLists({ ...request, rules }, report(`ranking: ${arm}`), signal);
    if (!list) return null;
    lists.set(arm, list);
  }
  if (arms.includes('trained')) {
    const head = heads.head!;
    const frozen = await index.frozenVectors();
    const vectors = await heads.project(head, frozen.vectors);
    const dim = vectors.length / frozen.ids.length;
    const request = { vectors, ids: frozen.ids, dim, queryIds: base.queryIds, k };
    const list = await online.exactLists(request, report('ranking: trained'), signal);
    if (!list) return null;
    lists.set('trained', list);
  }
  return { queryIds: base.queryIds, lists };
}
