import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/config.schema';
import { parseTrainerEvent, TrainerEvent, TrainerRunner, toFlags } from './trainer.runner';

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
    // DENOISEGCN's TrainingParamsInput fields (models/tastegraph_trainer/arguments.py: --edge-l0, --edge-gate-init)
    expect(toFlags({ edgeL0: 0.01, edgeGateInit: -2.3 })).toEqual(['--edge-l0', '0.01', '--edge-gate-init', '-2.3']);
  });

  it('keeps a bounded tail of what a runaway trainer prints, and still reads its events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-trainer-'));
    try {
      // a stand-in trainer: 8 MB on stdout without a newline, 2,000 stderr lines, then its events
      const fake = join(dir, 'python');
      writeFileSync(
        fake,
        [
          '#!/bin/sh',
          "head -c 8000000 /dev/zero | tr '\\0' x",
          'echo',
          'i=0; while [ $i -lt 2000 ]; do echo "log line $i" >&2; i=$((i+1)); done',
          'echo \'{"event":"started"}\'',
          'echo \'{"event":"done","metrics":{"recall@20":0.5}}\'',
          '',
        ].join('\n'),
      );
      chmodSync(fake, 0o755);
      const config = {
        TRAINER_PYTHON: fake,
        TRAINER_DEVICE: 'cpu',
        TRAINER_TIMEOUT_S: 60,
        TRAINER_OUTPUT_MAX_BYTES: 4_096,
        TRAINER_LINE_MAX_BYTES: 1_024,
      } as AppConfig;
      const events: TrainerEvent[] = [];
      const result = await new TrainerRunner(config).run({ model: 'lightgcn', snapshotDir: dir, outDir: dir, params: {} }, (e) =>
        events.push(e),
      );
      expect(result.code).toBe(0);
      expect(events.map((e) => e.event)).toEqual(['started', 'done']);
      expect(result.done).toMatchObject({ metrics: { 'recall@20': 0.5 } });
      const bytes = result.stderrTail.reduce((n, l) => n + Buffer.byteLength(l), 0);
      expect(bytes).toBeLessThanOrEqual(4_096);
      expect(result.stderrTail.length).toBeLessThanOrEqual(50);
      expect(result.stderrTail).toContain('log line 1999');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
