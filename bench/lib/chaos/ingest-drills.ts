/** The drills around ingestion and the services it needs: fuzz cases, SIGKILL of the API, Neo4j restart, Redis down. */
import neo4j from 'neo4j-driver';
import { BenchServices } from '../services';
import { fuzzOperations, loadSchema } from '../../../test/support/fuzz/operations';
import { fuzzIds, fuzzOperation, FuzzFigures, seedKnownGraph } from '../../../test/support/fuzz/runner';
import {
  Api,
  BOLT,
  errorCode,
  HEADERS,
  log,
  lostOf,
  NEO4J_ENV,
  ok,
  outcome,
  PREFIX,
  REC,
  REDIS,
  servicesAsync,
  sleep,
  tryPost,
  URL,
  Writer,
} from './context';

const ENQUEUE = `mutation { startRetraining(model: LIGHTGCN, params: { epochs: 1 }) { id status } }`;

export async function fuzz(CASES: number): Promise<Record<string, unknown>> {
  const ids = fuzzIds(`${PREFIX}fz-`);
  await seedKnownGraph(URL, ids, HEADERS);
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  const per: FuzzFigures[] = [];
  try {
    for (const op of fuzzOperations(loadSchema(), ids)) {
      const f = await fuzzOperation(op, {
        url: URL,
        headers: HEADERS,
        cases: CASES,
        seed: 20261206,
        driver,
        ids,
        reseed: async () => {
          await driver.executeQuery(`MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $p DETACH DELETE n`, { p: ids.prefix });
          await seedKnownGraph(URL, ids, HEADERS);
        },
      });
      log(
        `fuzz ${op.name}: ${f.cases} cases in ${f.seconds}s, internal ${f.internal}, partial writes ${f.partialWrites}, unstable ${f.unstable}`,
      );
      for (const e of f.examples) log(`  ${e.problems.join('; ')} <- ${JSON.stringify(e.variables).slice(0, 300)}`);
      per.push(f);
    }
  } finally {
    await driver.close();
  }
  const sum = (k: keyof FuzzFigures) => per.reduce((s, f) => s + (f[k] as number), 0);
  return {
    casesPerOperation: CASES,
    operations: per.length,
    cases: sum('cases'),
    internal: sum('internal'),
    http5xx: sum('http5xx'),
    unstable: sum('unstable'),
    partialWrites: sum('partialWrites'),
    transport: sum('transport'),
    nonGraphql: sum('nonGraphql'),
    seconds: Math.round(sum('seconds')),
  };
}

export async function sigkill(api: Api): Promise<Record<string, unknown>> {
  const w = new Writer('kill');
  let stop = false;
  const loops = [0, 1, 2, 3].map(async () => {
    while (!stop) await w.once();
  });
  await sleep(3000);
  const ackedBeforeKill = w.acked.length;
  await api.kill('SIGKILL');
  const killedAt = Date.now();
  await sleep(500);
  stop = true;
  await Promise.all(loops);
  const restart = await api.start();
  // The first acknowledged write after the restart ends the outage.
  while (!(await w.once())) await sleep(100);
  return {
    acknowledged: w.acked.length,
    ackedBeforeKill,
    acknowledgedLost: await lostOf(w.acked),
    requestsFailed: w.failed,
    restartSeconds: restart,
    recoverSeconds: (Date.now() - killedAt) / 1000,
  };
}

export async function neo4jRestart(users: string[]): Promise<Record<string, unknown>> {
  const w = new Writer('neo');
  let reads = 0;
  let readsFailed = 0;
  const codes: Record<string, number> = {};
  let stop = false;
  let lastFailure = 0;
  const reader = async () => {
    while (!stop) {
      const r = await tryPost(REC, { u: users[reads++ % users.length] });
      if (!r || !ok(r)) {
        readsFailed++;
        lastFailure = Date.now();
        const c = r ? errorCode(r) : 'transport';
        codes[c] = (codes[c] ?? 0) + 1;
        await sleep(50);
      }
    }
  };
  const writer = async () => {
    while (!stop) {
      if (await w.once()) continue;
      lastFailure = Date.now();
      await sleep(50);
    }
  };
  const loops = [reader(), reader(), writer()];
  await sleep(2000);
  const t0 = Date.now();
  await servicesAsync('stop', 'neo4j', NEO4J_ENV);
  const stoppedAt = Date.now();
  await servicesAsync('start', 'neo4j', NEO4J_ENV);
  const startedAt = Date.now();
  // Recovered once 3 s pass without a failure.
  while (Date.now() - Math.max(lastFailure, startedAt) < 3000) await sleep(200);
  stop = true;
  await Promise.all(loops);
  return {
    reads,
    readsFailed,
    writes: w.sent,
    writesFailed: w.failed,
    readErrorCodes: codes,
    writeErrorCodes: w.codes,
    downSeconds: (startedAt - stoppedAt) / 1000,
    recoverSecondsAfterNeo4jUp: Math.max(0, (lastFailure - startedAt) / 1000),
    outageSeconds: (Math.max(lastFailure, stoppedAt) - t0) / 1000,
    acknowledgedLost: await lostOf(w.acked),
  };
}

export async function redisDrills(svc: BenchServices, api: Api, users: string[]): Promise<Record<string, unknown>> {
  const recs = async (n: number) => {
    let failed = 0;
    for (let i = 0; i < n; i++) {
      const r = await tryPost(REC, { u: users[i % users.length] });
      if (!r || !ok(r)) failed++;
    }
    return failed;
  };
  const enqueueCode = async () => outcome(await tryPost(ENQUEUE, {}));
  // Mid-run.
  svc.stop('redis', { REDIS_PORT: REDIS });
  const midFailed = await recs(100);
  const midEnqueue = await enqueueCode();
  svc.start('redis', { REDIS_PORT: REDIS });
  await sleep(2000);
  const midAfter = await enqueueCode();
  // At start-up.
  await api.kill('SIGTERM');
  svc.stop('redis', { REDIS_PORT: REDIS });
  let startupSeconds: number | string;
  try {
    startupSeconds = await api.start(60_000);
  } catch (err) {
    startupSeconds = `did not start: ${(err as Error).message}`;
  }
  const startFailed = api.child?.exitCode === null ? await recs(100) : 100;
  const startEnqueue = api.child?.exitCode === null ? await enqueueCode() : 'api down';
  svc.start('redis', { REDIS_PORT: REDIS });
  const t0 = Date.now();
  let recovered = 'no';
  while (Date.now() - t0 < 30_000) {
    if ((await enqueueCode()) === 'ok') {
      recovered = `${(Date.now() - t0) / 1000}`;
      break;
    }
    await sleep(500);
  }
  if (api.child?.exitCode !== null) await api.start();
  return {
    midRun: { recommendationsFailed: midFailed, of: 100, enqueueWhileDown: midEnqueue, enqueueAfterRestart: midAfter },
    atStartup: {
      apiStartSeconds: startupSeconds,
      recommendationsFailed: startFailed,
      of: 100,
      enqueueWhileDown: startEnqueue,
      enqueueRecoverSeconds: recovered,
    },
  };
}
