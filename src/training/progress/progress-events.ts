import type { TrainingProgress } from '../training.types';
import { TrainingRunStatus, TrainingRunType, TrainingStage } from '../types/training-run.type';
import type { TrainingProgressType } from './training-progress.type';

const FINISHED = new Set([TrainingRunStatus.SUCCEEDED, TrainingRunStatus.FAILED, TrainingRunStatus.CANCELLED]);
const STAGES = new Set<string>(Object.values(TrainingStage));

export const isFinished = (e: Pick<TrainingProgressType, 'status'>): boolean => FINISHED.has(e.status);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** The run as TrainingService reads it (the first message of a subscription, and every outcome). */
export function fromRun(run: TrainingRunType, at = new Date()): TrainingProgressType {
  const m = obj(run.metrics?.all);
  const finished = FINISHED.has(run.status);
  return {
    runId: run.id,
    status: run.status,
    stage: run.stage,
    progress: run.progress,
    epoch: run.currentEpoch,
    epochs: run.epochs,
    loss: finished ? null : num(m?.loss),
    validation: obj(m?.validation) ?? obj(m?.val),
    metrics: run.status === TrainingRunStatus.SUCCEEDED ? m : null,
    modelVersionId: run.modelVersionId,
    promoted: run.promoted,
    failureReason: run.failureReason,
    at,
  };
}

/**
 * A progress update the worker wrote (BullMQ's `progress` event carries the job's progress object, from
 * any process): stage, percent, epoch and the latest loss and validation metrics. Anything that is not
 * such an object (a stage that is not a TrainingStage included) is ignored (null).
 */
export function fromProgress(runId: string, data: unknown, at = new Date()): TrainingProgressType | null {
  const p = obj(typeof data === 'string' ? safeJson(data) : data) as Partial<TrainingProgress> | null;
  if (!p || typeof p.stage !== 'string' || !STAGES.has(p.stage) || num(p.percent) === null) return null;
  const metrics = obj(p.metrics);
  return {
    runId,
    status: TrainingRunStatus.RUNNING,
    stage: p.stage as TrainingStage,
    progress: Math.max(0, Math.min(100, p.percent!)),
    epoch: num(p.epoch),
    epochs: num(p.epochs),
    loss: num(metrics?.loss),
    validation: obj(metrics?.validation),
    metrics: null,
    modelVersionId: null,
    promoted: null,
    failureReason: null,
    at,
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
}
