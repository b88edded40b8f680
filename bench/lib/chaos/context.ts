/**
 * What the chaos drills share (bench/chaos.ts): the ports, the API child process, the GraphQL calls
 * and a stream of writes that remembers which were acknowledged, checked against Neo4j afterwards.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import neo4j from 'neo4j-driver';
import { apiEntry, ROOT } from '../services';
import { HttpResult, postGraphql } from '../../../test/support/fuzz/runner';

export const BOLT = '28687';
export const HTTP = '28474';
export const REDIS = '28379';
export const PG = '28432';
export const PORT = '28400';
export const URL = `http://127.0.0.1:${PORT}`;
export const ADMIN = 'chaos-admin-token';
export const HEADERS = { authorization: `Bearer ${ADMIN}` };
export const NEO4J_ENV = { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP };
export const PREFIX = `chaos-${Date.now().toString(36)}-`;
/** The registry database of this run (made at start, dropped at the end). */
export const PG_DATABASE = `chaos_${Date.now().toString(36)}`;
/** scripts/services.sh's variables for this run's PostgreSQL (it creates the database when missing). */
export const PG_ENV = { WITH_POSTGRES: '1', PG_PORT: PG, PG_DATABASE };
export const runDir = mkdtempSync(join(tmpdir(), 'tg-chaos-'));

export const log = (msg: string) => process.stderr.write(`[bench chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The API as a child process, as production runs it (the compiled dist/src/main.js), registry on PostgreSQL. */
export class Api {
  child?: ChildProcess;
  /** Extra variables of the current process (worker on, other folders), kept until the next start. */
  env: Record<string, string> = {};
  async start(timeoutMs = 120_000, extraEnv: Record<string, string> = {}): Promise<number> {
    const t0 = Date.now();
    this.env = extraEnv;
    this.child = spawn(process.execPath, apiEntry(log), {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT,
        HOST: '127.0.0.1',
        NEO4J_URI: `bolt://127.0.0.1:${BOLT}`,
        NEO4J_PASSWORD: '',
        REDIS_PORT: REDIS,
        REDIS_PREFIX: 'chaos',
        DATABASE_URL: `postgres://postgres@127.0.0.1:${PG}/${PG_DATABASE}`,
        TRAINER_RUNS_DIR: join(runDir, 'runs'),
        ARTIFACT_CACHE_DIR: join(runDir, 'artifact-cache'),
        TRAINER_WORKER: 'false',
        RETRAIN_CRON: '',
        ADMIN_TOKEN: ADMIN,
        // one key sends everything here: the per-key limits (600 reads, 120 writes a minute) would refuse 95% of the soak
        RATE_LIMIT_ENABLED: 'false',
        LOG_LEVEL: 'error',
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    while (Date.now() - t0 < timeoutMs) {
      if (this.child.exitCode !== null) throw new Error(`the API exited with ${this.child.exitCode} during start-up`);
      try {
        const r = await fetch(`${URL}/health/live`, { signal: AbortSignal.timeout(1000) });
        if (r.status < 500) return (Date.now() - t0) / 1000;
      } catch {
        /* not listening yet */
      }
      await sleep(200);
    }
    throw new Error('the API did not start in time');
  }
  /** SIGTERM and a new start with other variables. */
  async restart(extraEnv: Record<string, string> = {}): Promise<number> {
    await this.kill('SIGTERM');
    return this.start(120_000, extraEnv);
  }
  rssMb(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child!.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  }
  kill(signal: NodeJS.Signals): Promise<void> {
    const c = this.child!;
    if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((res) => {
      c.once('exit', () => res());
      c.kill(signal);
    });
  }
}

/** scripts/services.sh without blocking the event loop, so the load keeps running while a service stops and starts. */
export const servicesAsync = (cmd: 'start' | 'stop', what: 'neo4j' | 'redis' | 'postgres', env: Record<string, string>) =>
  promisify(execFile)('bash', [join(ROOT, 'scripts/services.sh'), cmd, what], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_PASSWORD: '', NEO4J_HEAP: '1g', ...env },
    timeout: 240_000,
  });

export const ok = (r: HttpResult) => r.status < 500 && !!r.body && !r.body.errors?.length;
export const errorCode = (r: HttpResult) =>
  String(r.body?.errors?.[0]?.extensions?.code ?? (r.status >= 500 ? `HTTP ${r.status}` : 'none'));
/** "CODE REASON" of a refused call, "ok", or "transport" when nothing answered. */
export const outcome = (r: HttpResult | null) =>
  !r ? 'transport' : ok(r) ? 'ok' : `${errorCode(r)} ${String(r.body?.errors?.[0]?.extensions?.reason ?? '')}`.trim();

export async function tryPost(q: string, v: Record<string, unknown>): Promise<HttpResult | null> {
  try {
    return await postGraphql(URL, q, v, HEADERS, 10_000);
  } catch {
    return null;
  }
}

export const REC = `query($u: ID!) { recommendations(userId: $u, first: 10) { edges { node { item { id } } } path } }`;
export const SERVED = `query($u: ID!) { recommendations(userId: $u, first: 5) { modelVersionId } }`;
export const INGEST = `mutation($e: [InteractionInput!]!) { recordInteractions(events: $e, createMissing: true) { events } }`;
export const PROMOTE = `mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`;

/** The model version that serves `users` now ('' when a request fails), and the failures among `n` requests. */
export async function servedBy(users: string[], n: number): Promise<{ version: string; failed: number }> {
  let failed = 0;
  let version = '';
  for (let i = 0; i < n; i++) {
    const r = await tryPost(SERVED, { u: users[i % users.length] });
    if (!r || !ok(r)) failed++;
    else version = String((r.body!.data!.recommendations as { modelVersionId: string }).modelVersionId);
  }
  return { version, failed };
}

/** A stream of writes, each a unique (user, item) pair, remembering which were acknowledged. */
export class Writer {
  acked: Array<[string, string]> = [];
  failed = 0;
  sent = 0;
  codes: Record<string, number> = {};
  private n = 0;
  /** `items`: existing items to write to (pair k: user k mod 50, item k / 50), else a new item per write */
  constructor(
    private readonly tag: string,
    private readonly items?: string[],
  ) {}
  async once(): Promise<boolean> {
    const k = this.n++;
    const item = this.items ? this.items[Math.floor(k / 50) % this.items.length] : `${PREFIX}${this.tag}-i${k}`;
    const pair: [string, string] = [`${PREFIX}${this.tag}-u${k % 50}`, item];
    this.sent++;
    const r = await tryPost(INGEST, { e: [{ userId: pair[0], itemId: pair[1], type: 'VIEW' }] });
    if (r && ok(r)) {
      this.acked.push(pair);
      return true;
    }
    this.failed++;
    const c = r ? errorCode(r) : 'transport';
    this.codes[c] = (this.codes[c] ?? 0) + 1;
    return false;
  }
}

/**
 * Removes what earlier runs left in this benchmark's own Neo4j (every node but lastfm's), so each run
 * starts from the same graph: the catalogue the soak serves is lastfm's, not lastfm's plus old runs' items.
 */
export async function clearLeftovers(): Promise<number> {
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  const session = driver.session();
  try {
    const r = await session.run(
      `MATCH (n) WHERE NOT coalesce(n.id, '') STARTS WITH 'lastfm:' CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`,
    );
    return r.summary.counters.updates().nodesDeleted;
  } finally {
    await session.close();
    await driver.close();
  }
}

/** How many of the acknowledged pairs have no INTERACTED edge in Neo4j. */
export async function lostOf(pairs: Array<[string, string]>): Promise<number> {
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  try {
    const { records } = await driver.executeQuery(
      `UNWIND $pairs AS p OPTIONAL MATCH (:User {id: p[0]})-[r:INTERACTED]->(:Item {id: p[1]}) WITH p, r WHERE r IS NULL RETURN count(p) AS lost`,
      { pairs },
    );
    return (records[0].get('lost') as { toNumber(): number }).toNumber();
  } finally {
    await driver.close();
  }
}
