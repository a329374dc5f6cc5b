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
}

/**
 * What every lab tab shares: its running flag and error for the page, one lab job at a time
 * across the page (so no measurement runs while another loads the two cores), and Cancel,
 * which aborts the signal the running job was given.
 */
export abstract class LabJob {
  running = $state(false);
  error = $state<string | null>(null);
  private abort: AbortController | null = null;

  constructor(protected readonly lab: LabContext) {}

  protected async guard(job: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.error = null;
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
