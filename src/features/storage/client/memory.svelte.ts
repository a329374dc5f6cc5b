import { errorMessage } from '../../../lib/errors';
import { memoryParts, type MemoryMeasurement, type MemoryPart } from '../../../lib/memoryBreakdown';

type Measure = () => Promise<MemoryMeasurement>;

/** The browser's memory measurement, where it has one: Chromium, in a cross-origin isolated page. */
function browserMeasure(): Measure | null {
  const measure = (performance as Performance & { measureUserAgentSpecificMemory?: Measure })
    .measureUserAgentSpecificMemory;
  return globalThis.crossOriginIsolated && measure ? measure.bind(performance) : null;
}

/**
 * What the page and its workers hold, as the browser measures it (JS and wasm heaps). The
 * browser answers after its next garbage collection, so a measurement takes up to ~20 s.
 */
export const memory = $state({
  /** Page + workers, in bytes; null before a measurement, or where the browser cannot measure. */
  bytes: null as number | null,
  parts: [] as MemoryPart[],
  measuring: false,
  /** Why there is no figure (no cross-origin isolation, another browser, a failure). */
  problem: null as string | null,
});

export async function measureMemory(): Promise<void> {
  const measure = browserMeasure();
  if (!measure) {
    memory.problem =
      'This browser cannot measure the memory of the page and its workers (it needs Chromium and a cross-origin isolated page).';
    return;
  }
  if (memory.measuring) return;
  memory.measuring = true;
  try {
    const measured = await measure();
    memory.bytes = measured.bytes;
    memory.parts = memoryParts(measured);
    memory.problem = null;
  } catch (error) {
    memory.problem = `The memory could not be measured: ${errorMessage(error)}`;
  } finally {
    memory.measuring = false;
  }
}
