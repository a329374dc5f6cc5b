/** One image of a catalogue, as listed in its manifest. */
export interface CatalogueItem {
  /** Position in the manifest; also the label of the vector in the HNSW index. */
  id: number;
  /** Path relative to the catalogue's image folder, with forward slashes. */
  file: string;
  /** Class: the name of the image's parent folder, or '' when it has none. */
  label: string;
  /** Pixel size read from the file header; null when the header could not be read. */
  width: number | null;
  height: number | null;
  /** sha256 of the file's bytes, hex. */
  hash: string;
}

export interface CatalogueManifest {
  /** Format version of this file. */
  format: 1;
  id: string;
  name: string;
  items: CatalogueItem[];
}

/** Entry of public/catalogues/index.json. */
export interface CatalogueSummary {
  id: string;
  name: string;
  count: number;
}

/** Entry of public/models/index.json: a MobileNet and the load() options its SOURCE.md gives. */
export interface ModelInfo {
  id: string;
  version: 1 | 2;
  alpha: number;
  inputRange: [number, number];
  /** Total bytes of the weight files. */
  weightBytes: number;
}

export interface ModelIndex {
  default: string;
  models: ModelInfo[];
}

/** A search hit: catalogue id and cosine similarity. */
export interface Neighbour {
  id: number;
  score: number;
}

export type Backend = 'wasm' | 'webgl' | 'cpu';

/** What the embedding workers report about the backend they run. */
export interface BackendInfo {
  backend: Backend;
  simd: boolean;
  threads: boolean;
}

/** Where the catalogue's pipeline is: the status bar's badge and the contract's `data-state`. */
export type PipelineState = 'loading' | 'embedding' | 'indexing' | 'ready' | 'error';

/** How a stage tells the page what it is doing, without knowing the page. */
export interface StageReporter {
  /** The pipeline's state and the sentence under it. */
  status(state: PipelineState, text: string): void;
  /** Why browser storage, or something it kept, was not used. */
  notice(message: string): void;
  /** An action of the user's that did not work; what served before still serves. */
  warn(message: string): void;
}

/** public/detectors/index.json, written by setup: the object detectors the app can load. */
export interface DetectorIndex {
  detectors: { id: string; modelFile: string }[];
}
