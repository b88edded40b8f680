import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mergePartitionFile, MergeTask } from './merge-partition';

/** Merge threads at most: each holds one partition (~PARTITION_ROWS events, ~200 MB) at a time. */
export const MERGE_THREADS_MAX = 4;

/**
 * Merges the partitions on worker threads, one per core up to MERGE_THREADS_MAX (partitions are
 * independent: every event of a pair is in the same one), calling onDone with each one's rows as it
 * finishes; on one core, in this thread.
 */
export async function mergePartitions(tasks: MergeTask[], onDone: (rows: number) => void): Promise<void> {
  const threads = Math.min(MERGE_THREADS_MAX, availableParallelism(), tasks.length);
  if (threads <= 1) {
    for (const t of tasks) onDone(mergePartitionFile(t));
    return;
  }
  const workers = Array.from({ length: threads }, spawn);
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (w) => {
        while (next < tasks.length) onDone(await call(w, tasks[next++]));
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function spawn(): Worker {
  const file = join(__dirname, `merge-worker${extname(__filename)}`);
  // the tests run the TypeScript sources: the thread compiles its module the same way
  return extname(__filename) === '.ts'
    ? new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(file)});`, { eval: true })
    : new Worker(file);
}

function call(w: Worker, task: MergeTask): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, rows?: number) => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if (err) reject(err);
      else resolve(rows!);
    };
    const onMessage = (rows: number) => done(null, rows);
    const onError = (err: Error) => done(err);
    const onExit = (code: number) => done(new Error(`merge thread exited (${code}) while merging ${task.input}`));
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage(task);
  });
}
