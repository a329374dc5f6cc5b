import { seededSample } from '../../../lib/experiments';
import { clampToRange } from '../../../lib/params';
import { LabJob } from '../../lab/client/labJob.svelte';
import { PQ_M, RESCORE, type QuantizationResult } from '../shared/methods';
import { quantizationCsv, quantizationTable, type QuantizationTableRow } from '../shared/quantizationTable';

const SAMPLE_SEED = 42;
export const QUERIES = { min: 1, max: 100_000, default: 300 };

export interface QuantizationRun {
  result: QuantizationResult;
  rows: QuantizationTableRow[];
  rescore: number;
  pqM: number;
  /** The binary codes were cut after a random rotation. */
  rotate: boolean;
}

/** The memory–recall–latency trade-off of compact codes, measured on this catalogue in the search worker. */
export class QuantizationLab extends LabJob {
  rescore = $state(RESCORE.default);
  pqM = $state(PQ_M.default);
  queries = $state(QUERIES.default);
  /** Binary codes after a seeded random rotation (off: the plain per-dimension bits). */
  rotate = $state(false);
  progress = $state({ done: 0, total: 0, stage: '' });
  result = $state.raw<QuantizationRun | null>(null);
  csvUrl = $state<string | null>(null);

  run(): Promise<void> {
    const { index, catalogue } = this.lab;
    const { k } = this.lab.params();
    const dim = Math.max(1, index.dim);
    const rescore = clampToRange(RESCORE, this.rescore, RESCORE.default);
    const pqM = clampToRange({ min: PQ_M.min, max: Math.min(PQ_M.max, dim) }, this.pqM, Math.min(PQ_M.default, dim));
    this.rescore = rescore;
    this.pqM = pqM;
    const rotate = this.rotate;
    return this.guard(async (signal) => {
      const ids = index.indexedIds;
      const queryIds = seededSample(ids, clampToRange({ min: 1, max: ids.length }, this.queries, 300), SAMPLE_SEED);
      const result = await index.search.quantization(
        { k, rescore, pqM, rotate, queryIds },
        (progress) => {
          this.progress = progress;
        },
        signal,
      );
      if (!result) return;
      const labelOf = new Map(catalogue.items.map((item) => [item.id, item.label]));
      const rows = quantizationTable(result, labelOf, ids);
      this.result = { result, rows, rescore, pqM, rotate };
      if (this.csvUrl) URL.revokeObjectURL(this.csvUrl);
      this.csvUrl = URL.createObjectURL(
        new Blob([quantizationCsv(rows, result.k, result.queryIds.length)], { type: 'text/csv' }),
      );
    });
  }
}
