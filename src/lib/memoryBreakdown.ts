/**
 * What `performance.measureUserAgentSpecificMemory()` reports (Chromium, cross-origin isolated
 * pages only), grouped into the parts of this app: the page, the embedding workers (each with
 * TensorFlow.js and MobileNet) and the threads of their WASM backend, the search worker (vectors, HNSW) and the lab's scale worker.
 */

export interface MemoryAttribution {
  url?: string;
  scope?: string;
}

export interface MemoryBreakdownEntry {
  bytes: number;
  attribution: MemoryAttribution[];
  types?: string[];
}

export interface MemoryMeasurement {
  bytes: number;
  breakdown: MemoryBreakdownEntry[];
}

export type MemoryPartName =
  'page' | 'embedding workers' | 'wasm threads' | 'search worker' | 'scale worker' | 'other workers' | 'shared';

export interface MemoryPart {
  name: MemoryPartName;
  bytes: number;
  /** Execution contexts counted in it (workers, or 1 for the page). */
  contexts: number;
}

/** Worker bundles are named after their entry file (embed.worker-<hash>.js, or embed.worker.ts in dev). */
function partOf(attribution: MemoryAttribution): MemoryPartName {
  const scope = attribution.scope ?? '';
  const file = (attribution.url ?? '').split('/').pop() ?? '';
  if (scope === 'Window') return 'page';
  if (file.startsWith('embed.worker')) return 'embedding workers';
  if (file.startsWith('search.worker')) return 'search worker';
  if (file.startsWith('scale.worker')) return 'scale worker';
  // The threaded WASM backend's Emscripten thread pool: workers started from blob: URLs.
  if ((attribution.url ?? '').startsWith('blob:')) return 'wasm threads';
  return 'other workers';
}

const ORDER: MemoryPartName[] = [
  'page',
  'embedding workers',
  'wasm threads',
  'search worker',
  'scale worker',
  'other workers',
  'shared',
];

/**
 * Sums the breakdown by part, in a fixed order, parts with no bytes left out. An entry with no
 * attribution is memory the browser could not assign (shared by contexts): counted as shared.
 * An entry attributed to several contexts is counted once, in the first one's part.
 */
export function memoryParts(measurement: MemoryMeasurement): MemoryPart[] {
  const parts = new Map<MemoryPartName, { bytes: number; contexts: Set<string> }>();
  for (const entry of measurement.breakdown) {
    const first = entry.attribution[0];
    const name = first ? partOf(first) : 'shared';
    const part = parts.get(name) ?? { bytes: 0, contexts: new Set<string>() };
    part.bytes += entry.bytes;
    for (const attribution of entry.attribution) part.contexts.add(`${attribution.scope}:${attribution.url}`);
    parts.set(name, part);
  }
  return ORDER.filter((name) => (parts.get(name)?.bytes ?? 0) > 0).map((name) => ({
    name,
    bytes: parts.get(name)!.bytes,
    contexts: parts.get(name)!.contexts.size,
  }));
}
