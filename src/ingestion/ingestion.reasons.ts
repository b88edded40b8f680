import type { ReasonTable } from '../common/errors/reasons';

/** Users and items belong to ingestion; other domains send the same *_NOT_FOUND for them. */
export const INGESTION_REASONS = {
  USER_NOT_FOUND: { category: 'NOT_FOUND', when: 'No user has the given id (user, deleteUser, recommendations).' },
  ITEM_NOT_FOUND: { category: 'NOT_FOUND', when: 'No item has the given id (item, similarItems, relatedItems).' },
  INVALID_USERS: {
    category: 'BAD_USER_INPUT',
    when: 'upsertUsers: a duplicate id in the batch or attributes over their size limit; `details` names each entry.',
  },
  INVALID_ITEMS: {
    category: 'BAD_USER_INPUT',
    when: 'upsertItems: a duplicate id in the batch or attributes over their size limit; `details` names each entry.',
  },
  UNKNOWN_IDS: {
    category: 'BAD_USER_INPUT',
    when: 'A batch names users or items that do not exist (recordInteractions without createMissing, friendships, hide/unhide); `details` names each.',
  },
} as const satisfies ReasonTable;

type IngestionReasonTable = typeof INGESTION_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends IngestionReasonTable {}
}
