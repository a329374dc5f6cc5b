import { describe, expect, it } from 'vitest';
import { loadGate } from '../bench/loadGate';
import { figure } from '../bench/figures';
import { markdown } from '../bench/report';
import type { PartialBenchReport } from '../bench/types';

describe('the bench refuses a busy machine', () => {
  it('starts when the 1-minute load average is at most the core count', () => {
    expect(loadGate({ loadAverage: 1.9, cores: 2, flag: false, env: undefined })).toMatchObject({ proceed: true });
    expect(loadGate({ loadAverage: 2, cores: 2, flag: false, env: undefined }).forcedBy).toBeUndefined();
  });

  it('refuses above it, and says how to measure anyway', () => {
    const gate = loadGate({ loadAverage: 9.4, cores: 2, flag: false, env: undefined });
    expect(gate.proceed).toBe(false);
    expect(gate.message).toContain('9.4 on 2 cores');
    expect(gate.message).toContain('--force');
    expect(loadGate({ loadAverage: 2.1, cores: 2, flag: false, env: '0' }).proceed).toBe(false);
  });

  it('goes on over the limit with --force or BENCH_FORCE=1, and names which', () => {
    expect(loadGate({ loadAverage: 5, cores: 2, flag: true, env: undefined })).toMatchObject({
      proceed: true,
      forcedBy: '--force',
    });
    expect(loadGate({ loadAverage: 5, cores: 2, flag: false, env: '1' })).toMatchObject({
      proceed: true,
      forcedBy: 'BENCH_FORCE=1',
    });
  });

  it('a forced run says so in its report', () => {
    const report: PartialBenchReport = {
      date: '2026-12-02T10:00:00.000Z',
      quick: true,
      complete: false,
      machine: {
        cores: 2,
        chromium: '1',
        crossOriginIsolated: true,
        node: 'v20',
        loadAverageAtStart: 5,
        forcedBy: '--force',
        load: [],
      },
      catalogue: 'c',
      defaultModel: 'm',
      modelLoadMs: { m: figure([500]) },
    };
    expect(markdown(report, 'r.md')).toContain('Started over the load limit with `--force`');
    delete report.machine.forcedBy;
    expect(markdown(report, 'r.md')).not.toContain('Started over the load limit');
  });
});
