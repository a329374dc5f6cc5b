import { DEFAULT_DEDUP_THRESHOLD, DEFAULT_MMR_LAMBDA } from '../lib/rerankRules';
import { isTypingTarget, shortcutFor, stepThrough, type ShortcutAction } from '../lib/shortcuts';
import { PARAMS, VIEWS } from '../lib/params';
import type { Session } from './session.svelte';

/** Keyboard shortcuts for a presenter, and the `?` overlay that lists them. */
export class Presenter {
  helpOpen = $state(false);
  /** The readouts panel as chosen with `i`; null follows the mode (see panelOpen). */
  private panelChoice = $state<boolean | null>(null);

  constructor(private readonly session: Session) {}

  /**
   * The readouts, setup and re-ranking panel: docked beside the view and open in normal mode, a
   * drawer that starts closed in presenter mode, so the results get the screen.
   */
  get panelOpen(): boolean {
    return this.panelChoice ?? !this.session.params.present;
  }

  togglePanel(): void {
    this.panelChoice = !this.panelOpen;
  }

  /** Presenter mode on or off; the panel goes back to that mode's default. */
  setPresent(present: boolean): void {
    this.panelChoice = null;
    this.session.setPresent(present);
  }

  onKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || isTypingTarget(event.target as HTMLElement | null)) return;
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    // While the list is open only closing it (or asking again) does anything.
    if (this.helpOpen && shortcut.action !== 'close' && shortcut.action !== 'help') return;
    event.preventDefault();
    void this.run(shortcut.action, shortcut.rank ?? 1);
  };

  private async run(action: ShortcutAction, rank: number): Promise<void> {
    const s = this.session;
    const p = s.params;
    const stages = s.stages;
    switch (action) {
      case 'help':
        this.helpOpen = !this.helpOpen;
        return;
      case 'close':
        // Esc closes the list first; then the drawer, which only presenter mode lays over the view.
        if (this.helpOpen) this.helpOpen = false;
        else if (p.present && this.panelOpen) this.panelChoice = false;
        return;
      case 'next-image':
      case 'previous-image':
        if (!stages) return;
        return this.queryId(
          stepThrough(stages.index.indexedIds, stages.query.query?.id ?? null, action === 'next-image' ? 1 : -1),
        );
      case 'result-as-query':
        return this.queryId(stages?.query.result?.reranked.exact.kept[rank - 1]?.id ?? null);
      case 'next-tab':
      case 'previous-tab': {
        const at = VIEWS.indexOf(p.view);
        s.setView(VIEWS[(at + (action === 'next-tab' ? 1 : -1) + VIEWS.length) % VIEWS.length]);
        return;
      }
      case 'k-up':
      case 'k-down':
        if (s.state === 'ready') await s.setSearchKnobs({ k: p.k + (action === 'k-up' ? 1 : -1) });
        return;
      case 'ef-up':
      case 'ef-down':
        if (s.state === 'ready')
          await s.setSearchKnobs({
            efSearch: action === 'ef-up' ? p.efSearch * 2 : Math.max(PARAMS.efSearch.min, Math.floor(p.efSearch / 2)),
          });
        return;
      case 'toggle-rerank':
        return s.setRerank({ rerank: !p.rerank });
      case 'toggle-dedup':
        return s.setRerank({ dedup: p.dedup === null ? DEFAULT_DEDUP_THRESHOLD : null });
      case 'toggle-mmr':
        return s.setRerank({ mmr: p.mmr === null ? DEFAULT_MMR_LAMBDA : null });
      case 'toggle-present':
        this.setPresent(!p.present);
        return;
      case 'toggle-readouts':
        this.togglePanel();
        return;
    }
  }

  private async queryId(id: number | null): Promise<void> {
    const stages = this.session.stages;
    const item = id === null ? undefined : stages?.catalogue.itemById.get(id);
    if (item) await stages?.query.queryCatalogueItem(item);
  }
}
