/// <reference lib="webworker" />
import { exposeWorker } from '../../../bridge/workerHost';
import { SEARCH_WORKER } from '../shared/protocol';
import { searchWorker } from './searchWorker';

exposeWorker(SEARCH_WORKER, searchWorker());
