import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Job, JobSchedulerTemplateOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { TRAINING_QUEUE } from './queue.constants';
import { TrainingJobData } from './training.types';

/** Redis calls give up after this long, so a caller never waits on a queue that is down. */
const QUEUE_TIMEOUT_MS = 3_000;
const withTimeout = <T>(p: Promise<T>): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${QUEUE_TIMEOUT_MS} ms`)), QUEUE_TIMEOUT_MS).unref()),
  ]);

const LIVE_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;
const ALL_STATES = [...LIVE_STATES, 'completed', 'failed'] as const;
const SCHEDULER_ID = 'scheduled-retrain';
/** A cancel flag outlives any run. */
const CANCEL_TTL_S = 86_400;

/**
 * The only code that touches the `training` queue and its Redis: BullMQ calls and the few raw
 * Redis keys beside them (cancel flags, ping). Errors are the client's own; callers map them.
 */
@Injectable()
export class TrainingQueueRepository {
  constructor(
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue<TrainingJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates or replaces the cron schedule that enqueues `train` jobs. */
  schedule(pattern: string, template: { name: string; data: TrainingJobData; opts: JobSchedulerTemplateOptions }): Promise<unknown> {
    return withTimeout(this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern }, template));
  }

  unschedule(): Promise<unknown> {
    return withTimeout(this.queue.removeJobScheduler(SCHEDULER_ID));
  }

  /** Queued and running jobs, at most `limit`. */
  liveJobs(limit: number): Promise<Job<TrainingJobData>[]> {
    return withTimeout(this.queue.getJobs([...LIVE_STATES], 0, limit));
  }

  /** Every job the queue still keeps, live or finished. */
  async allJobs(): Promise<Job<TrainingJobData>[]> {
    return (await this.queue.getJobs([...ALL_STATES], 0, -1)).filter(Boolean);
  }

  /** Jobs per state (queue depth), for the metrics. */
  counts(): Promise<Record<string, number>> {
    return withTimeout(this.queue.getJobCounts(...ALL_STATES));
  }

  add(jobId: string, data: TrainingJobData): Promise<Job<TrainingJobData>> {
    return withTimeout(
      this.queue.add('train', data, { jobId, attempts: 1, removeOnComplete: { count: 200 }, removeOnFail: { count: 200 } }),
    );
  }

  job(id: string): Promise<Job<TrainingJobData> | undefined> {
    return withTimeout(this.queue.getJob(id));
  }

  /** The last `n` log lines of a job, oldest first. */
  async logTail(id: string, n: number): Promise<string[]> {
    return (await this.queue.getJobLogs(id, -n, -1, true)).logs;
  }

  /** Asks the worker running (or about to run) a job to stop it. */
  async markCancelled(id: string): Promise<void> {
    await (await this.redis()).set(this.cancelKey(id), '1', 'EX', CANCEL_TTL_S);
  }

  async isCancelled(id: string): Promise<boolean> {
    return (await (await this.redis()).get(this.cancelKey(id))) === '1';
  }

  async ping(): Promise<void> {
    await (await this.redis()).ping();
  }

  private cancelKey(id: string): string {
    return `${this.config.REDIS_PREFIX}:${TRAINING_QUEUE}:cancel:${id}`;
  }

  /** BullMQ's own ioredis connection (typed by bullmq as its RedisClient). */
  private async redis(): Promise<Redis> {
    return (await this.queue.client) as unknown as Redis;
  }
}
