import type { AppConfig } from '../config/config.schema';
import { parseTrainerEvent, toFlags, TrainerRunner } from './trainer.runner';

describe('trainer protocol', () => {
  it('accepts JSON objects with an event name and nothing else', () => {
    expect(parseTrainerEvent('{"event":"epoch","epoch":3,"loss":0.5}')).toEqual({ event: 'epoch', epoch: 3, loss: 0.5 });
    expect(parseTrainerEvent('{"epoch":3}')).toBeNull();
    expect(parseTrainerEvent('[1,2]')).toBeNull();
    expect(parseTrainerEvent('loading data...')).toBeNull();
  });
  it('turns parameters into CLI flags', () => {
    expect(toFlags({ epochs: 5, batchSize: 1024, max_minutes: 2, export: true, quiet: false })).toEqual([
      '--epochs',
      '5',
      '--batch-size',
      '1024',
      '--max-minutes',
      '2',
      '--export',
    ]);
  });

  it('never starts the trainer for a run cancelled before it: the result says cancelled', async () => {
    // A trainer that cannot start: without the guard the run would try to spawn it.
    const runner = new TrainerRunner({ TRAINER_PYTHON: '/nonexistent/python', TRAINER_DEVICE: 'cpu', TRAINER_TIMEOUT_S: 60 } as AppConfig);
    const abort = new AbortController();
    abort.abort();
    const events: unknown[] = [];
    const result = await runner.run({ model: 'lightgcn', snapshotDir: 's', outDir: 'o', params: {} }, (e) => events.push(e), abort.signal);
    expect(result).toMatchObject({ reason: 'cancelled', code: null, done: null, artifacts: {} });
    expect(events).toEqual([]);
  });
});
