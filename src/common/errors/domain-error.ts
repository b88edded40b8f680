import { IntrinsicException } from '@nestjs/common';
import type { Reason, ReasonIn } from './reasons';

/** GraphQL `extensions.code` values a client can rely on. */
export type ErrorCategory = 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'UNAVAILABLE';

export interface ErrorDetail {
  /** Path of the offending field, e.g. `events[3].weight`. */
  field?: string;
  message: string;
}

/**
 * A failure the caller can act on. `reason` is the stable domain code (e.g. USER_NOT_FOUND),
 * `category` the GraphQL code it maps to at the boundary. An expected outcome, not a fault: Nest's
 * exception handler does not log IntrinsicExceptions (formatGraphqlError logs what is unexpected).
 * Only a reason listed in a domain's `*.reasons.ts` under that category compiles (docs/errors.md).
 */
export class DomainError<C extends ErrorCategory = ErrorCategory> extends IntrinsicException {
  readonly category: ErrorCategory;
  readonly reason: Reason;
  /** Extra `extensions` a client can act on (e.g. `retryAfterSeconds`), next to code and reason. */
  hints: Record<string, unknown> = {};

  constructor(
    category: C,
    reason: ReasonIn<C>,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.category = category;
    this.reason = reason;
    this.name = 'DomainError';
  }
}

export const notFound = (reason: ReasonIn<'NOT_FOUND'>, message: string) => new DomainError('NOT_FOUND', reason, message);
export const badInput = (reason: ReasonIn<'BAD_USER_INPUT'>, message: string, details: ErrorDetail[] = []) =>
  new DomainError('BAD_USER_INPUT', reason, message, details);
export const conflict = (reason: ReasonIn<'CONFLICT'>, message: string) => new DomainError('CONFLICT', reason, message);
export const unavailable = (reason: ReasonIn<'UNAVAILABLE'>, message: string) => new DomainError('UNAVAILABLE', reason, message);
