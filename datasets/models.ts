import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../src/lib/errors';
import type { ModelInfo } from '../src/lib/types';
import { parseLoadOptions } from './modelSource';

/** A MobileNet folder on disk with what its SOURCE.md says about loading it. */
export interface LocalModel {
  info: ModelInfo;
  dir: string;
}

/** Every <modelsDir>/<id>/ that has model.json and a SOURCE.md with load() options; others are skipped with a warning. */
export async function findModels(modelsDir: string): Promise<LocalModel[]> {
  const names = existsSync(modelsDir) ? (await readdir(modelsDir)).sort() : [];
  const models: LocalModel[] = [];
  for (const id of names) {
    const dir = join(modelsDir, id);
    if (!existsSync(join(dir, 'model.json'))) continue;
    if (!existsSync(join(dir, 'SOURCE.md'))) {
      console.warn(`skipping model ${id}: no SOURCE.md giving its load() options`);
      continue;
    }
    try {
      const options = parseLoadOptions(await readFile(join(dir, 'SOURCE.md'), 'utf8'));
      let weightBytes = 0;
      for (const file of await readdir(dir)) {
        if (file.endsWith('.bin')) weightBytes += (await stat(join(dir, file))).size;
      }
      models.push({ info: { id, ...options, weightBytes }, dir });
    } catch (error) {
      console.warn(`skipping model ${id}: ${errorMessage(error)}`);
    }
  }
  return models;
}

/** Bigger MobileNet, better embeddings: the default is the one with the most weights. */
export function defaultModelId(models: ModelInfo[]): string {
  return [...models].sort((a, b) => b.weightBytes - a.weightBytes)[0]?.id ?? '';
}
