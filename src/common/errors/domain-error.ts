import { IntrinsicException } from '@nestjs/common';

/** GraphQL `extensions.code` values a client can rely on. */
export type ErrorCategory =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE';

export interface ErrorDetail {
  /** Path of the offending field, e.g. `events[3].weight`. */
  field?: string;
  message: string;
}

/**
 * A failure the caller can act on. `reason` is the stable domain code (e.g. USER_NOT_FOUND),
 * `category` the GraphQL code it maps to at the boundary. An expected outcome, not a fault: Nest's
 * exception handler does not log IntrinsicExceptions (formatGraphqlError logs what is unexpected).
 */
export class DomainError extends IntrinsicException {
  constructor(
    readonly category: ErrorCategory,
    readonly reason: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (reason: string, message: string) => new DomainError('NOT_FOUND', reason, message);
export const badInput = (reason: string, message: string, details: ErrorDetail[] = []) =>
  new DomainError('BAD_USER_INPUT', reason, message, details);
export const conflict = (reason: string, message: string) => new DomainError('CONFLICT', reason, message);
export const unavailable = (reason: string, message: string) => new DomainError('UNAVAILABLE', reason, message);
