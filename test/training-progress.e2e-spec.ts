/**
 * trainingProgress over graphql-ws against a real short training run: the API replica that answers the
 * subscription runs no worker; the worker (a second app on the same Redis) trains, and its progress reaches
 * the subscriber through the queue's Redis event stream. Admin only: the socket closes 4403 without the token.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { hasLastfm, loadLastfmSubset } from './support/lastfm-subset';
import type { Driver } from 'neo4j-driver';
import { INDEX_MANIFEST } from '../src/model-registry/index-files';
import { ModelRegistryService } from '../src/model-registry/model-registry.service';

const ADMIN = 'test-admin-token-progress';
const auth = { authorization: `Bearer ${ADMIN}` };
const PROGRESS = 'runId status stage progress epoch epochs loss validation metrics modelVersionId promoted failureReason at';
const QUICK = { epochs: 12, evalEvery: 3, patience: 3, maxMinutes: 1, batchSize: 1024, dim: 16, refitEpochs: 0 };

type Step = { status: string; stage: string | null; progress: number; epoch: number | null; loss: number | null; [k: string]: any };

const wsUrl = (t: TestApp) => `${t.url.replace(/^http/, 'ws')}/graphql`;
const client = (t: TestApp, authorization?: string): Client =>
  createClient({
    url: wsUrl(t),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: authorization ? { authorization } : {},
  });

/** Every message of one subscription, until it completes or fails. */
function collect(c: Client, runId: string): Promise<{ steps: Step[]; error: unknown }> {
  const steps: Step[] = [];
  return new Promise((resolve) => {
    c.subscribe<{ trainingProgress: Step }>(
      { query: `subscription($id: ID!) { trainingProgress(runId: $id) { ${PROGRESS} } }`, variables: { id: runId } },
      {
        next: (m) => (m.errors ? resolve({ steps, error: m.errors }) : steps.push(m.data!.trainingProgress)),
        error: (error) => resolve({ steps, error }),
        complete: () => resolve({ steps, error: null }),
      },
    );
  });
}

(hasLastfm() ? describe : describe.skip)('trainingProgress subscription (graphql-ws, real trainer, API replica without a worker)', () => {
  let api: TestApp;
  let worker: TestApp;
  let driver: Driver;
  const p = testPrefix('progress');
  let versionId = '';

  beforeAll(async () => {
    driver = testDriver();
    await loadLastfmSubset(driver, p, 80);
    api = await startApp({ TRAINER_WORKER: 'false', ADMIN_TOKEN: ADMIN });
    // ANN_MIN_ITEMS=0: the worker builds the item indexes and ships them with the model (stage INDEX)
    worker = await startApp({ TRAINER_WORKER: 'true', ADMIN_TOKEN: ADMIN, TRAINING_AUTO_PROMOTE: 'false', ANN_MIN_ITEMS: '0' });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await cleanup(driver, p);
    await driver.close();
  });

  it('refuses the socket without the admin token (4403) and answers NOT_FOUND for an unknown run', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token']) {
      const c = client(api, authorization);
      const { steps, error } = await collect(c, 'no-such-run');
      expect(steps).toEqual([]);
      expect((error as { code?: number }).code).toBe(4403);
      await c.dispose();
    }
    const c = client(api, `Bearer ${ADMIN}`);
    const { error } = await collect(c, 'no-such-run');
    expect((error as Array<{ extensions: unknown }>)[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'TRAINING_RUN_NOT_FOUND' });
    await c.dispose();
  });

  it("streams a real run's stages, epochs, loss and validation metrics, then its outcome, to a replica that runs no worker", async () => {
    const started = await api.gql(
      `mutation($p: TrainingParamsInput) { startRetraining(model: LIGHTGCN, params: $p) { id status } }`,
      { p: { ...QUICK, idPrefix: p } },
      auth,
    );
    expect(started.errors).toBeUndefined();
    const runId = started.data!.startRetraining.id as string;
    const c = client(api, `Bearer ${ADMIN}`);
    const t0 = Date.now();
    const { steps, error } = await collect(c, runId);
    await c.dispose();
    expect(error).toBeNull(); // the stream completed on its own when the run ended
    expect(['QUEUED', 'RUNNING']).toContain(steps[0].status); // the run as it stood
    const training = steps.filter((s) => s.stage === 'TRAIN' && s.epoch !== null);
    expect(training.length).toBeGreaterThan(1);
    expect(training.every((s) => typeof s.loss === 'number' && Number.isFinite(s.loss))).toBe(true);
    const epochs = training.map((s) => s.epoch!);
    expect([...epochs].sort((a, b) => a - b)).toEqual(epochs); // in order
    expect(training.some((s) => typeof s.validation?.['recall@20'] === 'number')).toBe(true);
    const stages = [...new Set(steps.map((s) => s.stage))];
    expect(stages).toEqual(expect.arrayContaining(['TRAIN', 'INDEX', 'VALIDATE', 'DONE']));
    expect(stages.indexOf('INDEX')).toBe(stages.indexOf('TRAIN') + 1);
    const percents = steps.map((s) => s.progress);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents); // the bar never goes back
    const last = steps[steps.length - 1];
    expect(last).toMatchObject({ status: 'SUCCEEDED', progress: 100, promoted: false, failureReason: null });
    expect(last.modelVersionId).toEqual(expect.any(String));
    versionId = last.modelVersionId as string;
    expect(last.metrics).toBeTruthy();
    // the same outcome trainingRun reports
    const run = await api.gql(`query($id: ID!) { trainingRun(id: $id) { status modelVersionId } }`, { id: runId }, auth);
    expect(run.data!.trainingRun).toEqual({ status: 'SUCCEEDED', modelVersionId: last.modelVersionId });
    // a subscription to a finished run sends its outcome and completes at once
    const again = client(api, `Bearer ${ADMIN}`);
    const after = await collect(again, runId);
    await again.dispose();
    expect(after.error).toBeNull();
    expect(after.steps).toHaveLength(1);
    expect(after.steps[0]).toMatchObject({ status: 'SUCCEEDED', modelVersionId: last.modelVersionId });
    process.stdout.write(`trainingProgress: ${steps.length} messages over ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }, 300_000);

  it("ships the worker's item indexes with the version: checksummed like the other artefacts, loaded (not built) when it serves", async () => {
    expect(versionId).not.toBe('');
    const registry = worker.app.get(ModelRegistryService);
    const version = (await registry.list(10)).find((v) => v.id === versionId)!;
    expect(Object.keys(version.checksums)).toEqual(expect.arrayContaining([INDEX_MANIFEST, 'ann-0.usearch', 'similar.usearch']));
    const run = await api.gql(`query { trainingRuns(first: 1) { edges { node { timings { index } } } } }`, {}, auth);
    expect(run.data!.trainingRuns.edges[0].node.timings.index).toEqual(expect.any(Number));
    await registry.promote(versionId);
    const ready = await worker.get('/health/ready');
    const serving = ready.body.checks.model.detail.serving;
    expect(serving.id).toBe(versionId);
    expect(serving.ann).toMatchObject({ status: 'READY', builtBy: 'WORKER', loadMs: expect.any(Number) });
    expect(serving.similar).toMatchObject({ status: 'READY', builtBy: 'WORKER', items: serving.ann.items });
  }, 120_000);
});
