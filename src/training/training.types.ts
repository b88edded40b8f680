import type { ModelKind } from '../model-registry/model-version.entity';

export interface TrainingJobData {
  model: ModelKind;
  params: Record<string, string | number>;
  trigger: 'admin' | 'schedule';
  /** The request that enqueued the job (its x-request-id), carried into the worker's logs, spans and the trainer's events. */
  requestId?: string;
}

export interface TrainingProgress {
  stage: 'export' | 'train' | 'index' | 'validate' | 'register' | 'done';
  percent: number;
  epoch?: number;
  epochs?: number;
  metrics?: Record<string, unknown>;
}

export interface TrainingJobResult {
  versionId: string;
  promoted: boolean;
  metrics: Record<string, unknown>;
  snapshot: Record<string, number>;
  timingsS: Record<string, number>;
}

export const CANCELLED_PREFIX = 'cancelled';
