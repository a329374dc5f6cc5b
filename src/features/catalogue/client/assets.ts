import { catalogueBaseUrl } from '../../../lib/catalogue';
import type { CatalogueManifest, CatalogueSummary, DetectorIndex, ModelIndex } from '../../../lib/types';

/** A problem the user can fix, shown whole on the error screen. */
export class SetupProblem extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const SETUP_FIX =
  'Put the assets folder (with models/<id>/model.json and SOURCE.md) beside the project as ../shared and run ' +
  '`npm run setup`, or run `npm run setup -- --assets <folder>`; then reload this page.';

export function appUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

async function fetchJson<T>(path: string): Promise<T | null> {
  const response = await fetch(appUrl(path)).catch(() => null);
  if (!response?.ok) return null;
  try {
    return (await response.json()) as T;
  } catch {
    return null;
  }
}

export async function loadModelIndex(): Promise<ModelIndex> {
  const index = await fetchJson<ModelIndex>('models/index.json');
  if (!index || index.models.length === 0) {
    throw new SetupProblem('No MobileNet model found: models/index.json lists no model.', SETUP_FIX);
  }
  return index;
}

/** The object detectors set up, or null when there is none (detection is then off; nothing else needs it). */
export async function loadDetectorIndex(): Promise<DetectorIndex | null> {
  const index = await fetchJson<DetectorIndex>('detectors/index.json');
  return index && index.detectors.length > 0 ? index : null;
}

export async function loadCatalogueList(): Promise<CatalogueSummary[]> {
  const list = await fetchJson<CatalogueSummary[]>('catalogues/index.json');
  if (!list || list.length === 0) {
    throw new SetupProblem('No image catalogue found: catalogues/index.json lists none.', SETUP_FIX);
  }
  return list;
}

export async function loadManifest(catalogueId: string): Promise<CatalogueManifest> {
  const manifest = await fetchJson<CatalogueManifest>(`${catalogueBaseUrl(catalogueId)}/manifest.json`);
  if (!manifest) {
    throw new SetupProblem(
      `Catalogue "${catalogueId}" has no manifest.`,
      'Run `npm run setup -- --images <folder> --catalogue-id <id>` to add a folder of images as a catalogue.',
    );
  }
  return manifest;
}

export function modelUrl(modelId: string): string {
  return appUrl(`models/${encodeURIComponent(modelId)}/model.json`);
}
