/// <reference lib="webworker" />
import { exposeWorker } from '../../../bridge/workerHost';
import { PQ_TRAIN_WORKER } from '../shared/pqTrainProtocol';
import { pqTrainWorker } from './pqTrainWorker';

exposeWorker(PQ_TRAIN_WORKER, pqTrainWorker());
