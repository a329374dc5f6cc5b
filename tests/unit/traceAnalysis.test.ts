import { describe, expect, it } from 'vitest';
import { longTasks, type TraceEvent } from '../bench/traceAnalysis';

const MAIN = { pid: 1, tid: 7 };
const OTHER = { pid: 1, tid: 9 };
const meta = (where: { pid: number; tid: number }, name: string): TraceEvent => ({
  name: 'thread_name',
  cat: '__metadata',
  ph: 'M',
  ts: 0,
  ...where,
  args: { name },
});
const span = (
  name: string,
  ts: number,
  dur: number,
  where = MAIN,
  args?: TraceEvent['args'],
  tdur?: number,
): TraceEvent => ({
  name,
  cat: 'devtools.timeline',
  ph: 'X',
  ts,
  dur,
  ...(tdur === undefined ? {} : { tdur }),
  ...where,
  args,
});

/** A main thread with one 120 ms task (script, then layout inside it) and one 20 ms task; a worker's long task. */
function trace(): TraceEvent[] {
  return [
    meta(MAIN, 'CrRendererMain'),
    meta(OTHER, 'DedicatedWorker thread'),
    // On a CPU for 70 of its 120 ms.
    span('RunTask', 1_000, 120_000, MAIN, undefined, 70_000),
    span('FunctionCall', 2_000, 80_000, MAIN, { data: { functionName: 'render', url: 'http://x/assets/index-1.js' } }),
    span('Layout', 10_000, 30_000),
    span('UpdateLayoutTree', 90_000, 25_000),
    span('RunTask', 200_000, 20_000),
    span('RunTask', 0, 500_000, OTHER),
    // The sampling profiler: 10 ms samples in the long task.
    {
      name: 'Profile',
      cat: 'disabled-by-default-v8.cpu_profiler',
      ph: 'P',
      ts: 0,
      ...MAIN,
      id: '0x1',
      args: { data: { startTime: 0 } },
    },
    {
      name: 'ProfileChunk',
      cat: 'disabled-by-default-v8.cpu_profiler',
      ph: 'P',
      ts: 0,
      ...MAIN,
      id: '0x1',
      args: {
        data: {
          cpuProfile: {
            nodes: [
              { id: 1, callFrame: { functionName: 'render', url: 'http://x/assets/index-1.js', lineNumber: 41 } },
              { id: 2, callFrame: { functionName: '', url: '', lineNumber: -1 } },
            ],
            samples: [1, 1, 1, 2],
          },
          timeDeltas: [2_000, 10_000, 10_000, 10_000],
        },
      },
    },
  ];
}

describe('long tasks in a Chromium trace', () => {
  it('keeps the main thread tasks over the limit, with each nested event by its own time', () => {
    const tasks = longTasks(trace(), 50);
    expect(tasks).toHaveLength(1);
    // Times count from the main thread's first event, the task itself here.
    expect(tasks[0]).toMatchObject({ startMs: 0, durationMs: 120, cpuMs: 70 });
    expect(tasks[0].events).toEqual([
      // 80 ms of script less the 30 ms layout inside it.
      { name: 'FunctionCall render index-1.js', ms: 50 },
      { name: 'Layout', ms: 30 },
      { name: 'UpdateLayoutTree', ms: 25 },
      { name: '(task, outside any nested event)', ms: 15 },
    ]);
  });

  it('attributes the sampled functions inside the task, each sample up to the next', () => {
    const [task] = longTasks(trace(), 50);
    // Samples at 2, 12, 22 and 32 ms; the last one stands for the rest of the task, to 121 ms.
    expect(task.functions).toEqual([
      { name: '(anonymous) (:0)', ms: 89 },
      { name: 'render (index-1.js:42)', ms: 30 },
    ]);
  });
});
