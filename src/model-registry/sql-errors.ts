import { DomainError } from '../common/errors/domain-error';

/** Node's socket errors when the server cannot be reached or drops the connection. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
/** SQLite result codes that mean the file cannot be used now (locked, full, I/O), not a wrong query. */
const SQLITE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];
/** TypeORM's errors for a connection or query runner that is gone. */
const TYPEORM_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'ConnectionIsNotSetError', 'CannotExecuteNotConnectedError']);
/** node-postgres says these without a code: a dropped session, a pool that cannot connect in time. */
const PG_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/];

/**
 * Maps a failure of the registry database that is about reaching it (the server down or restarting,
 * its disk full, the file locked) to UNAVAILABLE / REGISTRY_UNAVAILABLE; a wrong query or a constraint
 * stays what it is. By codes: SQLSTATE classes 08 (connection), 53 (insufficient resources: disk full,
 * too many connections), 57P01–57P03 (shutdown, cannot connect now); socket errno; SQLite busy/full/I/O.
 */
export function mapSqlError(err: unknown): unknown {
  if (err instanceof DomainError || !(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = String(e.driverError?.code ?? e.code ?? '');
  const unreachable =
    SOCKET_CODES.has(code) ||
    /^(08|53)[0-9A-Z]{3}$/.test(code) ||
    /^57P0[1-3]$/.test(code) ||
    SQLITE_CODES.some((c) => code.startsWith(c)) ||
    TYPEORM_NAMES.has(e.name) ||
    PG_MESSAGES.some((m) => m.test(e.message));
  return unreachable
    ? new DomainError('UNAVAILABLE', 'REGISTRY_UNAVAILABLE', 'The model registry database is unavailable; try again shortly')
    : err;
}
