/**
 * InfoNCE (NT-Xent with in-batch negatives), written out in plain numbers: the reference the
 * TensorFlow.js training loss is tested against. For pair i of a batch, the anchor a_i should
 * pick its own positive p_i among all the batch's positives — the book's "softmax over one
 * positive and n−1 negatives":
 *
 *   ℓ_i = −log( exp(a_i·p_i / τ) / Σ_j exp(a_i·p_j / τ) )
 *
 * over j = i and every j of another group (a pair of the same group, e.g. the same label, is
 * not a negative and is left out). The batch loss is Σ w_i ℓ_i / Σ w_i. a and p are
 * L2-normalised rows, so a·p is the cosine.
 */
export function infoNceLoss(
  anchors: readonly (readonly number[])[],
  positives: readonly (readonly number[])[],
  groups: readonly number[],
  temperature: number,
  weights: readonly number[] = anchors.map(() => 1),
): number {
  let total = 0;
  let weightSum = 0;
  anchors.forEach((anchor, i) => {
    const logits: number[] = [];
    let own = 0;
    positives.forEach((positive, j) => {
      if (j !== i && groups[j] === groups[i]) return;
      const logit = dotProduct(anchor, positive) / temperature;
      if (j === i) own = logit;
      logits.push(logit);
    });
    const max = Math.max(...logits);
    const logSumExp = max + Math.log(logits.reduce((sum, l) => sum + Math.exp(l - max), 0));
    total += weights[i] * (logSumExp - own);
    weightSum += weights[i];
  });
  return weightSum > 0 ? total / weightSum : 0;
}

export function dotProduct(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function l2Normalise(v: readonly number[]): number[] {
  const norm = Math.sqrt(dotProduct(v, v)) || 1;
  return v.map((x) => x / norm);
}
