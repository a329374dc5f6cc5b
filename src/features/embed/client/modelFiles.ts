import { expectedGroupBytes, weightsManifest } from '../../../lib/modelWeights';
import { SetupProblem, appUrl } from '../../catalogue/client/assets';

/** Bytes of a file of the app, or why there are none (a static server answers a missing path with its index page). */
async function fetchFile(path: string): Promise<{ bytes: ArrayBuffer } | { status: string }> {
  const response = await fetch(appUrl(path)).catch(() => null);
  if (!response) return { status: 'the request failed' };
  if (!response.ok || response.headers.get('content-type')?.startsWith('text/html'))
    return { status: `HTTP ${response.status}` };
  return { bytes: await response.arrayBuffer() };
}

/**
 * Finds which file of a model that failed to load is missing or corrupt: model.json, or a
 * weight shard whose size differs from what model.json declares. Null when all look whole.
 */
export async function diagnoseModelFiles(modelId: string): Promise<SetupProblem | null> {
  const dir = `models/${encodeURIComponent(modelId)}`;
  const fix =
    `Run \`npm run setup\` again to copy models/${modelId}/ from the assets folder (../shared/models/${modelId}/ ` +
    'must hold model.json and every weight file it lists), or choose another model; then reload this page.';
  const modelJson = await fetchFile(`${dir}/model.json`);
  if ('status' in modelJson)
    return new SetupProblem(`models/${modelId}/model.json is missing (${modelJson.status}).`, fix);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(modelJson.bytes));
  } catch {
    return new SetupProblem(`models/${modelId}/model.json is corrupt: it is not valid JSON.`, fix);
  }
  const groups = weightsManifest(parsed);
  if (!groups) return new SetupProblem(`models/${modelId}/model.json is corrupt: it lists no weight files.`, fix);
  for (const group of groups) {
    let held = 0;
    for (const path of group.paths) {
      const shard = await fetchFile(`${dir}/${path}`);
      if ('status' in shard) return new SetupProblem(`models/${modelId}/${path} is missing (${shard.status}).`, fix);
      held += shard.bytes.byteLength;
    }
    const expected = expectedGroupBytes(group);
    if (expected !== null && held !== expected) {
      const files = group.paths.map((path) => `models/${modelId}/${path}`).join(', ');
      return new SetupProblem(
        `${files} ${group.paths.length > 1 ? 'hold' : 'holds'} ${held} bytes of weights, but model.json expects ${expected}: ` +
          'the file is truncated or belongs to another model.',
        fix,
      );
    }
  }
  return null;
}
