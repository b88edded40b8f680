import { Neo4jError } from 'neo4j-driver';
import { DomainError } from '../common/errors/domain-error';
import { mapNeo4jError } from './neo4j-errors';

const reasonOf = (code: string) => (mapNeo4jError(new Neo4jError('message text is never read', code, '', '')) as DomainError).reason;

describe('mapNeo4jError', () => {
  it('maps transaction timeouts to GRAPH_TIMEOUT, before the transient errors they could pass for', () => {
    expect(reasonOf('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration')).toBe('GRAPH_TIMEOUT');
    expect(reasonOf('Neo.ClientError.Transaction.TransactionTimedOut')).toBe('GRAPH_TIMEOUT');
    expect(reasonOf('Neo.TransientError.Transaction.TransactionTimedOut')).toBe('GRAPH_TIMEOUT');
    // what Neo4j 5.26 reports for a transaction its timeout ends while it waits for a lock (test/limits.e2e-spec.ts)
    expect(reasonOf('Neo.ClientError.Transaction.LockClientStopped')).toBe('GRAPH_TIMEOUT');
    expect(reasonOf('Neo.TransientError.General.MemoryPoolOutOfMemoryError')).toBe('GRAPH_UNAVAILABLE');
    expect(reasonOf('ServiceUnavailable')).toBe('GRAPH_UNAVAILABLE');
  });
  it('leaves unknown errors as they are', () => {
    const err = new Neo4jError('x', 'Neo.ClientError.Statement.SyntaxError', '', '');
    expect(mapNeo4jError(err)).toBe(err);
  });
});
