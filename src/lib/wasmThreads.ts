/**
 * tfjs-backend-wasm gives its threaded binary half the cores as threads. Below 4 cores that is
 * one thread, and the threaded binary is then slower than the plain SIMD one (tests/bench on
 * 2 cores: 54.5 against 137.9 ms/image median, 29.5 against 39.2 at best), so it is worth
 * using only when it gets at least two threads.
 */
export function wasmThreadsPay(cores: number): boolean {
  return Math.floor(cores / 2) >= 2;
}
