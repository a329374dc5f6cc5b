import type { HeadSettings } from '../../../lib/projectionHead';
import { projectVectors } from '../../../lib/projectionHead';
import { evaluateRows } from '../../../lib/splitEvaluation';
import type { EpochLoss, TrainingData, TrainingOutcome } from '../shared/training';
import { splitFor, trainHead, type Checkpoint } from './trainHead';

/**
 * One training run as the Training tab and `npm run train` show it: the head trained on the
 * training split, then the test split ranked exactly with the frozen vectors (before) and through
 * the head (after). With the `clicks` source and IPS on, a second head is trained without the
 * weighting so the two can be compared.
 */
export async function runTraining(
  data: TrainingData,
  settings: HeadSettings,
  k: number,
  control: Checkpoint,
  onEpoch: (loss: EpochLoss) => void = () => {},
  onStage: (text: string) => void = () => {},
): Promise<TrainingOutcome> {
  const { test } = splitFor(data, settings);
  onStage('measuring the test split before training');
  const before = evaluateRows(data.vectors, data.dim, test, data.labels, k);
  await control.checkpoint();
  onStage('training');
  const trained = await trainHead(data, settings, control, onEpoch);
  onStage('measuring the test split through the head');
  const after = evaluateRows(projectVectors(trained.head, data.vectors), settings.dim, test, data.labels, k);
  let unweighted: TrainingOutcome['unweighted'] = null;
  if (settings.positives === 'clicks' && settings.ips) {
    onStage('training the same head without IPS weighting, to compare');
    const plain = await trainHead(data, { ...settings, ips: false }, control);
    await control.checkpoint();
    unweighted = {
      after: evaluateRows(projectVectors(plain.head, data.vectors), settings.dim, test, data.labels, k),
      epochs: plain.epochs,
    };
  }
  return { ...trained, k, before, after, unweighted };
}
