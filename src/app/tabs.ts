import type { View } from '../lib/params';

/**
 * Each tab's name on its button. The tabs come in VIEWS' order, which follows the case study:
 * search and its pipeline, the model (training, the map of its space), offline measurement
 * (evaluation, the ANN labs, quantization), online measurement, then the page's own housekeeping.
 */
export const TAB_NAMES: Record<View, string> = {
  search: 'Search',
  pipeline: 'Pipeline',
  training: 'Training',
  map: 'Map',
  evaluation: 'Evaluation',
  sweep: 'Sweep',
  scale: 'Scale',
  quantization: 'Quantization',
  online: 'Online',
  models: 'Models',
  storage: 'Storage',
};
