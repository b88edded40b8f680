import type { ReasonTable } from '../common/errors/reasons';

export const TRAINING_REASONS = {
  TRAINING_RUN_NOT_FOUND: {
    category: 'NOT_FOUND',
    when: 'trainingRun, cancelRetraining: no run has the id (the queue keeps the last 200 completed and 200 failed runs).',
  },
  RUN_FINISHED: { category: 'CONFLICT', when: 'cancelRetraining: the run has already completed or failed.' },
  SUBSCRIPTIONS_EXHAUSTED: {
    category: 'UNAVAILABLE',
    when: 'trainingProgress: this API process already serves its maximum of live progress subscriptions (200); try another replica or later.',
  },
  QUEUE_UNAVAILABLE: { category: 'UNAVAILABLE', when: 'The job queue (Redis) is down or did not answer within 3 s.' },
} as const satisfies ReasonTable;

type TrainingReasonTable = typeof TRAINING_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends TrainingReasonTable {}
}
