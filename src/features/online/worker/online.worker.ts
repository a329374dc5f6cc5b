/// <reference lib="webworker" />
import { exposeWorker } from '../../../bridge/workerHost';
import { ONLINE_WORKER } from '../shared/protocol';
import { onlineWorker } from './onlineWorker';

exposeWorker(ONLINE_WORKER, onlineWorker());
