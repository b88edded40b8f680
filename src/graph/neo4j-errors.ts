import { Neo4jError } from 'neo4j-driver';
import { DomainError } from '../common/errors/domain-error';

/**
 * A transaction ended by the server: its timeout, or (the same codes) an operator or a shutdown. A
 * transaction waiting for a lock when its timeout fires reports LockClientStopped, not TransactionTimedOut.
 */
const TIMEOUT_CODES = new Set([
  'Neo.TransientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.LockClientStopped',
  'Neo.TransientError.Transaction.LockClientStopped',
  'Neo.ClientError.Transaction.Terminated',
  'Neo.TransientError.Transaction.Terminated',
]);

/** Maps Neo4j error codes (never message text) to domain errors; returns the error itself when unmapped. */
export function mapNeo4jError(err: unknown): unknown {
  if (err instanceof DomainError || !(err instanceof Neo4jError)) return err;
  const code = err.code ?? '';
  // Before transient errors: a timeout is final (retrying would time out again).
  if (TIMEOUT_CODES.has(code) || code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
    return new DomainError('UNAVAILABLE', 'GRAPH_TIMEOUT', 'The graph query took too long');
  }
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || code.startsWith('Neo.TransientError.')) {
    return new DomainError('UNAVAILABLE', 'GRAPH_UNAVAILABLE', 'The graph database is unavailable; try again shortly');
  }
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new DomainError('UNAVAILABLE', 'GRAPH_AUTH_FAILED', 'The API cannot authenticate to the graph database');
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new DomainError('CONFLICT', 'GRAPH_CONSTRAINT', 'The write conflicts with an existing entity');
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new DomainError('UNAVAILABLE', 'GRAPH_DATABASE_MISSING', 'The configured Neo4j database does not exist');
  }
  return err;
}
