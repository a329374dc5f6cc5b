import * as Comlink from 'comlink';
import type { ProbeApi } from './protocol';

type Method = keyof ProbeApi;

/** Each probe runs in a fresh worker, so no measurement inherits another's backend, heap or JIT state. */
async function probe<M extends Method>(
  method: M,
  arg: Parameters<ProbeApi[M]>[0],
): Promise<Awaited<ReturnType<ProbeApi[M]>>> {
  const worker = new Worker(new URL('./probe.worker.ts', import.meta.url), { type: 'module', name: 'probe' });
  try {
    const api = Comlink.wrap<ProbeApi>(worker);
    return (await (api[method] as (a: typeof arg) => Promise<unknown>)(arg)) as Awaited<ReturnType<ProbeApi[M]>>;
  } finally {
    worker.terminate();
  }
}

Object.assign(window, { probe });
document.body.dataset.ready = 'true';
