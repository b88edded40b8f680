import type { Queue } from 'bullmq';
import type { AppConfig } from '../config/config.schema';
import { TrainingQueueRepository } from './queue.repository';
import type { TrainingJobData } from './training.types';

/** A queue whose Redis connection is a map. */
function repository() {
  const kv = new Map<string, { value: string; ttl?: number }>();
  const redis = {
    set: async (key: string, value: string, _ex: 'EX', ttl: number) => void kv.set(key, { value, ttl }),
    get: async (key: string) => kv.get(key)?.value ?? null,
    ping: async () => 'PONG',
  };
  const queue = { client: Promise.resolve(redis) } as unknown as Queue<TrainingJobData>;
  return { kv, repo: new TrainingQueueRepository(queue, { REDIS_PREFIX: 'tg' } as AppConfig) };
}

describe('TrainingQueueRepository', () => {
  it('flags a run as cancelled under the queue prefix, for a day', async () => {
    const { kv, repo } = repository();
    expect(await repo.isCancelled('run-1')).toBe(false);
    await repo.markCancelled('run-1');
    expect(kv.get('tg:training:cancel:run-1')).toEqual({ value: '1', ttl: 86_400 });
    expect(await repo.isCancelled('run-1')).toBe(true);
    expect(await repo.isCancelled('run-2')).toBe(false);
  });

  it('pings Redis', async () => {
    await expect(repository().repo.ping()).resolves.toBeUndefined();
  });
});
