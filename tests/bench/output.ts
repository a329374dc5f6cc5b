import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { markdown } from './report';
import type { BenchReport, PartialBenchReport } from './types';

/**
 * Where a run writes its report, as a path without extension (`<stem>.json`, `<stem>.md`).
 * `--out` absent: `<resultsDir>/<date>` (`-quick` for quick runs). `--out NAME` with no folder in
 * it: `<resultsDir>/NAME`, as before. `--out some/dir/name` (or an absolute path): that path,
 * relative to `cwd`. A trailing `.json` or `.md` is dropped.
 */
export function reportStem(
  out: string | undefined,
  { resultsDir, cwd, date, quick }: { resultsDir: string; cwd: string; date: string; quick: boolean },
): string {
  if (out === undefined || out.trim() === '') return join(resultsDir, `${date.slice(0, 10)}${quick ? '-quick' : ''}`);
  const stem = out.replace(/\.(json|md)$/, '');
  if (stem.endsWith('/') || stem.endsWith(sep)) throw new Error(`--out ${out}: name the report, not only its folder`);
  const hasFolder = stem.includes('/') || stem.includes(sep);
  if (isAbsolute(stem)) return stem;
  return hasFolder ? resolve(cwd, stem) : join(resultsDir, stem);
}

/** Writes a file whole or not at all: a crash mid-write leaves the previous version. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export interface ReportFiles {
  json: string;
  md: string;
}

/** `<stem>.partial.json` and `.md`: what a run has measured so far. */
export function partialFiles(stem: string): ReportFiles {
  return { json: `${stem}.partial.json`, md: `${stem}.partial.md` };
}

/**
 * Writes everything measured so far beside the final report's place, creating its folders; called
 * as each stage finishes, so a run that dies late keeps what it measured.
 */
export function writePartialReport(report: PartialBenchReport, stem: string): ReportFiles {
  mkdirSync(dirname(stem), { recursive: true });
  const files = partialFiles(stem);
  writeAtomically(files.json, JSON.stringify(report, null, 2));
  writeAtomically(files.md, markdown(report, `${basename(stem)}.partial.md`));
  return files;
}

/** Writes the finished report as `<stem>.json` and `.md` (creating its folders) and removes the partial files. */
export function writeReport(report: BenchReport, stem: string): ReportFiles {
  mkdirSync(dirname(stem), { recursive: true });
  const files = { json: `${stem}.json`, md: `${stem}.md` };
  writeAtomically(files.json, JSON.stringify(report, null, 2));
  writeAtomically(files.md, markdown(report, `${basename(stem)}.md`));
  const partial = partialFiles(stem);
  rmSync(partial.json, { force: true });
  rmSync(partial.md, { force: true });
  return files;
}
