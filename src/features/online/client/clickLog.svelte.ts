import type { ClickEvent } from '../../../lib/clickLog';
import { ClickLogStore } from './clickLogStore';

/** Rows the log table shows, newest first; the export has them all. */
export const SHOWN_ROWS = 50;

/** A result a person clicked in the Search tab. */
export interface PageClick {
  queryId: number | null;
  ranker: string;
  rank: number;
  resultId: number;
}

/**
 * The click log of one catalogue as the page sees it: person clicks from the Search tab and
 * simulated ones from the Online tab, kept in IndexedDB (ClickLogStore), shown newest first,
 * exported as JSONL, cleared.
 */
export class ClickLog {
  /** Every click on this catalogue, oldest first. */
  events = $state.raw<ClickEvent[]>([]);
  notice = $state<string | null>(null);
  private readonly store: Promise<ClickLogStore>;
  private loading = false;
  private loaded = false;

  constructor(readonly catalogue: string) {
    this.store = ClickLogStore.open((message) => {
      this.notice = message;
    });
  }

  get newest(): ClickEvent[] {
    return this.events.slice(-SHOWN_ROWS).reverse();
  }

  /** Reads the log from storage once (the first time it is shown); later clicks are added as they are made. */
  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.events = await (await this.store).list(this.catalogue);
    this.loaded = true;
  }

  /** Stores clicks; once the log has been read, they are added to what is shown without reading it all again. */
  async append(events: readonly ClickEvent[]): Promise<void> {
    await (await this.store).append(events);
    if (this.loaded) this.events = [...this.events, ...events];
  }

  /** A person's click: its examination probability is not known, so it is logged without one (IPS weight 1). */
  recordPageClick(click: PageClick): Promise<void> {
    return this.append([
      { ...click, catalogue: this.catalogue, source: 'page', time: Date.now(), dwellMs: null, propensity: null },
    ]);
  }

  /** Forgets every click, person and simulated, of every catalogue. */
  async clear(): Promise<void> {
    await (await this.store).clear();
    this.events = [];
  }

  /** The log as JSON Lines, one click per line, oldest first. */
  jsonl(): string {
    return this.events.map((event) => JSON.stringify(event)).join('\n') + (this.events.length > 0 ? '\n' : '');
  }
}
