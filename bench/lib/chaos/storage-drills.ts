/**
 * The drills around storage: the registry's PostgreSQL down before and during a promotion, and a full
 * filesystem under the trainer's run folders and under the API's artefact cache.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Api, log, ok, outcome, PG_ENV, PROMOTE, runDir, servedBy, servicesAsync, sleep, tryPost, URL } from './context';
import { newestRunFolder, runToEnd, train, trainActive, WORKER } from './model-drills';

const ACTIVE = `{ activeModel { id } }`;

async function registryActive(): Promise<string | null> {
  const r = await tryPost(ACTIVE, {});
  return r && ok(r) ? ((r.body!.data!.activeModel as { id: string } | null)?.id ?? null) : null;
}

/** Waits (at most 10 s) until the registry answers again and the API serves its active version; the seconds it took, or null. */
async function settled(users: string[]): Promise<{ active: string | null; served: string; seconds: number | null }> {
  const t0 = Date.now();
  let active: string | null = null;
  let served = '';
  while (Date.now() - t0 < 10_000) {
    active = await registryActive();
    served = (await servedBy(users, 1)).version;
    if (active && served === active) return { active, served, seconds: (Date.now() - t0) / 1000 };
    await sleep(100);
  }
  return { active, served, seconds: null };
}

/** Recommendation reads in a loop until `stop()`: how many were sent and failed. */
function readLoad(users: string[]) {
  const figures = { reads: 0, failed: 0 };
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const r = await servedBy([users[figures.reads % users.length]], 1);
      figures.reads++;
      figures.failed += r.failed;
    }
  })();
  return {
    figures,
    stop: async () => {
      stop = true;
      await loop;
      return figures;
    },
  };
}

/**
 * PostgreSQL stopped (1) before a promotion is asked for and (2) while one runs, after 0–400 ms; after
 * each, the registry's active version and the served one must agree once PostgreSQL is back.
 */
export async function sqlDown(api: Api, users: string[]): Promise<Record<string, unknown>> {
  await api.restart(WORKER);
  const active = await trainActive();
  const candidate = await train('LIGHTGCN');
  const load = readLoad(users);
  await servicesAsync('stop', 'postgres', PG_ENV);
  const promoteWhileDown = outcome(await tryPost(PROMOTE, { id: candidate }));
  const activeModelWhileDown = outcome(await tryPost(ACTIVE, {}));
  const readyWhileDown = (await fetch(`${URL}/health/ready`).catch(() => null))?.status ?? 'transport';
  const servedWhileDown = (await servedBy(users, 20)).version === active ? 'yes' : 'no';
  await servicesAsync('start', 'postgres', PG_ENV);
  const afterDown = await settled(users);

  const during: Array<Record<string, unknown>> = [];
  for (const delayMs of [0, 25, 50, 100, 200, 400]) {
    const before = await registryActive();
    const target = before === candidate ? active : candidate;
    const promotion = tryPost(PROMOTE, { id: target });
    await sleep(delayMs);
    await servicesAsync('stop', 'postgres', PG_ENV);
    const answer = outcome(await promotion);
    await servicesAsync('start', 'postgres', PG_ENV);
    const s = await settled(users);
    during.push({
      delayMs,
      answer,
      registryActive: s.active === target ? 'target' : s.active === before ? 'previous' : String(s.active),
      consistent: s.seconds !== null && (answer === 'ok' ? s.active === target : true) ? 'yes' : 'no',
      settleSeconds: s.seconds,
    });
  }
  const reads = await load.stop();
  const final = outcome(await tryPost(PROMOTE, { id: candidate }));
  const end = await settled(users);
  await api.restart();
  return {
    whileDown: { promote: promoteWhileDown, activeModel: activeModelWhileDown, ready: readyWhileDown, activeStillServing: servedWhileDown },
    afterRestartSettleSeconds: afterDown.seconds,
    duringPromotion: during,
    inconsistent: during.filter((d) => d.consistent !== 'yes').length,
    promoteAfterRecovery: final,
    servedAfterRecovery: end.served === candidate ? 'candidate' : end.served,
    reads: reads.reads,
    readsFailed: reads.failed,
  };
}

/** Writes zeros into `dir` until the filesystem is full; the bytes written. */
function fill(dir: string): number {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}

const tmpFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));

/**
 * A 16 MB tmpfs (root only), filled up: (1) the API's artefact cache on it when a version trained on
 * another host (its run folder removed here) is promoted; (2) the trainer's run folders on it. Then
 * space is freed and the same promotion must succeed.
 */
export async function fullDisk(api: Api, users: string[]): Promise<Record<string, unknown>> {
  if (process.getuid?.() !== 0) return { skipped: 'needs root to mount a small tmpfs' };
  const small = join(runDir, 'small');
  mkdirSync(small, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', small], { stdio: 'ignore' });
  } catch (err) {
    return { skipped: `mount failed: ${(err as Error).message.split('\n')[0]}` };
  }
  try {
    const cache = { ...WORKER, ARTIFACT_CACHE_DIR: join(small, 'cache') };
    await api.restart(cache);
    const active = await trainActive();
    const candidate = await train('LIGHTGCN');
    // As if the worker were on another host: the candidate's run folder is not here.
    rmSync(newestRunFolder(), { recursive: true, force: true });
    const filled = fill(small);
    const promoteCacheFull = outcome(await tryPost(PROMOTE, { id: candidate }));
    const afterCache = await servedBy(users, 50);
    const leftoverTmp = tmpFiles(small).length;

    await api.restart({ ...cache, TRAINER_RUNS_DIR: join(small, 'runs') });
    const run = await runToEnd('LIGHTGCN');
    const afterRun = await servedBy(users, 50);

    rmSync(join(small, 'filler'));
    const promoteAfterFree = outcome(await tryPost(PROMOTE, { id: candidate }));
    const served = await settled(users);
    return {
      filesystemMb: 16,
      filledBytes: filled,
      cacheFull: {
        promotion: promoteCacheFull,
        activeStillServing: afterCache.version === active ? 'yes' : 'no',
        recommendationsFailed: afterCache.failed,
        of: 50,
        leftoverTmpFiles: leftoverTmp,
      },
      runFolderFull: {
        runStatus: run.status,
        failureReason: run.failureReason?.slice(0, 160) ?? null,
        versionRegistered: run.modelVersionId ? 'yes (bad)' : 'no',
        activeStillServing: afterRun.version === active ? 'yes' : 'no',
        recommendationsFailed: afterRun.failed,
        of: 50,
      },
      afterSpaceFreed: { promotion: promoteAfterFree, servesCandidate: served.served === candidate ? 'yes' : 'no' },
    };
  } finally {
    // back to the usual folders before the small filesystem goes away
    await api.restart().catch((err: Error) => log(`full disk: restart failed: ${err.message}`));
    execFileSync('umount', ['-l', small], { stdio: 'ignore' });
  }
}
