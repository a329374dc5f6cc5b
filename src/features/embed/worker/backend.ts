import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { errorMessage } from '../../../lib/errors';
import type { Backend, BackendInfo } from '../../../lib/types';

/** Fastest first: WASM (SIMD, threads when cross-origin isolated), then WebGL, then plain JS. */
export const BACKEND_ORDER: readonly Backend[] = ['wasm', 'webgl', 'cpu'];

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/**
 * Starts the preferred backend, or the first that works in BACKEND_ORDER. `wasmThreads: false`
 * keeps WASM on its single-threaded SIMD binary even when the page is cross-origin isolated
 * (the bench measures both).
 */
export async function startBackend(preferred: Backend | null, wasmThreads = true): Promise<BackendInfo> {
  // Read once by tfjs when the WASM backend starts: false keeps it on the single-threaded SIMD binary.
  if (!wasmThreads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : BACKEND_ORDER;
  const failures: string[] = [];
  for (const backend of order) {
    try {
      if (await tf.setBackend(backend)) {
        await tf.ready();
        const wasm = backend === 'wasm';
        return {
          backend,
          simd: wasm && Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
          threads: wasm && Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
        };
      }
      failures.push(`${backend}: not available`);
    } catch (error) {
      failures.push(`${backend}: ${errorMessage(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}
