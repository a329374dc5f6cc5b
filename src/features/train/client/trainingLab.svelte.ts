import { WorkerClient } from '../../../bridge/workerClient';
import { errorMessage } from '../../../lib/errors';
import { clampToRange, hnswParams } from '../../../lib/params';
import { PREPROCESSING_VERSION } from '../../../lib/preprocess';
import { decodeHead, encodeHead, type HeadSettings, type ProjectionHead } from '../../../lib/projectionHead';
import { ClickLogStore } from '../../online/client/clickLogStore';
import { LabJob, type LabContext } from '../../lab/client/labJob.svelte';
import { TRAIN_WORKER } from '../shared/protocol';
import { DEFAULT_HEAD_SETTINGS, type EpochLoss, type TrainingData, type TrainingOutcome } from '../shared/training';
import { headFamily, headKey, HeadStore } from './headStore';
import { embedViews, type ViewCost } from './viewEmbedding';
import { splitRows, type SplitMode } from '../../../lib/trainingSplit';

export type TrainingState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/** clampToRange for knobs that are not whole numbers (it rounds). */
function clampFraction(min: number, max: number, value: number | null | undefined, fallback: number): number {
  return value === null || value === undefined || !Number.isFinite(value)
    ? fallback
    : Math.min(max, Math.max(min, value));
}

/** The training worker holds TensorFlow.js and its WASM heap: ended after a minute idle. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * The Training tab: trains a projection head on the frozen embeddings of the training split in
 * its own worker, measures the test split before and after, keeps the head in IndexedDB, and
 * serves the catalogue through it on request (the index stage's `useHead`).
 */
export class TrainingLab extends LabJob {
  settings = $state<HeadSettings>({ ...DEFAULT_HEAD_SETTINGS });
  state = $state<TrainingState>('idle');
  stage = $state('');
  epochs = $state.raw<EpochLoss[]>([]);
  outcome = $state.raw<TrainingOutcome | null>(null);
  /** The head to index with: the last trained, restored or imported one. */
  head = $state.raw<ProjectionHead | null>(null);
  /** Where `head` came from, said beside the Use checkbox. */
  headOrigin = $state('');
  /** The index is being rebuilt with or without the head. */
  switching = $state(false);
  /** What the `augment` source's views cost in the last run that used it. */
  viewCost = $state.raw<ViewCost | null>(null);
  private readonly worker = new WorkerClient(
    () => new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module', name: 'train' }),
    TRAIN_WORKER,
    { idleTimeoutMs: IDLE_TIMEOUT_MS },
  );
  private store: Promise<HeadStore> | null = null;

  constructor(
    lab: LabContext,
    /** k of the ranking metrics: the Evaluation tab's (eval-k). */
    private readonly k: () => number,
  ) {
    super(lab);
  }

  private get family(): string {
    return headFamily(this.lab.catalogue.id, this.lab.embed.model.id, PREPROCESSING_VERSION);
  }

  private heads(): Promise<HeadStore> {
    this.store ??= HeadStore.open((message) => (this.error = message));
    return this.store;
  }

  /** Offers the head an earlier visit trained for this catalogue and model (once, when the tab opens). */
  async restore(): Promise<void> {
    if (this.outcome || this.head) return;
    const stored = await (await this.heads()).latest(this.family);
    if (!stored || this.outcome || this.head) return;
    this.outcome = stored.outcome;
    this.epochs = stored.outcome.epochs;
    this.head = stored.outcome.head;
    this.settings = { ...stored.outcome.head.settings };
    this.headOrigin = `trained on ${new Date(stored.savedAt).toLocaleString()}, read back from browser storage`;
    this.state = 'done';
  }

  /** The knobs as typed, each brought into its range (an emptied field takes the default). */
  private clampedSettings(): HeadSettings {
    const s = $state.snapshot(this.settings);
    const d = DEFAULT_HEAD_SETTINGS;
    return {
      ...s,
      testFraction: clampFraction(0.05, 0.95, s.testFraction, d.testFraction),
      epochs: clampToRange({ min: 1, max: 200 }, s.epochs, d.epochs),
      temperature: clampFraction(0.01, 1, s.temperature, d.temperature),
      dim: clampToRange({ min: 2, max: 1280 }, s.dim, d.dim),
      layers: Number(s.layers) >= 2 ? 2 : 1,
    };
  }

  run(): Promise<void> {
    const settings = this.clampedSettings();
    this.settings = { ...settings };
    const k = this.k();
    this.epochs = [];
    this.viewCost = null;
    this.stage = 'reading the embeddings';
    this.state = 'running';
    return this.guard(async (signal) => {
      const data = await this.trainingData(settings, signal);
      if (!data) {
        this.state = 'cancelled';
        return;
      }
      const outcome = await this.worker.train(
        data,
        settings,
        k,
        (loss: EpochLoss) => {
          this.epochs = [...this.epochs, loss];
        },
        (stage: string) => {
          this.stage = stage;
        },
        signal,
      );
      if (!outcome) {
        this.state = 'cancelled';
        return;
      }
      this.outcome = outcome;
      this.head = outcome.head;
      this.headOrigin = 'trained just now';
      this.state = 'done';
      const family = this.family;
      await (await this.heads()).put({ key: headKey(family, settings), family, outcome, savedAt: Date.now() });
    }).then(() => {
      if (this.error && this.state === 'running') this.state = 'error';
      if (this.state === 'running') this.state = 'cancelled';
    });
  }

  /** Serves the catalogue through the head (on) or with the frozen embeddings (off). */
  async setUseTrained(on: boolean): Promise<void> {
    const head = on ? this.head : null;
    if (on && !head) return;
    this.switching = true;
    this.error = null;
    try {
      await this.lab.index.useHead(head, hnswParams(this.lab.params()), (h, vectors) => this.project(h, vectors));
    } catch (error) {
      this.error = `The index could not switch: ${errorMessage(error)}`;
    } finally {
      this.switching = false;
    }
  }

  /** Projects vectors (transferred) through a head in the training worker, off the main thread. */
  project(head: ProjectionHead, vectors: Float32Array): Promise<Float32Array> {
    return this.worker.project(head, vectors);
  }

  /** The head as a small file (its layers and the settings it was trained with). */
  exportHead(): { name: string; blob: Blob } | null {
    if (!this.head) return null;
    const name = `${this.lab.catalogue.id}.${this.head.modelId}.head.json`;
    return { name, blob: new Blob([encodeHead(this.head)], { type: 'application/json' }) };
  }

  /** A head file made here or by `npm run train`; refused when it sits on another model. */
  async importHead(file: File): Promise<void> {
    this.error = null;
    try {
      const head = decodeHead(await file.text());
      const model = this.lab.embed.model.id;
      if (head.modelId !== model) throw new Error(`it was trained on ${head.modelId}, not ${model}`);
      if (this.lab.index.head) await this.setUseTrained(false);
      this.head = head;
      this.outcome = null;
      this.epochs = [];
      this.state = 'idle';
      this.headOrigin = `imported from ${file.name} (trained on ${head.catalogueId}; no measurement here yet)`;
    } catch (error) {
      this.error = `The head file could not be used: ${errorMessage(error)}`;
    }
  }

  /** The frozen vectors, labels, and what the source needs besides: the click log, or embedded views. Null when cancelled. */
  private async trainingData(settings: HeadSettings, signal: AbortSignal): Promise<TrainingData | null> {
    const { catalogue, embed, index } = this.lab;
    const frozen = await index.frozenVectors();
    const ids = Array.from(frozen.ids);
    const labels = ids.map((id) => catalogue.itemById.get(id)?.label ?? '');
    const clicks =
      settings.positives === 'clicks'
        ? await (await ClickLogStore.open((message) => (this.stage = message))).list(catalogue.id)
        : [];
    let views: Float32Array | null = null;
    if (settings.positives === 'augment') {
      // The same seeded split the worker makes: views of the training split's images only.
      const { train } = splitRows(labels, {
        testFraction: settings.testFraction,
        mode: settings.split as SplitMode,
        seed: settings.seed,
      });
      const embedded = await embedViews(
        embed,
        catalogue,
        train.map((row) => ids[row]),
        frozen.dim,
        settings.seed,
        signal,
        (done, total) => (this.stage = `embedding augmented views: ${done} / ${total}`),
      );
      if (!embedded) return null;
      views = embedded.views;
      this.viewCost = embedded.cost;
    }
    return {
      vectors: frozen.vectors,
      dim: frozen.dim,
      ids,
      labels,
      clicks,
      views,
      modelId: embed.model.id,
      preprocessing: PREPROCESSING_VERSION,
      catalogueId: catalogue.id,
    };
  }
}
