/** Presenter shortcuts: one key per frequent action, listed by the `?` overlay. */
export type ShortcutAction =
  | 'help'
  | 'close'
  | 'next-image'
  | 'previous-image'
  | 'result-as-query'
  | 'next-tab'
  | 'previous-tab'
  | 'k-up'
  | 'k-down'
  | 'ef-up'
  | 'ef-down'
  | 'toggle-rerank'
  | 'toggle-dedup'
  | 'toggle-mmr'
  | 'toggle-present'
  | 'toggle-readouts';

export interface Shortcut {
  keys: string[];
  action: ShortcutAction;
  does: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['n'], action: 'next-image', does: 'Next catalogue image as the query' },
  { keys: ['p'], action: 'previous-image', does: 'Previous catalogue image as the query' },
  {
    keys: ['1', '…', '9', '0'],
    action: 'result-as-query',
    does: 'Result 1–9 (0 = 10) of the exact column as the query',
  },
  { keys: ['t'], action: 'next-tab', does: 'Next tab' },
  { keys: ['T'], action: 'previous-tab', does: 'Previous tab' },
  { keys: ['k'], action: 'k-up', does: 'k + 1' },
  { keys: ['K'], action: 'k-down', does: 'k − 1' },
  { keys: ['e'], action: 'ef-up', does: 'efSearch × 2' },
  { keys: ['E'], action: 'ef-down', does: 'efSearch ÷ 2' },
  { keys: ['r'], action: 'toggle-rerank', does: 'Re-ranking on / off' },
  { keys: ['d'], action: 'toggle-dedup', does: 'Near-duplicate removal on / off' },
  { keys: ['m'], action: 'toggle-mmr', does: 'Diversity (MMR) on / off' },
  { keys: ['f'], action: 'toggle-present', does: 'Presenter mode (large type) on / off' },
  { keys: ['i'], action: 'toggle-readouts', does: 'Readouts, setup and re-ranking panel: show / hide' },
  { keys: ['?'], action: 'help', does: 'This list' },
  { keys: ['Esc'], action: 'close', does: 'Close this list, or the readouts drawer' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The action of a key press, with the rank for digits; null for keys that are not shortcuts. */
export function shortcutFor(press: KeyPress): { action: ShortcutAction; rank?: number } | null {
  // Browser and system shortcuts stay theirs.
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return { action: 'close' };
  if (/^[0-9]$/.test(press.key)) return { action: 'result-as-query', rank: press.key === '0' ? 10 : Number(press.key) };
  const shortcut = SHORTCUTS.find((s) => s.keys.length === 1 && s.keys[0] === press.key);
  return shortcut ? { action: shortcut.action } : null;
}

/** Elements where keys are text: shortcuts must not fire there. */
export function isTypingTarget(
  target: { tagName?: string; isContentEditable?: boolean; type?: string } | null,
): boolean {
  if (!target?.tagName) return false;
  const tag = target.tagName.toUpperCase();
  if (target.isContentEditable) return true;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // Checkboxes, radios and buttons take no text.
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
    (target.type ?? 'text').toLowerCase(),
  );
}

/** The item `step` places from `currentId` in `ids` (wrapping); the first one when there is no current. */
export function stepThrough(ids: readonly number[], currentId: number | null, step: 1 | -1): number | null {
  if (ids.length === 0) return null;
  const at = currentId === null ? -1 : ids.indexOf(currentId);
  if (at < 0) return step === 1 ? ids[0] : ids[ids.length - 1];
  return ids[(at + step + ids.length) % ids.length];
}
