import { errorMessage } from '../../../lib/errors';
import type { Session } from '../../../app/session.svelte';

/**
 * What every lab tab shares: its running flag and error for the page, and one lab job at a
 * time across the page, so no measurement runs while another loads the two cores.
 */
export abstract class LabJob {
  running = $state(false);
  error = $state<string | null>(null);

  constructor(protected readonly session: Session) {}

  protected async guard(job: () => Promise<void>): Promise<void> {
    this.error = null;
    this.running = true;
    try {
      await this.session.exclusive(job);
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.running = false;
    }
  }

  abstract run(): Promise<void>;
  abstract cancel(): void;
}
