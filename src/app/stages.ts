import type { CatalogueSummary, ModelIndex } from '../lib/types';
import type { CatalogueStage } from '../features/catalogue/client/catalogueStage.svelte';
import type { LiveIndexing } from '../features/catalogue/client/liveIndexing.svelte';
import type { DetectStage } from '../features/detect/client/detectStage.svelte';
import type { ObjectIndexing } from '../features/detect/client/objectIndexing.svelte';
import type { EmbedStage } from '../features/embed/client/embedStage.svelte';
import type { EvaluationLab } from '../features/lab/client/evaluationLab.svelte';
import type { ModelComparison } from '../features/lab/client/modelComparison.svelte';
import type { ScaleLab } from '../features/lab/client/scaleLab.svelte';
import type { SweepLab } from '../features/lab/client/sweepLab.svelte';
import type { MapLab } from '../features/map/client/mapLab.svelte';
import type { ClickLog } from '../features/online/client/clickLog.svelte';
import type { OnlineLab } from '../features/online/client/onlineLab.svelte';
import type { PgvectorStage } from '../features/pgvector/client/pgvectorStage.svelte';
import type { QuantizationLab } from '../features/quantize/client/quantizationLab.svelte';
import type { PqColumn } from '../features/quantize/client/pqColumn.svelte';
import type { QueryStage } from '../features/query/client/queryStage.svelte';
import type { IndexStage } from '../features/search/client/indexStage.svelte';
import type { BrowserStore } from '../features/storage/client/browserStore';
import type { TrainingLab } from '../features/train/client/trainingLab.svelte';

/** Everything that exists once the page's assets are loaded: one object per stage, and the labs. */
export interface Stages {
  models: ModelIndex;
  catalogues: CatalogueSummary[];
  storage: BrowserStore;
  catalogue: CatalogueStage;
  embed: EmbedStage;
  index: IndexStage;
  query: QueryStage;
  /** The indexing pipeline for images the user brings: own folder, added images, deletes. */
  live: LiveIndexing;
  /** Object detection on the query image, and search by object. */
  detect: DetectStage;
  labs: {
    sweep: SweepLab;
    scale: ScaleLab;
    evaluation: EvaluationLab;
    models: ModelComparison;
    training: TrainingLab;
    map: MapLab;
    online: OnlineLab;
    quantization: QuantizationLab;
  };
  /** Clicks on results, by a person (Search tab) or simulated users (Online tab). */
  clicks: ClickLog;
  /** Postgres + pgvector, only when `engines=` lists it (nothing of PGlite loads otherwise). */
  pgvector: PgvectorStage | null;
  /** The PQ column's codes, trained off the search worker when `engines=` lists pq. */
  pqColumn: PqColumn;
  /** Object-level index entries (`objects=1`): the catalogue's detected boxes as vectors of their own. */
  objects: ObjectIndexing;
}
