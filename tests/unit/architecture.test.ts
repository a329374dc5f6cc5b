import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layout's rules, checked on the source: the data path reads one way. */
const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.(ts|svelte)$/.test(entry.name))
  .map((entry) => join(entry.parentPath, entry.name));

/** Relative imports of a file (type-only ones included), resolved to files of src. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"?]+)/g)].map((m) => m[1]);
  return specifiers.flatMap((specifier) => {
    const base = resolve(dirname(file), specifier);
    const hit = [base, `${base}.ts`, `${base}.svelte`, join(base, 'index.ts')].find((path) => files.includes(path));
    return hit ? [hit] : [];
  });
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(root, file);

describe('the source layout', () => {
  it('has no import cycle, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map(name).join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps src/lib pure: it imports nothing else of the app', () => {
    const lib = join(src, 'lib');
    const outward = files
      .filter((file) => file.startsWith(lib))
      .flatMap((file) =>
        graph
          .get(file)!
          .filter((target) => !target.startsWith(lib))
          .map((t) => `${name(file)} → ${name(t)}`),
      );
    expect(outward).toEqual([]);
  });

  it('lets features depend on lib, the worker bridge and each other, never on the app shell', () => {
    const app = join(src, 'app');
    const upward = files
      .filter((file) => file.startsWith(join(src, 'features')) || file.startsWith(join(src, 'bridge')))
      .flatMap((file) =>
        graph
          .get(file)!
          .filter((target) => target.startsWith(app))
          .map((t) => `${name(file)} → ${name(t)}`),
      );
    expect(upward).toEqual([]);
  });

  it('has no file over 300 lines without the reason at its top', () => {
    const long = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return text.split('\n').length > 300 && !/Longer than 300 lines because/.test(text.slice(0, 2000));
    });
    expect(long.map(name)).toEqual([]);
  });

  it('finds the imports it checks (the parser is not blind)', () => {
    const session = files.find((file) => file.endsWith(join('app', 'session.svelte.ts')))!;
    expect(graph.get(session)!.map(name)).toContain(join('src', 'features', 'query', 'client', 'queryStage.svelte.ts'));
  });
});
