import { trainingMetrics } from '../../model-registry/types/metrics.type';
import { TrainingRunStatus, TrainingRunType } from '../types/training-run.type';
import { fromProgress, fromRun, isFinished } from './progress-events';

const at = new Date('2026-12-06T12:00:00Z');

describe('progress events', () => {
  it("fromProgress reads the worker's progress object: stage, percent, epoch, loss, validation", () => {
    const data = { stage: 'train', percent: 52.5, epoch: 7, epochs: 15, metrics: { loss: 0.68, validation: { 'recall@20': 0.1 } } };
    expect(fromProgress('r1', data, at)).toEqual({
      runId: 'r1',
      status: 'RUNNING',
      stage: 'train',
      progress: 52.5,
      epoch: 7,
      epochs: 15,
      loss: 0.68,
      validation: { 'recall@20': 0.1 },
      metrics: null,
      modelVersionId: null,
      promoted: null,
      failureReason: null,
      at,
    });
    // the same object as JSON text (how some BullMQ versions hand it over)
    expect(fromProgress('r1', JSON.stringify(data), at)).toEqual(fromProgress('r1', data, at));
  });

  it('fromProgress ignores what is not a progress object, and bounds the percent', () => {
    for (const bad of [42, null, 'not json', { stage: 'train' }, { percent: 3 }, { stage: 'warmup', percent: 3 }, [1, 2]])
      expect(fromProgress('r', bad)).toBeNull();
    expect(fromProgress('r', { stage: 'done', percent: 140 })!.progress).toBe(100);
    expect(fromProgress('r', { stage: 'export', percent: 2, metrics: { loss: 'NaN' } })!.loss).toBeNull();
  });

  it('fromRun: a finished run carries its outcome; only SUCCEEDED carries final metrics', () => {
    const run = {
      id: 'r2',
      status: TrainingRunStatus.SUCCEEDED,
      stage: 'done',
      progress: 100,
      currentEpoch: 15,
      epochs: 15,
      metrics: trainingMetrics({ validation: { 'recall@20': 0.2 }, test: { 'recall@20': 0.19 } }),
      modelVersionId: 'v1',
      promoted: true,
      failureReason: null,
    } as unknown as TrainingRunType;
    const e = fromRun(run, at);
    expect(e).toMatchObject({ runId: 'r2', status: 'SUCCEEDED', progress: 100, modelVersionId: 'v1', promoted: true, loss: null });
    expect(e.metrics).toEqual(run.metrics!.all);
    expect(e.validation).toEqual({ 'recall@20': 0.2 });
    expect(isFinished(e)).toBe(true);
    const failed = fromRun({ ...run, status: TrainingRunStatus.FAILED, failureReason: 'boom', modelVersionId: null }, at);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'boom', metrics: null });
    expect(isFinished(fromRun({ ...run, status: TrainingRunStatus.RUNNING, metrics: trainingMetrics({ loss: 0.5 }) }, at))).toBe(false);
    expect(fromRun({ ...run, status: TrainingRunStatus.RUNNING, metrics: trainingMetrics({ loss: 0.5 }) }, at).loss).toBe(0.5);
  });
});
