import { errorMessage } from '../../../lib/errors';
import type { ModelInfo } from '../../../lib/types';
import type { AppParams } from '../../../lib/params';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';

/** What the labs measure on: the page's catalogue, model and index, and its knobs now. */
export interface LabContext {
  catalogue: CatalogueStage;
  embed: EmbedStage;
  index: IndexStage;
  /** Every model set up, for the model comparison. */
  models: ModelInfo[];
  params: () => AppParams;
  /** Whether images are being indexed now (a folder or added images, running or paused). */
  indexing: () => boolean;
}

/** Why the labs do not run while images are being indexed: shown beside every lab's Run button. */
export const WAIT_FOR_INDEXING =
  'Waiting for indexing: your images are still being added to the index. A lab measures a fixed index and exact reference ' +
  'with nothing else using the cores, so Run is off until indexing finishes or you stop it (what is indexed stays).';

/**
 * What every lab tab shares: its running flag and error for the page, one lab job at a time
 * across the page (so no measurement runs while another loads the two cores), none while images
 * are being indexed (for the same reason, and so the index does not grow under it), and Cancel,
 * which aborts the signal the running job was given.
 */
export abstract class LabJob {
  running = $state(false);
  error = $state<string | null>(null);
  private abort: AbortController | null = null;

  constructor(protected readonly lab: LabContext) {}

  /** Why Run is off now, or null. Indexing would grow the index and its exact reference under a measurement. */
  get blocked(): string | null {
    return this.lab.indexing() ? WAIT_FOR_INDEXING : null;
  }

  /** Whether Run is on: no job of this tab running, an index to measure, and nothing blocking. */
  get canRun(): boolean {
    return !this.running && this.lab.index.canQuery && this.blocked === null;
  }

  protected async guard(job: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.error = null;
    if (this.blocked) {
      this.error = this.blocked;
      return;
    }
    this.running = true;
    const abort = new AbortController();
    this.abort = abort;
    try {
      await this.lab.index.exclusive(() => job(abort.signal));
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.running = false;
      if (this.abort === abort) this.abort = null;
    }
  }

  abstract run(): Promise<void>;

  cancel(): void {
    this.abort?.abort();
  }
}
