import type { ChangeSignal } from './catalogueTags';

/** A ChangeSignal on a Svelte state: what reads it in a template or $derived runs again after each change. */
export function changeSignal(): ChangeSignal {
  let version = $state(0);
  return {
    read: () => void version,
    changed: () => void version++,
  };
}
