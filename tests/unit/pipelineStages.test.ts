import { describe, expect, it } from 'vitest';
import { detectStage, formatMs, indexingStages, predictionStages, rerankSummary } from '../../src/lib/pipelineStages';
import type { RerankOutcome } from '../../src/lib/rerank';

const outcome = (
  candidates: number,
  kept: number,
  removed: RerankOutcome['removed'],
  afterFilters = candidates,
): RerankOutcome => ({
  candidates,
  afterFilters,
  kept: Array.from({ length: kept }, (_, id) => ({ id, score: 1 })),
  removed,
  times: { filterMs: 0.01, dedupMs: 0.2, mmrMs: 0, totalMs: 0.21 },
});

describe('pipeline view figures', () => {
  const reranked = {
    fetched: 30,
    exactCandidatesMs: 6.5,
    hnswCandidatesMs: 1.25,
    exact: outcome(30, 10, []),
    hnsw: outcome(
      30,
      10,
      [
        { id: 40, score: 0.9, rank: 2, reason: 'near-duplicate', duplicateOf: 1, similarity: 0.98 },
        { id: 41, score: 0.8, rank: 5, reason: 'private' },
      ],
      29,
    ),
  };

  it('an uploaded query shows its preprocessing and model times; every stage names what it passes on', () => {
    const stages = predictionStages(
      { query: { fromCatalogue: false, preprocessMs: 8, modelMs: 40 }, dim: 1280, efSearch: 64, reranked },
      false,
    );
    expect(stages.map((s) => [s.name, s.ms])).toEqual([
      ['preprocess', 8],
      ['embed', 40],
      ['ann', 1.25],
      ['exact', 6.5],
      ['rerank', 0.21],
      ['results', null],
    ]);
    expect(stages.find((s) => s.name === 'embed')!.output).toBe('1280-d vector');
    expect(stages.find((s) => s.name === 'ann')!.output).toBe('30 candidates · efSearch 64');
    expect(stages.find((s) => s.name === 'rerank')!.output).toBe('30 in · −1 by rules · −1 near-duplicate · 10 out');
    expect(stages.every((s) => s.note === null && s.explain.length > 40)).toBe(true);
  });

  it('a catalogue query was embedded already: 0 ms with a note', () => {
    const stages = predictionStages(
      { query: { fromCatalogue: true, preprocessMs: 0, modelMs: 0 }, dim: 1280, efSearch: 64, reranked },
      true,
    );
    for (const name of ['preprocess', 'embed']) {
      const stage = stages.find((s) => s.name === name)!;
      expect(stage.ms).toBe(0);
      expect(stage.note).toMatch(/embedded at indexing time/);
    }
    expect(rerankSummary(reranked.exact, true)).toBe('30 in · MMR · 10 out');
  });

  it('has no figures before the first query', () => {
    const stages = predictionStages({ query: null, dim: 1280, efSearch: 64, reranked: null }, false);
    expect(stages.every((s) => s.ms === null && s.output === null)).toBe(true);
  });

  it('the indexing pipeline shows embedding wall time and build time', () => {
    const stages = indexingStages({
      images: 51,
      embedSeconds: 3.5,
      embedded: 50,
      reused: 0,
      buildMs: 120,
      indexed: 50,
      M: 16,
      efConstruction: 200,
      source: 'built',
    });
    expect(stages.map((s) => [s.name, s.ms, s.output, s.note])).toEqual([
      ['store', null, '51 images', null],
      ['indexing', 3500, '50 vectors', null],
      ['index', 120, '50 vectors searchable · M 16, efConstruction 200', null],
    ]);
  });

  it('says when vectors were reused and the index read back instead of computed', () => {
    const stages = indexingStages({
      images: 51,
      embedSeconds: null,
      embedded: 50,
      reused: 50,
      buildMs: 300,
      indexed: 50,
      M: 16,
      efConstruction: 200,
      source: 'stored',
    });
    expect(stages.map((s) => s.note)).toEqual([
      null,
      '50 vectors precomputed or kept by an earlier visit: not embedded again',
      'read back from browser storage, not built',
    ]);
  });

  it('says when the index was read from the file shipped with the catalogue', () => {
    const stages = indexingStages({
      images: 6,
      embedSeconds: null,
      embedded: 6,
      reused: 6,
      buildMs: 40,
      indexed: 6,
      M: 16,
      efConstruction: 200,
      source: 'shipped',
    });
    expect(stages.find((s) => s.name === 'index')?.note).toBe(
      'read from the index shipped with the catalogue (built by setup), not built',
    );
  });

  it('formats milliseconds for reading at a glance', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.0123)).toBe('0.01 ms');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(123.4)).toBe('123 ms');
    expect(formatMs(63300)).toBe('63.3 s');
  });
});

describe('detect stage', () => {
  it('shows the detector time and the boxes at the threshold, or why it is off', () => {
    const shown = detectStage({ ms: 41.5, boxes: 2, threshold: 0.3, off: null });
    expect([shown.name, shown.ms, shown.output, shown.note]).toEqual(['detect', 41.5, '2 boxes ≥ 0.30', null]);
    expect(detectStage({ ms: 12, boxes: 1, threshold: 0.5, off: null }).output).toBe('1 box ≥ 0.50');
    const off = detectStage({ ms: null, boxes: 0, threshold: 0.3, off: 'no detector' });
    expect([off.ms, off.output, off.note]).toEqual([null, null, 'no detector']);
  });
});
