import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { DomainError, notFound } from '../common/errors/domain-error';
import { offsetCursor } from '../common/pagination/cursor';
import { validationFailed } from '../common/validation.pipe';
import { currentRequestId } from '../observability/request-context';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { ModelKind } from '../model-registry/model-version.entity';
import { trainingJobProblems } from './dto/training-job.check';
import { TrainingQueueRepository } from './queue.repository';
import { CANCELLED_PREFIX, TrainingJobData, TrainingJobResult, TrainingProgress } from './training.types';
import { TrainingRunStatus, TrainingRunType } from './types/training-run.type';

const LOG_TAIL = 40;
/** While Redis cannot be reached at start-up, the retraining schedule is tried again this often. */
export const SCHEDULE_RETRY_MS = 5_000;
/** trainingRuns' `first`: each run shown costs a few Redis reads (state, logs), and BullMQ keeps 200 finished runs. */
export const TRAINING_RUNS_MAX = 100;
/** Offset cursors: runs before the next page, newest first. */
const runsCursor = offsetCursor('trainingRuns');

const queueDown = (err: unknown) =>
  new DomainError('UNAVAILABLE', 'QUEUE_UNAVAILABLE', `The job queue (Redis) is unavailable: ${(err as Error).message}`);

/** Producer side of the `training` queue: enqueue (single flight), read runs, cancel, schedule. */
@Injectable()
export class TrainingService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TrainingService.name);
  private readonly starting = new Map<ModelKind, Promise<Job<TrainingJobData>>>();
  private scheduleRetry?: NodeJS.Timeout;

  constructor(
    private readonly jobs: TrainingQueueRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The first try is awaited; while Redis cannot be reached, the schedule is tried again every SCHEDULE_RETRY_MS. */
  async onModuleInit(): Promise<void> {
    await this.applySchedule(1);
  }

  onModuleDestroy(): void {
    if (this.scheduleRetry) clearTimeout(this.scheduleRetry);
    this.scheduleRetry = undefined;
  }

  /**
   * Sets RETRAIN_CRON's job scheduler (or removes it). BullMQ's scheduler is one per queue whatever
   * the number of processes that upsert it, and each tick enqueues one job: every replica and worker
   * may run this.
   */
  private async applySchedule(attempt: number): Promise<void> {
    this.scheduleRetry = undefined;
    try {
      if (this.config.RETRAIN_CRON) {
        await this.jobs.schedule(this.config.RETRAIN_CRON, {
          name: 'train',
          data: { model: this.config.RETRAIN_MODEL, params: {}, trigger: 'schedule' },
          opts: { attempts: 1, removeOnComplete: { count: 200 }, removeOnFail: { count: 200 } },
        });
        this.logger.log(`scheduled retraining of ${this.config.RETRAIN_MODEL} at "${this.config.RETRAIN_CRON}"`);
      } else {
        await this.jobs.unschedule();
      }
    } catch (err) {
      if (attempt === 1) this.logger.warn(`retraining schedule not set, trying again until Redis answers: ${(err as Error).message}`);
      this.scheduleRetry = setTimeout(() => void this.applySchedule(attempt + 1), SCHEDULE_RETRY_MS);
      this.scheduleRetry.unref();
    }
  }

  /** Enqueues a run and returns it at once; while a run of that model is live, returns that run instead. */
  async start(model: ModelKind, params: Record<string, string | number>): Promise<TrainingRunType> {
    // The same check the worker runs on the job it reads back (the resolver's pipe already ran the schema).
    const problems = trainingJobProblems(model, params);
    if (problems.length) throw validationFailed(problems);
    let p = this.starting.get(model);
    if (!p) {
      p = this.enqueue(model, params).finally(() => this.starting.delete(model));
      this.starting.set(model, p);
    }
    return this.toRun(await p);
  }

  private async enqueue(model: ModelKind, params: Record<string, string | number>): Promise<Job<TrainingJobData>> {
    try {
      const live = await this.jobs.liveJobs(100);
      const same = live.find((j) => j?.data?.model === model);
      if (same) return same;
      return await this.jobs.add(`${model.toLowerCase()}-${Date.now().toString(36)}`, {
        model,
        params,
        trigger: 'admin',
        requestId: currentRequestId(),
      });
    } catch (err) {
      throw queueDown(err);
    }
  }

  async get(id: string): Promise<TrainingRunType> {
    let job: Job<TrainingJobData> | undefined;
    try {
      job = await this.jobs.job(id);
    } catch (err) {
      throw queueDown(err);
    }
    if (!job) throw notFound('TRAINING_RUN_NOT_FOUND', `no training run ${id}`);
    return this.toRun(job);
  }

  /** Newest first; `after` is the opaque cursor of the previous page. */
  async list(first: number, after: string | null): Promise<{ nodes: TrainingRunType[]; endCursor: string | null; hasNextPage: boolean }> {
    const offset = runsCursor.decode(after) ?? 0;
    let jobs: Job<TrainingJobData>[];
    try {
      jobs = await this.jobs.allJobs();
    } catch (err) {
      throw queueDown(err);
    }
    jobs.sort((a, b) => b.timestamp - a.timestamp || (b.id ?? '').localeCompare(a.id ?? ''));
    const page = jobs.slice(offset, offset + first);
    const nodes = await Promise.all(page.map((j) => this.toRun(j)));
    const end = offset + page.length;
    return { nodes, endCursor: page.length ? runsCursor.encode(end) : null, hasNextPage: end < jobs.length };
  }

  /** Cancels a run: a queued run never starts; a running one has its trainer's process group ended. */
  async cancel(id: string): Promise<TrainingRunType> {
    const job = await this.jobs.job(id);
    if (!job) throw notFound('TRAINING_RUN_NOT_FOUND', `no training run ${id}`);
    const state = await job.getState();
    if (state === 'completed' || state === 'failed')
      throw new DomainError('CONFLICT', 'RUN_FINISHED', `training run ${id} has already finished (${state})`);
    await this.jobs.markCancelled(id);
    return this.toRun(job);
  }

  private async toRun(snapshot: Job<TrainingJobData>): Promise<TrainingRunType> {
    const state = await snapshot.getState();
    // The job was read before its state: one that finished in between has no failure reason or result
    // in that copy yet (a FAILED run came back with reason 'unknown' under load), so it is read again.
    const finished = state === 'failed' || state === 'completed';
    const job = finished && !snapshot.finishedOn ? ((await this.jobs.job(snapshot.id!)) ?? snapshot) : snapshot;
    const progress = (
      typeof job.progress === 'object' ? job.progress : { percent: Number(job.progress) || 0 }
    ) as Partial<TrainingProgress>;
    const result = job.returnvalue as TrainingJobResult | null;
    const failed = state === 'failed';
    const cancelled = failed && (job.failedReason ?? '').startsWith(CANCELLED_PREFIX);
    const status = cancelled
      ? TrainingRunStatus.CANCELLED
      : failed
        ? TrainingRunStatus.FAILED
        : state === 'completed'
          ? TrainingRunStatus.SUCCEEDED
          : state === 'active'
            ? TrainingRunStatus.RUNNING
            : TrainingRunStatus.QUEUED;
    const logs = await this.jobs.logTail(job.id!, LOG_TAIL);
    return {
      id: job.id!,
      model: job.data.model as TrainingRunType['model'],
      status,
      stage: progress.stage ?? null,
      progress: status === TrainingRunStatus.SUCCEEDED ? 100 : Math.max(0, Math.min(100, progress.percent ?? 0)),
      currentEpoch: progress.epoch ?? null,
      epochs: progress.epochs ?? null,
      metrics: result?.metrics ?? progress.metrics ?? null,
      params: job.data.params,
      failureReason: failed ? (job.failedReason ?? 'unknown') : null,
      modelVersionId: result?.versionId ?? null,
      promoted: result ? result.promoted : null,
      timings: result?.timingsS ?? null,
      logTail: logs,
      createdAt: new Date(job.timestamp),
      startedAt: job.processedOn ? new Date(job.processedOn) : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    };
  }
}
