import type { ReasonTable } from '../common/errors/reasons';

export const AUTH_REASONS = {
  API_KEY_REQUIRED: {
    category: 'UNAUTHENTICATED',
    when: 'API keys are configured (API_KEYS or API_KEYS_FILE) and the request has no `x-api-key` header (nor the admin token).',
  },
  API_KEY_INVALID: { category: 'FORBIDDEN', when: 'The `x-api-key` header holds none of the configured keys.' },
  SCOPE_MISSING: {
    category: 'FORBIDDEN',
    when: 'The API key is valid but lacks the scope (read, write or delete) the operation needs; the message names both.',
  },
  ADMIN_TOKEN_REQUIRED: { category: 'UNAUTHENTICATED', when: 'An admin operation without a bearer token.' },
  ADMIN_DISABLED: { category: 'FORBIDDEN', when: 'An admin operation while ADMIN_TOKEN is not set.' },
  ADMIN_TOKEN_INVALID: { category: 'FORBIDDEN', when: 'An admin operation with a bearer token that is not ADMIN_TOKEN.' },
} as const satisfies ReasonTable;

type AuthReasonTable = typeof AUTH_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends AuthReasonTable {}
}
