/**
 * Reads a Chromium performance trace (CDP `Tracing`) for the page's main thread: its long tasks, and
 * what each spent its time on — trace events by self time (script evaluation, style, layout, GC…)
 * and JavaScript functions by self time from the V8 sampling profiler's chunks in the same trace.
 */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread time: how long the thread was on a CPU during the event (µs). */
  tdur?: number;
  pid: number;
  tid: number | string;
  id?: string;
  args?: Record<string, unknown>;
}

export interface LongTask {
  /** ms from the first main-thread event of the trace. */
  startMs: number;
  durationMs: number;
  /**
   * How long the main thread was on a CPU in that task (the trace's thread time); null when the trace
   * has none. Far below durationMs, the thread was waiting: for the CPU (other threads, other
   * processes) or for a reply (a synchronous IPC, such as the font lookups of a first layout).
   */
  cpuMs: number | null;
  /** Trace events by self time (ms), largest first; script events name their URL's file. */
  events: { name: string; ms: number }[];
  /** JavaScript functions by sampled self time (ms), largest first, as `name (file:line)`. */
  functions: { name: string; ms: number }[];
}

const fileOf = (url: unknown) => (typeof url === 'string' && url ? (url.split('/').pop() ?? url) : '');

/** The renderer main thread with the most top-level task time: the page's. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number | string } {
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const mains = names.filter((e) => (e.args as { name?: string }).name === 'CrRendererMain');
  const busy = (t: TraceEvent) =>
    events
      .filter((e) => e.pid === t.pid && e.tid === t.tid && e.name === 'RunTask' && e.ph === 'X')
      .reduce((sum, e) => sum + (e.dur ?? 0), 0);
  const best = mains.map((t) => ({ t, busy: busy(t) })).sort((a, b) => b.busy - a.busy)[0];
  if (!best) throw new Error('the trace has no renderer main thread');
  return { pid: best.t.pid, tid: best.t.tid };
}

function label(e: TraceEvent): string {
  const data = (e.args?.data ?? {}) as { url?: string; functionName?: string };
  const file = fileOf(data.url);
  if (e.name === 'FunctionCall') return `FunctionCall ${data.functionName || '(anonymous)'} ${file}`.trim();
  if (e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.compileModule')
    return `${e.name} ${file}`.trim();
  return e.name;
}

/** Self time per label of the complete events nested in [start, end] on one thread. */
function selfTimes(nested: TraceEvent[], start: number, end: number): Map<string, number> {
  const spans = nested
    .filter((e) => e.ph === 'X' && e.dur !== undefined && e.ts >= start && e.ts + (e.dur ?? 0) <= end)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; label: string }[] = [];
  const add = (key: string, us: number) => self.set(key, (self.get(key) ?? 0) + us);
  for (const e of spans) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    // A child's time is its parent's no more.
    if (stack.length) add(stack[stack.length - 1].label, -(e.dur ?? 0));
    add(label(e), e.dur ?? 0);
    stack.push({ end: e.ts + (e.dur ?? 0), label: label(e) });
  }
  return self;
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The main thread's JS samples: time (µs, trace clock) and the sampled function. */
function samples(events: TraceEvent[], pid: number, tid: number | string): { ts: number; frame: string }[] {
  const profile = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  if (!profile) return [];
  let ts = ((profile.args?.data ?? {}) as { startTime: number }).startTime;
  const nodes = new Map<number, ProfileNode>();
  const out: { ts: number; frame: string }[] = [];
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile.id);
  for (const chunk of chunks) {
    const data = (chunk.args?.data ?? {}) as {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
    for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    const ids = data.cpuProfile?.samples ?? [];
    ids.forEach((id, i) => {
      ts += data.timeDeltas?.[i] ?? 0;
      const frame = nodes.get(id)?.callFrame;
      const name = frame
        ? `${frame.functionName || '(anonymous)'} (${fileOf(frame.url)}:${frame.lineNumber + 1})`
        : '?';
      out.push({ ts, frame: name });
    });
  }
  return out;
}

const top = (totals: Map<string, number>, n: number) =>
  [...totals]
    .filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10 }));

/** The main thread's tasks longer than `overMs`, longest first, each with what filled it. */
export function longTasks(events: TraceEvent[], overMs = 50, topN = 8): LongTask[] {
  const { pid, tid } = mainThread(events);
  const mine = events.filter((e) => e.pid === pid && e.tid === tid);
  const origin = Math.min(...mine.filter((e) => e.ts > 0).map((e) => e.ts));
  const js = samples(events, pid, tid);
  return mine
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && (e.dur ?? 0) > overMs * 1000)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .map((task) => {
      const end = task.ts + (task.dur ?? 0);
      const functions = new Map<string, number>();
      const inside = js.filter((s) => s.ts >= task.ts && s.ts <= end);
      // Each sample stands for the interval up to the next one.
      inside.forEach((s, i) => {
        const next = inside[i + 1]?.ts ?? end;
        functions.set(s.frame, (functions.get(s.frame) ?? 0) + (next - s.ts));
      });
      const events = selfTimes(mine, task.ts, end);
      // What no nested event names (the scheduler's own work, or events of categories not traced).
      const bare = events.get('RunTask');
      events.delete('RunTask');
      if (bare) events.set('(task, outside any nested event)', bare);
      return {
        startMs: Math.round((task.ts - origin) / 1000),
        durationMs: Math.round((task.dur ?? 0) / 1000),
        cpuMs: task.tdur === undefined ? null : Math.round(task.tdur / 1000),
        events: top(events, topN),
        functions: top(functions, topN),
      };
    });
}
