/** The parts of a TensorFlow.js model.json that say which weight files to expect, and how big. */
export interface WeightsGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }[];
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

/** Bytes a group's shards hold together (quantised weights are stored in their quantised type), or null if a type is unknown. */
export function expectedGroupBytes(group: WeightsGroup): number | null {
  let total = 0;
  for (const weight of group.weights) {
    const bytes = BYTES_PER_VALUE[weight.quantization?.dtype ?? weight.dtype];
    if (bytes === undefined) return null;
    total += bytes * weight.shape.reduce((product, side) => product * side, 1);
  }
  return total;
}

/** The weight groups of a parsed model.json, or null when it has none in the expected shape. */
export function weightsManifest(modelJson: unknown): WeightsGroup[] | null {
  const manifest = (modelJson as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) return null;
  const valid = manifest.every(
    (group: Partial<WeightsGroup>) => Array.isArray(group?.paths) && Array.isArray(group?.weights),
  );
  return valid ? (manifest as WeightsGroup[]) : null;
}
