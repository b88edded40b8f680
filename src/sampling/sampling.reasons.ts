import type { ReasonTable } from '../common/errors/reasons';

export const SAMPLING_REASONS = {
  NODE_NOT_FOUND: { category: 'NOT_FOUND', when: 'sampleNeighborhood: no user or item has the seed id.' },
} as const satisfies ReasonTable;

type SamplingReasonTable = typeof SAMPLING_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends SamplingReasonTable {}
}
