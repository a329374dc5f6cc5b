import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|svelte)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("the app's own code", () => {
  it('never evaluates strings as code (no eval, no new Function)', () => {
    const files = [...sources('src'), ...sources('datasets')];
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((file) =>
      /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
