import { SingleBar } from 'cli-progress';
import { formatDuration, progressFigures } from '../src/lib/progress';

/** A progress bar on stderr: done/total, images per second and time left. */
export function progressBar(label: string): { update(done: number, total: number): void; stop(): void } {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}  {rate} img/s  {eta_text} left`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  let started = 0;
  let running = false;
  return {
    update(done, total) {
      if (!running) started = performance.now();
      const figures = progressFigures(done, total, performance.now() - started);
      const tokens = { rate: figures.rate.toFixed(1), eta_text: formatDuration(figures.etaSeconds) };
      if (!running) {
        bar.start(total, done, tokens);
        running = true;
      } else {
        bar.update(done, tokens);
      }
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
