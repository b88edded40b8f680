import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Driver } from 'neo4j-driver';
import { fromRoot } from '../src/common/repo-root';
import { sha256File } from '../src/model-registry/artifacts';
import { ModelRegistryService } from '../src/model-registry/model-registry.service';
import { SnapshotService } from '../src/sampling/snapshot.service';
import { TRAINING_QUEUE } from '../src/training/queue.constants';
import { TrainerRunner } from '../src/training/trainer.runner';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { hasLastfm, loadLastfmSubset } from './support/lastfm-subset';

const ADMIN = 'test-admin-token-123';
const auth = { authorization: `Bearer ${ADMIN}` };
const RUN_FIELDS =
  'id model status stage progress currentEpoch metrics { loss validation { name value } test { name value } all } failureReason modelVersionId promoted logTail timings { train all }';
const QUICK = { epochs: 40, evalEvery: 5, patience: 3, maxMinutes: 1, batchSize: 1024, dim: 32 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(hasLastfm() ? describe : describe.skip)('retraining jobs, model registry and hot swap (real trainer, real services)', () => {
  let t: TestApp;
  let driver: Driver;
  const p = testPrefix('training');
  const params = { ...QUICK, idPrefix: p };

  const start = (model: string, extra: Record<string, unknown> = {}, app = t) =>
    app.gql(
      `mutation($m: ModelKind!, $p: TrainingParamsInput) { startRetraining(model: $m, params: $p) { ${RUN_FIELDS} } }`,
      { m: model, p: { ...params, ...extra } },
      auth,
    );
  const run = async (id: string, app = t) =>
    (await app.gql(`query($id: ID!) { trainingRun(id: $id) { ${RUN_FIELDS} } }`, { id }, auth)).data!.trainingRun;
  async function waitFor(id: string, done: (r: any) => boolean, ms = 240_000, app = t) {
    const deadline = Date.now() + ms;
    let r = await run(id, app);
    while (!done(r) && Date.now() < deadline) {
      await sleep(500);
      r = await run(id, app);
    }
    return r;
  }
  const finished = (r: any) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status);
  const USER = `${p}u7`;
  const recs = async (app = t) => {
    const res = await app.gql(
      `query($u: ID!) { recommendations(userId: $u, first: 20) { modelVersionId path edges { node { item { id } score } } } }`,
      { u: USER },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.recommendations as {
      modelVersionId: string;
      path: string;
      edges: Array<{ node: { item: { id: string }; score: number } }>;
    };
  };
  const ids = (r: { edges: Array<{ node: { item: { id: string } } }> }) => r.edges.map((e) => e.node.item.id);
  const active = async () => {
    const d = (await t.gql(`query { activeModel { id kind status } modelVersions(first: 100) { edges { node { id status } } } }`)).data!;
    return {
      activeModel: d.activeModel,
      modelVersions: d.modelVersions.edges.map((e: { node: unknown }) => e.node) as Array<{ id: string; status: string }>,
    };
  };

  beforeAll(async () => {
    driver = testDriver();
    await loadLastfmSubset(driver, p, 120);
    t = await startApp({ TRAINER_WORKER: 'true', ADMIN_TOKEN: ADMIN, TRAINING_PROMOTE_MIN_RATIO: '0.0001' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await cleanup(driver, p);
    await driver.close();
  });

  let first: string;
  let second: string;
  let answerOfFirst: Awaited<ReturnType<typeof recs>>;

  it('refuses admin operations without the admin credential', async () => {
    const none = await t.gql(`mutation { startRetraining(model: LIGHTGCN) { id } }`);
    expect(none.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const wrong = await t.gql(`mutation { startRetraining(model: LIGHTGCN) { id } }`, {}, { authorization: 'Bearer nope' });
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ADMIN_TOKEN_INVALID' });
    expect((await t.gql(`mutation { rollbackModel { id } }`)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const board = await fetch(`${t.url}/admin/queues`);
    expect(board.status).toBe(401);
    const boardOk = await fetch(`${t.url}/admin/queues`, { headers: auth });
    expect(boardOk.status).toBe(200);
    // the dashboard's own API under the same prefix is guarded too
    expect((await fetch(`${t.url}/admin/queues/api/queues`)).status).toBe(401);
    const api = await fetch(`${t.url}/admin/queues/api/queues`, { headers: auth });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('training');
  });

  it('trains LightGCN end to end: returns at once, single flight, progress, a new ACTIVE version', async () => {
    const refused = await start('LIGHTGCN', { refitEpochs: -1 });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const a = await start('LIGHTGCN', { refitEpochs: 3 });
    expect(a.errors).toBeUndefined();
    const b = await start('LIGHTGCN');
    expect(b.data!.startRetraining.id).toBe(a.data!.startRetraining.id);
    expect(['QUEUED', 'RUNNING']).toContain(a.data!.startRetraining.status);

    const r = await waitFor(a.data!.startRetraining.id, finished);
    expect(r).toMatchObject({ status: 'SUCCEEDED', progress: 100, promoted: true, failureReason: null });
    expect(r.logTail.join('\n')).toMatch(/registered/);
    const metric = (list: Array<{ name: string; value: number }>, name: string) => list.find((m) => m.name === name)?.value;
    expect(metric(r.metrics.validation, 'recall@20')).toBeGreaterThan(0);
    expect(metric(r.metrics.test, 'recall@20')).toBe(r.metrics.all.test['recall@20']);
    // refitEpochs reached the trainer: 3 epochs over every interaction after selection, both test results kept
    expect(r.metrics.all.refit).toMatchObject({ epochs: 3 });
    expect(r.metrics.all.refit.test_selected['recall@20']).toBeGreaterThan(0);
    expect(metric(r.metrics.test, 'recall@20')).toBeGreaterThan(0);
    // typed timings: seconds of the trainer stage, every recorded stage in `all`
    expect(r.timings.train).toBeGreaterThan(0);
    expect(r.timings.all.train).toBe(r.timings.train);
    expect(r.stage).toBe('DONE');
    first = r.modelVersionId;
    const now = await active();
    expect(now.activeModel).toMatchObject({ id: first, kind: 'LIGHTGCN', status: 'ACTIVE' });
    const ready = await t.get('/health/ready');
    expect(ready.body.checks.model.detail.active.id).toBe(first);
    answerOfFirst = await recs();
    expect(answerOfFirst).toMatchObject({ modelVersionId: first, path: 'FOLD_IN' });
    expect(answerOfFirst.edges).toHaveLength(20);
  });

  it('trains SocialGCN, writes attention onto FRIEND edges, and rollback restores the previous version', async () => {
    const a = await start('SOCIALGCN');
    const r = await waitFor(a.data!.startRetraining.id, finished);
    expect(r).toMatchObject({ status: 'SUCCEEDED', promoted: true });
    second = r.modelVersionId;
    expect((await active()).activeModel.id).toBe(second);
    const answerOfSecond = await recs();
    expect(answerOfSecond.modelVersionId).toBe(second);
    expect(ids(answerOfSecond)).not.toEqual(ids(answerOfFirst)); // the new model changed the answer
    // Attention per direction: each FRIEND edge (stored once per pair) carries its start's attention on its
    // end (attentionOut) and the reverse (attentionIn), exactly as in the version's attention.csv.
    const version = (await t.app.get(ModelRegistryService).list(100)).find((v) => v.id === second)!;
    const csv = new Map<string, { w: number; kept: boolean }>();
    for (const line of readFileSync(join(version.artifactDir, 'attention.csv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
      const [x, y, w, k] = line.split(',');
      csv.set(`${x}|${y}`, { w: Number(w), kept: k === '1' });
    }
    const { records } = await driver.executeQuery(
      'MATCH (a:User)-[f:FRIEND]->(b:User) WHERE a.id STARTS WITH $p RETURN a.id AS a, b.id AS b, f.attentionOut AS out, f.attentionIn AS in, f.attentionKeptOut AS keptOut, f.attentionKeptIn AS keptIn, f.attention AS averaged',
      { p },
    );
    expect(records.length).toBeGreaterThan(0);
    let asymmetric = 0;
    for (const r of records) {
      const [a, b] = [r.get('a') as string, r.get('b') as string];
      expect(r.get('out')).toBeCloseTo(csv.get(`${a}|${b}`)!.w, 6);
      expect(r.get('in')).toBeCloseTo(csv.get(`${b}|${a}`)!.w, 6);
      expect(r.get('keptOut')).toBe(csv.get(`${a}|${b}`)!.kept);
      expect(r.get('keptIn')).toBe(csv.get(`${b}|${a}`)!.kept);
      expect(r.get('averaged')).toBeNull();
      if (Math.abs((r.get('out') as number) - (r.get('in') as number)) > 1e-6) asymmetric++;
    }
    expect(asymmetric).toBeGreaterThan(0); // the two directions really differ: nothing was averaged
    // friendAttention reads them back from the user's side, in both directions
    const u = records[0].get('b') as string;
    const fa = await t.gql(
      `query($u: ID!) { friendAttention(userId: $u, first: 200) { id user { id } attention attentionBack kept modelVersionId } }`,
      {
        u,
      },
    );
    expect(fa.errors).toBeUndefined();
    const mine = fa.data!.friendAttention.find((f: { user: { id: string } }) => f.user.id === records[0].get('a'));
    const friend = mine.user.id as string;
    expect(mine).toMatchObject({ modelVersionId: second, kept: csv.get(`${u}|${friend}`)!.kept });
    expect(mine.id).toMatch(/^FriendAttention:/); // a result id: the same friend of another user is another entry
    expect(mine.attention).toBeCloseTo(csv.get(`${u}|${friend}`)!.w, 6);
    expect(mine.attentionBack).toBeCloseTo(csv.get(`${friend}|${u}`)!.w, 6);

    const back = await t.gql(`mutation { rollbackModel { id status kind } }`, {}, auth);
    expect(back.data!.rollbackModel).toMatchObject({ id: first, status: 'ACTIVE', kind: 'LIGHTGCN' });
    expect((await active()).activeModel.id).toBe(first);
    expect(await recs()).toEqual(answerOfFirst); // rollback restores the previous version's answers exactly
    const again = await t.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`, { id: second }, auth);
    expect(again.data!.promoteModelVersion).toEqual({ id: second, status: 'ACTIVE' });
  });

  it('FRIEND edges carry the attention of the version being served: promote A, promote B, roll back to A', async () => {
    const registry = t.app.get(ModelRegistryService);
    const source = (await registry.list(100)).find((v) => v.id === second)!;
    expect(source.checksums['attention.csv']).toBeDefined();
    // Two SocialGCN versions that differ only in their attention: every edge 0.25 in A, 0.75 in B.
    const copyWithAttention = async (w: number) => {
      const dir = mkdtempSync(join(tmpdir(), 'attention-model-'));
      cpSync(source.artifactDir, dir, { recursive: true });
      const csv = readFileSync(join(dir, 'attention.csv'), 'utf8').split('\n');
      const rows = csv.slice(1).map((line) => (line ? line.replace(/,[^,]+,([01])$/, `,${w},$1`) : line));
      writeFileSync(join(dir, 'attention.csv'), [csv[0], ...rows].join('\n'));
      const checksums = { ...source.checksums, 'attention.csv': await sha256File(join(dir, 'attention.csv')) };
      return registry.register({ kind: 'SOCIALGCN', artifactDir: dir, runId: null, snapshotStats: null, hyperparameters: null, checksums });
    };
    const a = await copyWithAttention(0.25);
    const b = await copyWithAttention(0.75);
    const edges = async () => {
      const { records } = await driver.executeQuery(
        'MATCH (x:User)-[f:FRIEND]->(:User) WHERE x.id STARTS WITH $p WITH f, [w IN [f.attentionOut, f.attentionIn] WHERE w IS NOT NULL] AS ws UNWIND CASE WHEN ws = [] THEN [null] ELSE ws END AS w RETURN count(DISTINCT f) AS n, collect(DISTINCT w) AS w, collect(DISTINCT f.attentionVersion) AS v',
        { p },
      );
      return { n: records[0].get('n').toNumber(), w: records[0].get('w') as number[], v: records[0].get('v') as string[] };
    };
    const n = (await edges()).n;
    const promote = (id: string) => t.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`, { id }, auth);
    expect((await promote(a.id)).errors).toBeUndefined();
    expect(await edges()).toEqual({ n, w: [0.25], v: [a.id] });
    expect((await promote(b.id)).errors).toBeUndefined();
    expect(await edges()).toEqual({ n, w: [0.75], v: [b.id] });
    const back = await t.gql(`mutation { rollbackModel { id } }`, {}, auth);
    expect(back.data!.rollbackModel.id).toBe(a.id);
    expect(await edges()).toEqual({ n, w: [0.25], v: [a.id] });
    // A version without attention (LightGCN) leaves none behind; the SocialGCN run's own comes back with it.
    expect((await promote(first)).errors).toBeUndefined();
    expect(await edges()).toEqual({ n, w: [], v: [] });
    expect((await promote(second)).errors).toBeUndefined();
    const own = await edges();
    expect(own.v).toEqual([second]);
    expect(own.w.length).toBeGreaterThan(1);
  });

  it('hot swap: concurrent recommendations during repeated promotions all succeed', async () => {
    const promote = (id: string) => t.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`, { id }, auth);
    let stop = false;
    const seen = new Set<string>();
    const failures: unknown[] = [];
    let served = 0;
    const client = async () => {
      while (!stop) {
        const res = await t.gql(
          `query($u: ID!) { recommendations(userId: $u, first: 20) { modelVersionId edges { node { item { id } } } } }`,
          {
            u: USER,
          },
        );
        if (res.errors || res.data!.recommendations.edges.length !== 20) failures.push(res.errors ?? res.data);
        else seen.add(res.data!.recommendations.modelVersionId);
        served++;
      }
    };
    const clients = Array.from({ length: 8 }, client);
    for (const id of [first, second, first, second]) {
      expect((await promote(id)).data!.promoteModelVersion).toEqual({ id, status: 'ACTIVE' });
      await sleep(300);
    }
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(40);
    expect([...seen].sort()).toEqual([first, second].sort());
    expect((await active()).activeModel.id).toBe(second);
  });

  it('trains a zoo model (GraphSAGE) by name and serves it by name next to the active one', async () => {
    const a = await start('GRAPHSAGE');
    expect(a.errors).toBeUndefined();
    const r = await waitFor(a.data!.startRetraining.id, finished);
    expect(r).toMatchObject({ status: 'SUCCEEDED', model: 'GRAPHSAGE' });
    const promote = (id: string) => t.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id kind status } }`, { id }, auth);
    expect((await promote(r.modelVersionId)).data!.promoteModelVersion).toEqual({
      id: r.modelVersionId,
      kind: 'GRAPHSAGE',
      status: 'ACTIVE',
    });
    expect((await promote(second)).data!.promoteModelVersion.status).toBe('ACTIVE'); // SocialGCN serves again

    const res = await t.gql(
      `query($u: ID!) { recommendations(userId: $u, first: 10, model: GRAPHSAGE) { modelKind modelVersionId path edges { node { item { id } } } } }`,
      { u: USER },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.recommendations).toMatchObject({ modelKind: 'GRAPHSAGE', modelVersionId: r.modelVersionId, path: 'FOLD_IN' });
    expect(res.data!.recommendations.edges).toHaveLength(10);
    expect((await recs()).modelVersionId).toBe(second);
  });

  it('RETRAIN_CRON schedules runs on its own; an empty RETRAIN_CRON removes the schedule', async () => {
    const prefix = `${process.env.REDIS_PREFIX}-cron`;
    const list = `query { trainingRuns(first: 5) { totalCount edges { node { id model status } } pageInfo { hasNextPage hasPreviousPage } } }`;
    const cron = await startApp({ ADMIN_TOKEN: ADMIN, RETRAIN_CRON: '*/2 * * * * *', RETRAIN_MODEL: 'LIGHTGCN', REDIS_PREFIX: prefix });
    try {
      const deadline = Date.now() + 15_000;
      let runs: Array<{ model: string; status: string }> = [];
      while (!runs.length && Date.now() < deadline) {
        await sleep(500);
        runs = (await cron.gql(list, {}, auth)).data!.trainingRuns.edges.map((e: { node: { model: string; status: string } }) => e.node);
      }
      expect(runs[0]).toMatchObject({ model: 'LIGHTGCN', status: 'QUEUED' }); // no worker in this app: it waits
      expect(await cron.app.get<Queue>(getQueueToken(TRAINING_QUEUE)).getJobSchedulers()).toHaveLength(1);
    } finally {
      await cron.close();
    }
    const off = await startApp({ ADMIN_TOKEN: ADMIN, RETRAIN_CRON: '', REDIS_PREFIX: prefix });
    try {
      expect(await off.app.get<Queue>(getQueueToken(TRAINING_QUEUE)).getJobSchedulers()).toHaveLength(0);
    } finally {
      await off.app.get<Queue>(getQueueToken(TRAINING_QUEUE)).obliterate({ force: true });
      await off.close();
    }
  });

  it('cancelling a running run ends its trainer process group and keeps the active model', async () => {
    const before = await active();
    const a = await start('LIGHTGCN', { epochs: 3000, patience: 100, maxMinutes: 10 });
    const id = a.data!.startRetraining.id;
    await waitFor(id, (r) => r.stage === 'TRAIN' && r.currentEpoch !== null, 120_000);
    const c = await t.gql(`mutation($id: ID!) { cancelRetraining(runId: $id) { id } }`, { id }, auth);
    expect(c.errors).toBeUndefined();
    const r = await waitFor(id, finished, 60_000);
    expect(r.status).toBe('CANCELLED');
    expect(() => execFileSync('pgrep', ['-f', `tastegraph_trainer train.*${id}`])).toThrow(); // no process left
    const after = await active();
    expect(after.activeModel.id).toBe(before.activeModel.id);
    expect(after.modelVersions.length).toBe(before.modelVersions.length);
  });

  it('a cancel during export is honoured: CANCELLED before the trainer starts, nothing registered or promoted', async () => {
    const before = await active();
    const snapshots = t.app.get(SnapshotService);
    const exportSnapshot = snapshots.exportSnapshot.bind(snapshots);
    let runDir = '';
    // The admin cancels while the snapshot is being written (the export itself runs for real).
    const hook = jest.spyOn(snapshots, 'exportSnapshot').mockImplementationOnce(async (dir, opts) => {
      runDir = dirname(dir);
      const c = await t.gql(`mutation($id: ID!) { cancelRetraining(runId: $id) { id } }`, { id: basename(runDir) }, auth);
      expect(c.errors).toBeUndefined();
      return exportSnapshot(dir, opts);
    });
    try {
      const a = await start('LIGHTGCN');
      const r = await waitFor(a.data!.startRetraining.id, finished, 120_000);
      expect(r.status).toBe('CANCELLED');
      expect(r.failureReason).toBe('cancelled during export');
      expect(existsSync(join(runDir, 'model'))).toBe(false); // the trainer never ran
    } finally {
      hook.mockRestore();
    }
    const after = await active();
    expect(after.activeModel.id).toBe(before.activeModel.id);
    expect(after.modelVersions.length).toBe(before.modelVersions.length);
  });

  it('a job tampered with in Redis is re-validated by the worker: FAILED with the reason, no trainer started', async () => {
    const queue = t.app.get<Queue>(getQueueToken(TRAINING_QUEUE));
    const before = await active();
    const bad = [
      {
        params: { epochs: '1; rm -rf /', idPrefix: p },
        reason: /^invalid job parameters: .*params\.epochs: epochs must be an integer number/,
      },
      { params: { epochs: 999_999, idPrefix: p }, reason: /params\.epochs: epochs must not be greater than 5000/ },
      { params: { script: 'x', idPrefix: p }, reason: /params\.script: property script should not exist/ },
    ];
    for (const [n, b] of bad.entries()) {
      const id = `tampered-${n}-${Date.now().toString(36)}`;
      await queue.add('train', { model: 'LIGHTGCN', params: b.params, trigger: 'admin' }, { jobId: id, attempts: 1 });
      const r = await waitFor(id, finished, 60_000);
      expect(r.status).toBe('FAILED');
      expect(r.failureReason).toMatch(b.reason);
      expect(existsSync(fromRoot(join(process.env.TRAINER_RUNS_DIR ?? 'var/test-runs', id)))).toBe(false); // nothing exported or run
      expect(r.logTail).toEqual([]);
    }
    expect((await active()).modelVersions.length).toBe(before.modelVersions.length);
  });

  it('a crashed trainer ends the run FAILED with its reason and registers nothing', async () => {
    const before = await active();
    const a = await start('LIGHTGCN', { epochs: 3000, patience: 100, maxMinutes: 10 });
    const id = a.data!.startRetraining.id;
    await waitFor(id, (r) => r.stage === 'TRAIN' && r.currentEpoch !== null, 120_000);
    execFileSync('pkill', ['-9', '-f', `tastegraph_trainer train.*${id}`]);
    const r = await waitFor(id, finished, 60_000);
    expect(r.status).toBe('FAILED');
    expect(r.failureReason).toMatch(/trainer failed \(exit SIGKILL\)/);
    expect((await active()).modelVersions.length).toBe(before.modelVersions.length);
  });

  it('an encoder.onnx that loads but is not the fold-in encoder fails the run before registration; the active model keeps serving', async () => {
    const before = await active();
    const served = await recs();
    const runner = t.app.get(TrainerRunner);
    const runTrainer = runner.run.bind(runner);
    // A trainer bug: encoder.onnx is another valid ONNX model (the scorer), reported with its own checksum.
    const hook = jest.spyOn(runner, 'run').mockImplementationOnce(async (spec, onEvent, signal) => {
      const result = await runTrainer(spec, onEvent, signal);
      copyFileSync(join(spec.outDir, 'scorer.onnx'), join(spec.outDir, 'encoder.onnx'));
      result.artifacts['encoder.onnx'].sha256 = await sha256File(join(spec.outDir, 'encoder.onnx'));
      return result;
    });
    try {
      const a = await start('LIGHTGCN', { epochs: 5, evalEvery: 5 });
      const r = await waitFor(a.data!.startRetraining.id, finished);
      expect(r.status).toBe('FAILED');
      expect(r.failureReason).toMatch(
        /^encoder\.onnx in .* has inputs \[user_emb\] and outputs \[scores\]; serving needs inputs \[item_idx/,
      );
    } finally {
      hook.mockRestore();
    }
    const after = await active();
    expect(after.activeModel.id).toBe(before.activeModel.id);
    expect(after.modelVersions.length).toBe(before.modelVersions.length);
    expect((await recs()).modelVersionId).toBe(served.modelVersionId);
  });

  it('a trainer that runs past its timeout is stopped and the run FAILED', async () => {
    const slow = await startApp({
      TRAINER_WORKER: 'true',
      ADMIN_TOKEN: ADMIN,
      TRAINER_TIMEOUT_S: '4',
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}-timeout`,
    });
    try {
      const a = await start('LIGHTGCN', { epochs: 3000, patience: 100 }, slow);
      const r = await waitFor(a.data!.startRetraining.id, finished, 60_000, slow);
      expect(r.status).toBe('FAILED');
      expect(r.failureReason).toMatch(/timed out after 4s/);
    } finally {
      await slow.close();
    }
  });

  it('Neo4j down during export fails the run with the reason; the active model keeps serving', async () => {
    const broken = await startApp({
      TRAINER_WORKER: 'true',
      ADMIN_TOKEN: ADMIN,
      NEO4J_URI: 'bolt://127.0.0.1:1',
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}-noneo`,
    });
    try {
      const a = await start('LIGHTGCN', {}, broken);
      const r = await waitFor(a.data!.startRetraining.id, finished, 60_000, broken);
      expect(r.status).toBe('FAILED');
      expect(r.failureReason).toMatch(/graph database is unavailable/);
      expect((await active()).activeModel.id).toBe(second);
    } finally {
      await broken.close();
    }
  });

  it('Redis down at enqueue gives the caller a clear UNAVAILABLE error', async () => {
    const noRedis = await startApp({ ADMIN_TOKEN: ADMIN, REDIS_PORT: '1' });
    try {
      const res = await start('LIGHTGCN', {}, noRedis);
      expect(res.errors![0].extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'QUEUE_UNAVAILABLE' });
    } finally {
      await noRedis.close();
    }
  });

  it('a corrupt or truncated ONNX artefact is never registered', async () => {
    const registry = t.app.get(ModelRegistryService);
    const source = (await registry.list(100)).find((v) => v.id === first)!;
    const dir = mkdtempSync(join(tmpdir(), 'bad-model-'));
    cpSync(source.artifactDir, dir, { recursive: true });
    const before = (await registry.list(100)).length;

    // Truncated after the trainer reported its checksum: the checksum check refuses it.
    truncateSync(join(dir, 'scorer.onnx'), 100);
    await expect(
      registry.register({
        kind: 'LIGHTGCN',
        artifactDir: dir,
        runId: null,
        snapshotStats: null,
        hyperparameters: null,
        checksums: source.checksums,
      }),
    ).rejects.toMatchObject({ reason: 'BAD_ARTIFACT' });

    // Corrupt but with matching checksums (a trainer bug): the ONNX load refuses it.
    const checksums = { ...source.checksums, 'scorer.onnx': await sha256File(join(dir, 'scorer.onnx')) };
    await expect(
      registry.register({ kind: 'LIGHTGCN', artifactDir: dir, runId: null, snapshotStats: null, hyperparameters: null, checksums }),
    ).rejects.toMatchObject({ reason: 'BAD_ARTIFACT' });
    copyFileSync(join(source.artifactDir, 'scorer.onnx'), join(dir, 'scorer.onnx'));

    // The weights beside the model (mapped by onnxruntime), cut short but with a matching checksum: the load refuses it.
    expect(source.checksums['scorer.onnx.data']).toMatch(/^[0-9a-f]{64}$/);
    truncateSync(join(dir, 'scorer.onnx.data'), 100);
    const cut = { ...source.checksums, 'scorer.onnx.data': await sha256File(join(dir, 'scorer.onnx.data')) };
    await expect(
      registry.register({ kind: 'LIGHTGCN', artifactDir: dir, runId: null, snapshotStats: null, hyperparameters: null, checksums: cut }),
    ).rejects.toMatchObject({ reason: 'BAD_ARTIFACT', message: expect.stringMatching(/scorer\.onnx/) });
    copyFileSync(join(source.artifactDir, 'scorer.onnx.data'), join(dir, 'scorer.onnx.data'));

    // The encoder is smoke-tested too: truncated, or another model in its place (both with matching checksums).
    for (const spoil of [
      () => truncateSync(join(dir, 'encoder.onnx'), 100),
      () => copyFileSync(join(dir, 'scorer.onnx'), join(dir, 'encoder.onnx')),
    ]) {
      spoil();
      const sums = { ...source.checksums, 'encoder.onnx': await sha256File(join(dir, 'encoder.onnx')) };
      const err = await registry
        .register({ kind: 'LIGHTGCN', artifactDir: dir, runId: null, snapshotStats: null, hyperparameters: null, checksums: sums })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'BAD_ARTIFACT', message: expect.stringMatching(/^(ONNX model )?encoder\.onnx/) });
      copyFileSync(join(source.artifactDir, 'encoder.onnx'), join(dir, 'encoder.onnx'));
    }
    expect((await registry.list(100)).length).toBe(before);
    expect(existsSync(join(source.artifactDir, 'scorer.onnx'))).toBe(true);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    copyFileSync(join(source.artifactDir, 'scorer.onnx'), join(dir, 'scorer.onnx'));
  });
});
