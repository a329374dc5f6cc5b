import { describe, expect, it } from 'vitest';
import { SHORTCUTS, isTypingTarget, shortcutFor, stepThrough } from '../../src/lib/shortcuts';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  shortcutFor({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('presenter shortcuts', () => {
  it('maps each listed key to its action, Shift giving the opposite direction', () => {
    expect(press('?')).toEqual({ action: 'help' });
    expect(press('Escape')).toEqual({ action: 'close' });
    expect(press('k')).toEqual({ action: 'k-up' });
    expect(press('K')).toEqual({ action: 'k-down' });
    expect(press('e')).toEqual({ action: 'ef-up' });
    expect(press('E')).toEqual({ action: 'ef-down' });
    expect(press('r')).toEqual({ action: 'toggle-rerank' });
    expect(press('T')).toEqual({ action: 'previous-tab' });
    expect(press('i')).toEqual({ action: 'toggle-readouts' });
  });

  it('digits pick a result rank, 0 meaning the tenth', () => {
    expect(press('3')).toEqual({ action: 'result-as-query', rank: 3 });
    expect(press('0')).toEqual({ action: 'result-as-query', rank: 10 });
  });

  it('leaves other keys and browser shortcuts alone', () => {
    expect(press('x')).toBeNull();
    expect(press('Enter')).toBeNull();
    expect(press('r', { ctrlKey: true })).toBeNull();
    expect(press('k', { metaKey: true })).toBeNull();
    expect(press('1', { altKey: true })).toBeNull();
  });

  it('every single-key shortcut is distinct', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys).filter((k) => k !== '…');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('does not fire in text fields, but does on checkboxes and buttons', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'number' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('steps through the catalogue, wrapping at both ends', () => {
    expect(stepThrough([4, 7, 9], null, 1)).toBe(4);
    expect(stepThrough([4, 7, 9], null, -1)).toBe(9);
    expect(stepThrough([4, 7, 9], 7, 1)).toBe(9);
    expect(stepThrough([4, 7, 9], 9, 1)).toBe(4);
    expect(stepThrough([4, 7, 9], 4, -1)).toBe(9);
    expect(stepThrough([4, 7, 9], 5, 1)).toBe(4);
    expect(stepThrough([], null, 1)).toBeNull();
  });
});
