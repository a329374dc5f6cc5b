import type { RerankSettings } from '../../../lib/rerankRules';

/** The re-ranking settings as the panels use them: the rules in force, and how to change them. */
export interface RerankControl {
  /** The rules in force (kept in the URL). */
  readonly settings: RerankSettings;
  /** Applies a change; the current query runs again under the new rules. */
  change(change: Partial<RerankSettings>): Promise<void>;
}
