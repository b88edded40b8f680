/** A merge thread (merge-pool.ts): one partition per message, its row count back. */
import { parentPort } from 'node:worker_threads';
import { mergePartitionFile, MergeTask } from './merge-partition';

parentPort!.on('message', (task: MergeTask) => parentPort!.postMessage(mergePartitionFile(task)));
