import { parseTrainerEvent, toFlags } from './trainer.runner';

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
});
