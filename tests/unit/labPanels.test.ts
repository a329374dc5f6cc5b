import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The lab tabs stay out of the main bundle: nothing the page loads first imports their panels statically. */
const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

/** Value imports and re-exports of a file (type-only ones and dynamic `import()` left out), resolved to files. */
function staticImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statements = /\b(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"?]+)['"]/g;
  return [...text.matchAll(statements)].flatMap(([, , typeOnly, specifier]) => {
    if (typeOnly) return [];
    const base = resolve(dirname(file), specifier);
    const hit = [base, `${base}.ts`, `${base}.svelte`].find((path) => existsSync(path) && !path.endsWith('/'));
    return hit && /\.(ts|svelte)$/.test(hit) ? [hit] : [];
  });
}

function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop())
    for (const next of staticImportsOf(file))
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
  return seen;
}

/** The panels src/app/labPanels.ts loads on demand, read from its `import('…')` calls. */
const labPanelsFile = join(src, 'app', 'labPanels.ts');
const lazyPanels = [...readFileSync(labPanelsFile, 'utf8').matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map(
  ([, specifier]) => resolve(dirname(labPanelsFile), specifier),
);

describe('lab tabs load on demand', () => {
  it('finds the panels and the shell it checks (the parser is not blind)', () => {
    expect(lazyPanels.map((file) => relative(src, file))).toContain('features/train/client/TrainingPanel.svelte');
    expect(lazyPanels.length).toBeGreaterThanOrEqual(9);
    const main = reachableFrom(join(src, 'main.ts'));
    expect(main).toContain(join(src, 'app', 'TabView.svelte'));
    expect(main).toContain(join(src, 'features', 'query', 'client', 'PipelineView.svelte'));
  });

  it('imports no lab panel statically from the page entry', () => {
    const main = reachableFrom(join(src, 'main.ts'));
    expect(lazyPanels.filter((panel) => main.has(panel)).map((file) => relative(src, file))).toEqual([]);
  });
});
