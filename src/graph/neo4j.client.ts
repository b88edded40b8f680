import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import neo4j, { Driver, ManagedTransaction, RecordShape, Record as Neo4jRecord, Session } from 'neo4j-driver';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { CypherKey } from './cypher-keys';
import { CypherRegistry } from './cypher-registry';
import { mapNeo4jError } from './neo4j-errors';
import { Neo4jTelemetry, Neo4jUnit } from './neo4j-telemetry';
import { Telemetry } from '../observability/telemetry';

export type Params = Record<string, unknown>;

/** Runs registry statements by key, in a transaction or (readEach) auto-committed on one session. */
export class CypherTx {
  constructor(
    private readonly tx: Pick<ManagedTransaction, 'run'>,
    private readonly registry: CypherRegistry,
    private readonly unit?: Neo4jUnit,
  ) {}
  async run(key: CypherKey, params: Params = {}): Promise<Neo4jRecord[]> {
    if (!this.unit) return (await this.tx.run(this.registry.get(key), params)).records;
    return this.unit.query(key, async () => (await this.tx.run(this.registry.get(key), params)).records);
  }

  /**
   * Hands each record to `onRecord` as it is decoded and keeps none (a 1M-row read leaves no old-space
   * garbage behind: each record dies young); resolves with the count. No promise per record, unlike `stream`.
   */
  each(key: CypherKey, params: Params, onRecord: (r: Neo4jRecord) => void): Promise<number> {
    const run = () =>
      new Promise<number>((ok, fail) => {
        let n = 0;
        let thrown: unknown = null;
        this.tx.run(this.registry.get(key), params).subscribe({
          onNext: (r) => {
            if (thrown !== null) return;
            n++;
            try {
              onRecord(r);
            } catch (err) {
              thrown = err;
            }
          },
          onCompleted: () => (thrown === null ? ok(n) : fail(thrown)),
          onError: fail,
        });
      });
    return this.unit ? this.unit.query(key, run) : run();
  }

  /** Streams records one at a time (memory stays flat for large reads such as snapshot export). */
  stream(key: CypherKey, params: Params = {}): AsyncIterable<Neo4jRecord> {
    return this.tx.run(this.registry.get(key), params);
  }
}

/**
 * The one Neo4j client of the process: one driver, a session per unit of work closed in
 * `finally`, managed read/write transactions tagged with the query key, database from config,
 * Neo4j errors mapped to domain errors. Every transaction carries a timeout (NEO4J_TX_TIMEOUT_MS
 * unless the caller passes its own, e.g. `batchTimeoutMs` for imports and exports): the server
 * ends it there and the caller gets UNAVAILABLE GRAPH_TIMEOUT.
 */
@Injectable()
export class Neo4jClient implements OnApplicationShutdown {
  private readonly logger = new Logger(Neo4jClient.name);
  readonly driver: Driver;
  /** The timeout of batch work (importer, snapshot export, maintenance), NEO4J_BATCH_TX_TIMEOUT_MS. */
  readonly batchTimeoutMs: number;
  /**
   * Causal consistency: every session of this process starts after the transactions this process
   * (and, through `follow`, other processes) committed before it, even when a cluster routes a read
   * to a member that has not caught up yet (it waits). On a single server the bookmarks still flow.
   */
  private readonly bookmarks = neo4j.bookmarkManager();
  /** Metrics, spans and debug lines per unit of work (a pass-through without telemetry, e.g. CLI tools). */
  private readonly telemetry: Neo4jTelemetry;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    readonly registry: CypherRegistry,
    @Optional() telemetry?: Telemetry,
  ) {
    this.telemetry = new Neo4jTelemetry(telemetry);
    this.batchTimeoutMs = config.NEO4J_BATCH_TX_TIMEOUT_MS;
    // No token at all when the server runs with auth off (tests).
    const auth = config.NEO4J_PASSWORD ? neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD) : undefined;
    this.driver = neo4j.driver(config.NEO4J_URI, auth, {
      maxConnectionPoolSize: 50,
      connectionAcquisitionTimeout: 5_000,
      connectionTimeout: 3_000,
      // Fail fast so callers get UNAVAILABLE in seconds, not after the default 30 s of retries.
      maxTransactionRetryTime: 2_000,
      disableLosslessIntegers: false,
      logging: { level: 'error', logger: (_level, message) => this.logger.error(message) },
    });
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({
      database: this.config.NEO4J_DATABASE,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      bookmarkManager: this.bookmarks,
    });
  }

  /** The bookmarks of the transactions this process has committed or seen: another process passes them to `follow`. */
  async lastBookmarks(): Promise<string[]> {
    return [...(await this.bookmarks.getBookmarks())];
  }

  /**
   * Forgets every bookmark: after the database was replaced offline (a bulk load with neo4j-admin) its
   * transaction ids start again, and a session waiting for an old bookmark would wait in vain.
   */
  async forgetBookmarks(): Promise<void> {
    await this.bookmarks.updateBookmarks([...(await this.bookmarks.getBookmarks())], []);
  }

  /** The next sessions of this process start after these transactions (bookmarks from another process). */
  async follow(bookmarks: string[]): Promise<void> {
    if (bookmarks.length) await this.bookmarks.updateBookmarks([], bookmarks);
  }

  /** One statement in a managed read transaction. */
  async read(key: CypherKey, params: Params = {}): Promise<Neo4jRecord[]> {
    return this.readTx(key, (tx) => tx.run(key, params));
  }

  /** One statement in a managed write transaction. */
  async write(key: CypherKey, params: Params = {}): Promise<Neo4jRecord[]> {
    return this.writeTx(key, (tx) => tx.run(key, params));
  }

  /**
   * One statement in an auto-commit read: one network round trip instead of a managed transaction's
   * BEGIN/RUN/COMMIT, and no retries (the caller gets UNAVAILABLE at once). For latency-critical
   * single-statement reads such as serving recommendations.
   */
  readOnce(key: CypherKey, params: Params = {}): Promise<Neo4jRecord[]> {
    return this.implicit('READ', key, (tx) => tx.run(key, params));
  }

  /**
   * Several read statements on one session, each auto-committed: no BEGIN/COMMIT round trips (about
   * 2 ms per unit of work on this machine) and no retries (errors map at once). Neo4j reads are
   * read-committed, so the statements of one transaction would not share a snapshot either: use this
   * for latency-critical multi-statement reads (sampling hops, walk steps).
   */
  readEach<T>(tag: string, work: (tx: CypherTx) => Promise<T>): Promise<T> {
    return this.implicit('READ', tag, work);
  }

  /** Several statements in one read transaction. */
  async readTx<T>(tag: string, work: (tx: CypherTx) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.unit('READ', tag, work, timeoutMs);
  }

  /** Several statements in one write transaction: all or nothing. */
  async writeTx<T>(tag: string, work: (tx: CypherTx) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.unit('WRITE', tag, work, timeoutMs);
  }

  /** Transaction metadata and timeout (the caller's, else NEO4J_TX_TIMEOUT_MS). */
  private txConfig(tag: string, timeoutMs?: number) {
    return { metadata: { app: 'tastegraph', query: tag }, timeout: timeoutMs ?? this.config.NEO4J_TX_TIMEOUT_MS };
  }

  private async unit<T>(mode: 'READ' | 'WRITE', tag: string, work: (tx: CypherTx) => Promise<T>, timeoutMs?: number): Promise<T> {
    const session = this.session(mode);
    const txConfig = this.txConfig(tag, timeoutMs);
    const measured = this.telemetry.begin(tag, mode);
    let failure: unknown;
    try {
      const fn = (tx: ManagedTransaction) => work(new CypherTx(tx, this.registry, measured));
      return mode === 'READ' ? await session.executeRead(fn, txConfig) : await session.executeWrite(fn, txConfig);
    } catch (err) {
      failure = err;
      throw mapNeo4jError(err);
    } finally {
      await session.close();
      measured.end(failure);
    }
  }

  /**
   * One statement in an auto-commit (implicit) transaction: the only kind that may use
   * `CALL { ... } IN TRANSACTIONS` for large batched writes.
   */
  autoCommit(key: CypherKey, params: Params = {}, timeoutMs?: number): Promise<Neo4jRecord[]> {
    return this.implicit('WRITE', key, (tx) => tx.run(key, params), timeoutMs);
  }

  /** Statements auto-committed on one session (readOnce, readEach, autoCommit), each with the timeout. */
  private async implicit<T>(mode: 'READ' | 'WRITE', tag: string, work: (tx: CypherTx) => Promise<T>, timeoutMs?: number): Promise<T> {
    const session = this.session(mode);
    const config = this.txConfig(tag, timeoutMs);
    const measured = this.telemetry.begin(tag, mode);
    let failure: unknown;
    try {
      return await work(
        new CypherTx(
          { run: (query: string, params?: Params) => session.run(query, params, config) } as Pick<ManagedTransaction, 'run'>,
          this.registry,
          measured,
        ),
      );
    } catch (err) {
      failure = err;
      throw mapNeo4jError(err);
    } finally {
      await session.close();
      measured.end(failure);
    }
  }

  /** Applies cypher/schema/*.cypher in name order (IF NOT EXISTS, so idempotent; the last file waits for the indexes). */
  async applySchema(): Promise<string[]> {
    const applied: string[] = [];
    const session = this.session('WRITE');
    try {
      for (const { key, statement } of this.registry.schemaStatements()) {
        await session.run(statement);
        applied.push(key);
      }
    } catch (err) {
      throw mapNeo4jError(err);
    } finally {
      await session.close();
    }
    return applied;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }
}

export type { RecordShape };
