import type { ReasonTable } from '../common/errors/reasons';

export const RECOMMENDATIONS_REASONS = {
  STALE_CURSOR: {
    category: 'BAD_USER_INPUT',
    when: 'recommendations: `after` was issued by another model version (a swap happened); request the first page again.',
  },
  UNKNOWN_TAGS: { category: 'BAD_USER_INPUT', when: 'recommendations: a filter tag no item has.' },
  NO_MODEL: {
    category: 'UNAVAILABLE',
    when: 'recommendations with a model kind: no version of that kind has been activated; similarItems: no model is active.',
  },
} as const satisfies ReasonTable;

type RecommendationsReasonTable = typeof RECOMMENDATIONS_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends RecommendationsReasonTable {}
}
