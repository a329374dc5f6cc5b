import { describe, expect, it } from 'vitest';
import { folderCatalogue, nextItemId, pathInsideFolder } from '../../src/lib/folderCatalogue';

describe('a folder of the user’s images as a catalogue', () => {
  it('drops the chosen folder’s own name from the path', () => {
    expect(pathInsideFolder('holiday/beach/a.jpg')).toBe('beach/a.jpg');
    expect(pathInsideFolder('/holiday/beach/a.jpg')).toBe('beach/a.jpg');
    expect(pathInsideFolder('holiday/a.jpg')).toBe('a.jpg');
    expect(pathInsideFolder('a.jpg')).toBe('a.jpg');
  });

  it('labels images by sub-folder, none at the top, sorted by path with ids in that order', () => {
    const picked = ['top.png', 'cats/b.JPG', 'dogs/x/deep.webp', 'cats/a.jpeg'].map((path) => ({ path, file: path }));
    const { items, files, ignored } = folderCatalogue(picked);
    expect(items.map((i) => [i.id, i.file, i.label])).toEqual([
      [0, 'cats/a.jpeg', 'cats'],
      [1, 'cats/b.JPG', 'cats'],
      [2, 'dogs/x/deep.webp', 'x'],
      [3, 'top.png', ''],
    ]);
    expect(files).toEqual(['cats/a.jpeg', 'cats/b.JPG', 'dogs/x/deep.webp', 'top.png']);
    expect(ignored).toEqual([]);
  });

  it('leaves out files that are not images by name, and hidden files', () => {
    const picked = ['a.jpg', 'notes.txt', '.DS_Store', 'cats/.hidden.jpg', '.thumbs/t.jpg'].map((path) => ({
      path,
      file: path,
    }));
    const { items, ignored } = folderCatalogue(picked);
    expect(items.map((i) => i.file)).toEqual(['a.jpg']);
    expect(ignored).toEqual(['notes.txt', '.DS_Store', 'cats/.hidden.jpg', '.thumbs/t.jpg']);
  });

  it('numbers added images after the largest id, even after deletions', () => {
    expect(nextItemId([])).toBe(0);
    const { items } = folderCatalogue(
      [{ path: 'a.jpg', file: 1 }],
      nextItemId([{ id: 0 }, { id: 7 }, { id: 3 }] as never),
    );
    expect(items[0].id).toBe(8);
  });
});
