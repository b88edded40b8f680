/**
 * `npm run bench -- chaos [--cases N] [--soak-minutes M] [--soak-rates R,W] [--only fuzz,sigkill,neo4j,redis,corrupt,sql,disk,soak]`
 *
 * The fault and fuzz suite (issue #21 item 6). Starts its own Neo4j (bolt 28687, http 28474), Redis
 * (28379) and PostgreSQL (28432, a database of its own for the registry) and runs the API as a child
 * process (compiled, as `npm start` runs it: dist/src/main.js, built first when src/ is newer; port 28400), then:
 *   fuzz     the property-based cases of test/fuzz.e2e-spec.ts, N per operation (default 100,000);
 *   sigkill  SIGKILL of the API during a stream of acknowledged ingestion writes, restart, count losses;
 *   neo4j    Neo4j stopped and restarted under mixed recommendation reads and ingestion writes;
 *   redis    Redis down at start-up and mid-run: recommendations keep serving, enqueue says UNAVAILABLE;
 *   corrupt  two trained versions; the trainer of a third run SIGKILLed (the run FAILS, the active one serves); the candidate's artefacts corrupted on disk: promotion refused, the active one serves;
 *   sql      PostgreSQL stopped before and during promotions: refused or done, never half, the active one serves;
 *   disk     a full filesystem (a 16 MB tmpfs; root only) under the artefact cache and under the run folders;
 *   soak     M minutes (default 30) of 200 recommendation requests/s for lastfm's 1,892 users, served by a
 *            LightGCN trained and promoted first, plus 50 ingestion requests/s (each rate reached over 30 s);
 *            API_NODE_FLAGS (e.g. --cpu-prof --cpu-prof-dir=DIR) go to the API process.
 * The drills live in bench/lib/chaos/. Ends with one JSON line of figures. Every request goes to 127.0.0.1.
 */
import { rmSync } from 'node:fs';
import { BenchServices, dropPgDatabase } from './lib/services';
import {
  Api,
  clearLeftovers,
  INGEST,
  log,
  NEO4J_ENV,
  ok,
  outcome,
  PG,
  PG_DATABASE,
  PG_ENV,
  PREFIX,
  REC,
  REDIS,
  runDir,
  tryPost,
} from './lib/chaos/context';
import { fuzz, neo4jRestart, redisDrills, sigkill } from './lib/chaos/ingest-drills';
import { corruptArtefact } from './lib/chaos/model-drills';
import { soak, soakGraph } from './lib/chaos/soak';
import { fullDisk, sqlDown } from './lib/chaos/storage-drills';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const CASES = Number(arg('cases', '100000'));
const SOAK_MIN = Number(arg('soak-minutes', '30'));
// reads/s and writes/s of the soak (the 200 and 50; others to take the load apart)
const [SOAK_READS, SOAK_WRITES] = arg('soak-rates', '200,50').split(',').map(Number);
const ONLY = new Set(arg('only', 'fuzz,sigkill,neo4j,redis,corrupt,sql,disk,soak').split(','));

async function main(): Promise<void> {
  const svc = new BenchServices(log);
  const api = new Api();
  process.once('exit', () => {
    api.child?.kill('SIGKILL');
    rmSync(runDir, { recursive: true, force: true });
  });
  svc.start('neo4j', { ...NEO4J_ENV, NEO4J_HEAP: '1g' });
  svc.start('redis', { REDIS_PORT: REDIS });
  svc.start('postgres', PG_ENV);
  log(`removed ${await clearLeftovers()} nodes left by earlier runs`);
  log(`API start-up: ${await api.start()}s`);
  const figures: Record<string, unknown> = { bench: 'chaos', prefix: PREFIX };
  // Users with items, so recommendations take the real path.
  const users = Array.from({ length: 20 }, (_, i) => `${PREFIX}r-u${i}`);
  const events = users.flatMap((u, i) => [0, 1, 2].map((k) => ({ userId: u, itemId: `${PREFIX}r-i${(i + k) % 30}`, type: 'VIEW' })));
  // The first requests of a cold API on a loaded machine can pass the 10 s client timeout: retried (a repeat only adds weight to the same edges).
  let seed = await tryPost(INGEST, { e: events });
  for (let attempt = 1; attempt < 4 && !(seed && ok(seed)); attempt++) seed = await tryPost(INGEST, { e: events });
  if (!seed || !ok(seed)) throw new Error(`seeding failed: ${outcome(seed)}`);
  const drills: Array<[string, () => Promise<Record<string, unknown>>]> = [
    ['fuzz', () => fuzz(CASES)],
    ['sigkill', () => sigkill(api)],
    ['neo4j', () => neo4jRestart(users)],
    ['redis', () => redisDrills(svc, api, users)],
    ['corrupt', () => corruptArtefact(api, users)],
    ['sql', () => sqlDown(api, users)],
    ['disk', () => fullDisk(api, users)],
    ['soak', async () => soak(api, await soakGraph(api), SOAK_MIN, SOAK_READS, SOAK_WRITES)],
  ];
  for (const [name, fn] of drills) {
    if (!ONLY.has(name)) continue;
    log(`${name}: start`);
    try {
      figures[name] = await fn();
    } catch (err) {
      figures[name] = { error: (err as Error).message };
    }
    // The active model (here: serving at all) still answers after each drill.
    const after = await tryPost(REC, { u: users[0] });
    (figures[name] as Record<string, unknown>).servingAfter = after && ok(after) ? 'yes' : 'no';
    log(`${name}: ${JSON.stringify(figures[name])}`);
  }
  await api.kill('SIGTERM');
  await dropPgDatabase(PG, PG_DATABASE).catch((err: Error) => log(`could not drop ${PG_DATABASE}: ${err.message}`));
  svc.stopAll();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((err: unknown) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
