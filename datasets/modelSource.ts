import type { ModelInfo } from '../src/lib/types';

export type LoadOptions = Pick<ModelInfo, 'version' | 'alpha' | 'inputRange'>;

/**
 * Reads the `mobilenet.load({...})` options from a model's SOURCE.md. `inputRange` is
 * required: without it the package silently assumes [-1, 1] for a custom modelUrl.
 */
export function parseLoadOptions(sourceMd: string): LoadOptions {
  const call = /mobilenet\.load\(\{([\s\S]*?)\}\)/.exec(sourceMd);
  if (!call) throw new Error('SOURCE.md has no `mobilenet.load({...})` example');
  const body = call[1];
  const version = /version:\s*([12])\b/.exec(body);
  const alpha = /alpha:\s*([0-9.]+)/.exec(body);
  const range = /inputRange:\s*\[\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*\]/.exec(body);
  if (!version || !alpha || !range) {
    throw new Error('SOURCE.md load() example must give version, alpha and inputRange');
  }
  return {
    version: Number(version[1]) as 1 | 2,
    alpha: Number(alpha[1]),
    inputRange: [Number(range[1]), Number(range[2])],
  };
}
