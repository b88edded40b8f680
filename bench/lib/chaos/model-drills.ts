/** The drills around trained models: the trainer killed mid-run, a corrupt artefact at promotion. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, ok, outcome, PREFIX, PROMOTE, runDir, servedBy, sleep, tryPost } from './context';

const RUN = `query($id: ID!) { trainingRun(id: $id) { status modelVersionId failureReason } }`;

/** A worker in the API process, versions promoted only when asked. */
export const WORKER = { TRAINER_WORKER: 'true', TRAINING_AUTO_PROMOTE: 'false' };

/** Trains a LightGCN and promotes it: the version every later step expects to keep serving. */
export async function trainActive(): Promise<string> {
  const active = await train('LIGHTGCN');
  const p = await tryPost(PROMOTE, { id: active });
  if (!p || !ok(p)) throw new Error(`promoting ${active}: ${outcome(p)}`);
  return active;
}

export interface RunEnd {
  id: string;
  status: string;
  modelVersionId: string | null;
  failureReason: string | null;
}

/** Starts a run and waits for it to end (SUCCEEDED, FAILED or CANCELLED). */
export async function runToEnd(
  model: string,
  params: Record<string, unknown> = { epochs: 2, dim: 8, idPrefix: `${PREFIX}r-` },
): Promise<RunEnd> {
  const r = await tryPost(`mutation($p: TrainingParamsInput) { startRetraining(model: ${model}, params: $p) { id } }`, { p: params });
  if (!r || !ok(r)) throw new Error(`startRetraining: ${outcome(r)}`);
  const id = (r.body!.data!.startRetraining as { id: string }).id;
  const t0 = Date.now();
  while (Date.now() - t0 < 240_000) {
    const run = (await tryPost(RUN, { id }))?.body?.data?.trainingRun as Omit<RunEnd, 'id'> | undefined;
    if (run && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) return { id, ...run };
    await sleep(1000);
  }
  throw new Error(`run ${id} did not finish in 240 s`);
}

/** A run that must succeed: its version id. */
export async function train(model: string, params?: Record<string, unknown>): Promise<string> {
  const run = await runToEnd(model, params);
  if (run.status !== 'SUCCEEDED' || !run.modelVersionId) throw new Error(`run ${run.id} ${run.status}: ${run.failureReason}`);
  return run.modelVersionId;
}

/** The run folder written last (the latest run's). */
export function newestRunFolder(): string {
  return readdirSync(join(runDir, 'runs'))
    .map((d) => join(runDir, 'runs', d))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The trainer processes of this benchmark's runs (their command lines name the run folder). */
function trainerPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
        return cmd.includes(runDir) && /python/.test(cmd);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** SIGKILL of the trainer mid-run: the run ends FAILED, the active version keeps serving. */
async function killTrainer(active: string, users: string[]): Promise<Record<string, unknown>> {
  const r = await tryPost(
    `mutation { startRetraining(model: LIGHTGCN, params: { epochs: 200, dim: 8, idPrefix: "${PREFIX}r-" }) { id } }`,
    {},
  );
  if (!r || !ok(r)) throw new Error(`startRetraining: ${JSON.stringify(r?.body)}`);
  const id = (r.body!.data!.startRetraining as { id: string }).id;
  let pids: number[] = [];
  const t0 = Date.now();
  while (!pids.length && Date.now() - t0 < 120_000) {
    await sleep(300);
    pids = trainerPids();
  }
  if (!pids.length) return { error: 'no trainer process seen' };
  await sleep(1000);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const killedAt = Date.now();
  let run: { status: string; failureReason: string } | undefined;
  while (Date.now() - killedAt < 60_000) {
    run = (await tryPost(RUN, { id }))?.body?.data?.trainingRun as typeof run;
    if (run && !['QUEUED', 'RUNNING'].includes(run.status)) break;
    await sleep(500);
  }
  const { version, failed } = await servedBy(users, 50);
  return {
    runStatus: run?.status ?? 'unknown',
    failureReason: run?.failureReason?.slice(0, 120) ?? null,
    secondsToFailed: (Date.now() - killedAt) / 1000,
    activeStillServing: version === active ? 'yes' : 'no',
    recommendationsFailed: failed,
    of: 50,
  };
}

export async function corruptArtefact(api: Api, users: string[]): Promise<Record<string, unknown>> {
  await api.restart(WORKER);
  const active = await trainActive();
  const candidate = await train('LIGHTGCN');
  // The candidate's run folder is the newest; flip bytes in every artefact file of it.
  const corrupted = filesUnder(newestRunFolder()).filter((f) => /\.(onnx|npy)$/.test(f));
  for (const f of corrupted) {
    const buf = readFileSync(f);
    for (let i = 0; i < buf.length; i += 97) buf[i] ^= 0xff;
    writeFileSync(f, buf);
  }
  const promote = await tryPost(PROMOTE, { id: candidate });
  const am = await tryPost(`{ activeModel { id } }`, {});
  const { version, failed } = await servedBy(users, 100);
  const trainerKill = await killTrainer(active, users);
  await api.restart();
  return {
    trainerKill,
    corruptedFiles: corrupted.length,
    promotion: promote && ok(promote) ? 'accepted (bad)' : `refused ${outcome(promote)}`,
    activeStillServing: (am?.body?.data?.activeModel as { id: string } | null)?.id === active && version === active ? 'yes' : 'no',
    recommendationsFailed: failed,
    of: 100,
  };
}
