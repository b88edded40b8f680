import { DomainError } from '../common/errors/domain-error';
import { mapSqlError } from './sql-errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('mapSqlError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset socket', withCode('ECONNRESET')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01')],
    ['PostgreSQL starting up (57P03)', withCode('57P03')],
    ['a connection exception (08006)', withCode('08006')],
    ['a full disk (53100)', withCode('53100')],
    ['a locked SQLite file', withCode('SQLITE_BUSY')],
    ['SQLite I/O (extended code)', withCode('SQLITE_IOERR_WRITE')],
    ['a dropped pg session', new Error('Connection terminated unexpectedly')],
    ['a released query runner', Object.assign(new Error('released'), { name: 'QueryRunnerAlreadyReleasedError' })],
    ['a TypeORM QueryFailedError over a socket error', Object.assign(new Error('q'), { driverError: { code: 'ECONNREFUSED' } })],
  ])('%s is UNAVAILABLE / REGISTRY_UNAVAILABLE', (_, err) => {
    const mapped = mapSqlError(err) as DomainError;
    expect(mapped).toBeInstanceOf(DomainError);
    expect([mapped.category, mapped.reason]).toEqual(['UNAVAILABLE', 'REGISTRY_UNAVAILABLE']);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['an error without a code', new Error('boom')],
  ])('%s stays as it is', (_, err) => {
    expect(mapSqlError(err)).toBe(err);
  });

  it('leaves domain errors and non-errors alone', () => {
    const d = new DomainError('NOT_FOUND', 'MODEL_VERSION_NOT_FOUND', 'no');
    expect(mapSqlError(d)).toBe(d);
    expect(mapSqlError('text')).toBe('text');
  });
});
