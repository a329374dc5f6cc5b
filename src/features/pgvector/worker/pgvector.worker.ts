/// <reference lib="webworker" />
import './processGlobal';
import { exposeWorker } from '../../../bridge/workerHost';
import { PGVECTOR_WORKER } from '../shared/protocol';
import { pgvectorWorker } from './pgvectorWorker';

exposeWorker(PGVECTOR_WORKER, pgvectorWorker());
