/**
 * The bench measures time on a machine other work may share: above one runnable task per core the
 * figures measure the queue, not the app. So it refuses to start then, unless told to go on anyway
 * (`--force` or BENCH_FORCE=1), and the report says it was forced, at which load.
 */
export interface LoadGate {
  proceed: boolean;
  /** Set when the run goes on over the limit: how, for the report. */
  forcedBy?: '--force' | 'BENCH_FORCE=1';
  message: string;
}

export function loadGate(options: {
  loadAverage: number;
  cores: number;
  flag: boolean;
  env: string | undefined;
}): LoadGate {
  const { loadAverage, cores, flag, env } = options;
  const load = `1-minute load average ${loadAverage.toFixed(1)} on ${cores} cores`;
  if (loadAverage <= cores) return { proceed: true, message: `${load}: quiet enough to measure.` };
  const forcedBy = flag ? '--force' : env === '1' ? 'BENCH_FORCE=1' : undefined;
  if (forcedBy)
    return {
      proceed: true,
      forcedBy,
      message: `${load}, above the core count: measuring anyway (${forcedBy}); the report says so.`,
    };
  return {
    proceed: false,
    message:
      `${load}, above the core count: the figures would measure the other work. Wait until the machine is ` +
      'quiet (see `uptime`), or run `npm run bench -- --force` (or BENCH_FORCE=1) to measure anyway; the report then says it was forced.',
  };
}
