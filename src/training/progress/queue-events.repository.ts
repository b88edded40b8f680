import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config.schema';
import { TRAINING_QUEUE } from '../queue.constants';

export type RunEvent = { kind: 'active' } | { kind: 'progress'; data: unknown } | { kind: 'finished' };
type Listener = (e: RunEvent) => void;

/**
 * The training queue's event stream, read from Redis: BullMQ appends every job's `active`, `progress`,
 * `completed` and `failed` to a Redis stream whichever process runs the job, so an API replica without a
 * worker hears the worker's progress (docs/decisions/0030-training-progress-stream.md). One blocking
 * connection per process, opened at the first listener; listeners are dispatched by run id.
 */
@Injectable()
export class QueueEventsRepository implements OnModuleDestroy {
  private readonly logger = new Logger(QueueEventsRepository.name);
  private events?: QueueEvents;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Calls `listener` with every event of run `runId` from now on; the returned function stops it. Resolves once the stream is being read. */
  async listen(runId: string, listener: Listener): Promise<() => void> {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    const stop = () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
    try {
      await this.stream().waitUntilReady();
    } catch (err) {
      stop();
      throw err;
    }
    return stop;
  }

  get listening(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  async onModuleDestroy(): Promise<void> {
    await this.events?.close().catch(() => undefined);
  }

  private stream(): QueueEvents {
    if (this.events) return this.events;
    const c = this.config;
    const events = new QueueEvents(TRAINING_QUEUE, {
      prefix: c.REDIS_PREFIX,
      // a blocking XREAD connection of its own: BullMQ needs it to retry forever rather than fail a command
      connection: {
        host: c.REDIS_HOST,
        port: c.REDIS_PORT,
        password: c.REDIS_PASSWORD || undefined,
        maxRetriesPerRequest: null,
        retryStrategy: (times: number) => Math.min(times * 200, 2_000),
      },
    });
    const emit = (jobId: string, e: RunEvent) => this.listeners.get(jobId)?.forEach((l) => l(e));
    events.on('active', ({ jobId }) => emit(jobId, { kind: 'active' }));
    events.on('progress', ({ jobId, data }) => emit(jobId, { kind: 'progress', data }));
    events.on('completed', ({ jobId }) => emit(jobId, { kind: 'finished' }));
    events.on('failed', ({ jobId }) => emit(jobId, { kind: 'finished' }));
    events.on('error', (err) => this.logger.warn(`training events stream: ${err.message}`));
    this.events = events;
    return events;
  }
}
