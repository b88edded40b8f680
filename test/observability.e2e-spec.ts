import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { numericMetrics } from '../src/observability/flatten-metrics';
import { MetricsServer } from '../src/observability/metrics-server';
import { runInRequest } from '../src/observability/request-context';
import { TrainingQueueRepository } from '../src/training/queue.repository';
import { TrainerEvent, TrainerRunner } from '../src/training/trainer.runner';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { removeTrained, seedTasteGraph, TasteGraph, trainAndRegister, TrainedModel } from './support/model';
import { AppProcess, spawnApp, stopApps } from './support/processes';
import { LogLines, OtlpReceiver, parseMetrics, sum } from './support/telemetry';

const ADMIN = 'test-admin-token-observability';
const REC = `query($u: ID!) { recommendations(userId: $u, first: 5) { path edges { node { id } } } }`;
const G = 'tastegraph_graphql_request_duration_seconds_count';

describe('observability: /metrics, JSON logs with request ids, OTLP traces', () => {
  let t: TestApp;
  let driver: Driver;
  let g: TasteGraph;
  let model: TrainedModel | undefined;
  const logs = new LogLines();
  const otlp = new OtlpReceiver();
  const p = testPrefix('obs');
  // A registry file both this app and the traced replica (its own process) read.
  const dir = mkdtempSync(join(tmpdir(), 'tastegraph-obs-'));
  const sqlite = join(dir, 'registry.sqlite');
  let traced: AppProcess | undefined;

  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) => {
    const res = await fetch(`${t.url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const samples = async () => parseMetrics((await scrape()).text);
  const rec = async (userId: string, requestId?: string) => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(requestId !== undefined ? { 'x-request-id': requestId } : {}) },
      body: JSON.stringify({ query: REC, variables: { u: userId } }),
    });
    return { id: res.headers.get('x-request-id'), body: (await res.json()) as { data?: any; errors?: any[] } };
  };

  beforeAll(async () => {
    driver = testDriver();
    g = await seedTasteGraph(driver, p);
    t = await startApp(
      {
        TRAINING_ID_PREFIX: p,
        ADMIN_TOKEN: ADMIN,
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
        METRICS_PORT: '0',
        DATABASE_SQLITE_PATH: sqlite,
      },
      { logDestination: logs },
    );
  }, 120_000);

  afterAll(async () => {
    await stopApps([traced]);
    await t?.close();
    await otlp.stop();
    rmSync(dir, { recursive: true, force: true });
    await cleanup(driver, p);
    await driver.close();
    removeTrained(model);
  });

  it('/metrics needs the admin token on the API port (401 without, 403 wrong), and is open on METRICS_PORT', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong' })).status).toBe(403);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toContain('tastegraph_process_cpu_seconds_total');
    const port = t.app.get(MetricsServer).port;
    expect(port).toEqual(expect.any(Number));
    const own = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('tastegraph_graphql_request_duration_seconds');
    expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
  });

  it('exposes every metric the Grafana dashboard reads', async () => {
    const dashboard = readFileSync(join(__dirname, '..', 'docker', 'grafana', 'tastegraph.json'), 'utf8');
    const read = new Set([...dashboard.matchAll(/tastegraph_\w+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    const exposed = new Set([...(await scrape()).text.matchAll(/^# HELP (\w+)/gm)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(15);
    expect([...read].filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('echoes a valid x-request-id, replaces an invalid one, and counts operations by outcome', async () => {
    const before = await samples();
    const users = g.users.rock.slice(0, 4);
    for (const [n, u] of users.entries()) {
      const r = await rec(u, `obs-plain-${n}`);
      expect(r.body.errors).toBeUndefined();
      expect(r.id).toBe(`obs-plain-${n}`);
    }
    const bad = await rec(`${p}nobody`, 'not valid!');
    expect(bad.body.errors![0].extensions.code).toBe('NOT_FOUND');
    expect(bad.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await rec(users[0])).id).toMatch(/^[0-9a-f-]{36}$/);

    const after = await samples();
    const delta = (name: string, labels: Record<string, string> = {}) => sum(after, name, labels) - sum(before, name, labels);
    expect(delta(G, { operation: 'recommendations', type: 'query', outcome: 'OK' })).toBe(5);
    expect(delta(G, { operation: 'recommendations', type: 'query', outcome: 'NOT_FOUND' })).toBe(1);
    // serving stages: `total` for each answered request, `model` (the first) for the failed one too
    expect(delta('tastegraph_serving_stage_duration_seconds_count', { stage: 'total' })).toBe(5);
    expect(delta('tastegraph_serving_stage_duration_seconds_count', { stage: 'model' })).toBe(6);
    // every request looked its user up in the state cache: a hit or a miss
    expect(delta('tastegraph_cache_requests_total', { cache: 'user-state' })).toBe(6);
    expect(delta('tastegraph_cache_requests_total', { cache: 'user-state', result: 'hit' })).toBeGreaterThanOrEqual(1); // users[0] twice
    expect(delta('tastegraph_neo4j_session_duration_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(sum(after, 'tastegraph_neo4j_errors_total')).toBe(0);
    const latency = sum(after, 'tastegraph_graphql_request_duration_seconds_sum', { operation: 'recommendations', outcome: 'OK' });
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(60);
  });

  it('writes JSON log lines carrying the request id: the GraphQL operation and its Neo4j work', async () => {
    const u = g.users.jazz[2];
    const r = await rec(u, 'obs-log-1');
    expect(r.body.errors).toBeUndefined();
    const mine = logs.lines.filter((l) => l.requestId === 'obs-log-1');
    const op = mine.find((l) => l.context === 'GraphQL');
    expect(op).toMatchObject({ level: 'info', operation: 'recommendations', type: 'query', outcome: 'OK', pid: process.pid });
    expect(op!.ms).toEqual(expect.any(Number));
    expect(typeof op!.time).toBe('number');
    const neo = mine.filter((l) => l.context === 'Neo4j');
    expect(neo.length).toBeGreaterThanOrEqual(1);
    expect(neo[0]).toMatchObject({ level: 'debug', mode: 'READ', query: expect.any(String) });
    // lines outside any request (start-up) carry none
    expect(logs.lines.find((l) => /Nest application successfully started/.test(l.msg))?.requestId).toBeUndefined();
  });

  it('queues a training job with the request id, and the queue depth shows it', async () => {
    const before = sum(await samples(), 'tastegraph_training_queue_jobs', { state: 'waiting' });
    const res = await t.post(
      `mutation { startRetraining(model: LIGHTGCN) { id } }`,
      {},
      { authorization: `Bearer ${ADMIN}`, 'x-request-id': 'obs-job-1' },
    );
    expect(res.body.errors).toBeUndefined();
    const job = await t.app.get(TrainingQueueRepository).job(res.body.data.startRetraining.id);
    expect(job?.data.requestId).toBe('obs-job-1');
    expect(sum(await samples(), 'tastegraph_training_queue_jobs', { state: 'waiting' })).toBe(before + 1);
  });

  describe('with a trained model', () => {
    beforeAll(async () => {
      model = await trainAndRegister(t.app, { idPrefix: p, kind: 'LIGHTGCN', epochs: 5 });
    }, 300_000);

    it('reports the active model and its validation metrics', async () => {
      const s = await samples();
      expect(sum(s, 'tastegraph_model_active_info', { version: model!.version.id, kind: 'LIGHTGCN' })).toBe(1);
      const recall = numericMetrics(model!.version.metrics).find(([k]) => /recall/i.test(k));
      expect(recall).toBeDefined();
      expect(sum(s, 'tastegraph_model_active_metric', { version: model!.version.id, metric: recall![0] })).toBeCloseTo(
        recall![1] as number,
        6,
      );
      expect(sum(s, 'tastegraph_training_last_run_metric', { version: model!.version.id, metric: recall![0] })).toBeCloseTo(
        recall![1] as number,
        6,
      );
    });

    // A replica in its own process (the OTLP exporter loads its HTTP transport with a dynamic import, which jest's module sandbox refuses).
    it('sends the spans of a recommendations query to the OTLP receiver, linked under the operation', async () => {
      const endpoint = await otlp.start();
      traced = await spawnApp(
        'traced',
        {
          NODE_ENV: 'test',
          DATABASE_SQLITE_PATH: sqlite,
          DATABASE_MIGRATE: 'false',
          TRAINING_ID_PREFIX: p,
          TRAINER_WORKER: 'false',
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_SERVICE_NAME: 'tastegraph-test',
          ARTIFACT_CACHE_DIR: join(dir, 'traced-cache'),
        },
        dir,
      );
      const res = await fetch(`${traced.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'obs-trace-1' },
        body: JSON.stringify({ query: REC, variables: { u: g.users.pop[1] } }),
      });
      expect(((await res.json()) as any).data.recommendations.path).toBe('FOLD_IN');
      // spans are batched for a second
      for (let i = 0; i < 100 && !otlp.spans.some((s) => s.attributes['tastegraph.request_id'] === 'obs-trace-1' && !s.parentSpanId); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(otlp.contentTypes[0]).toMatch(/application\/json/);
      const mine = otlp.spans.filter((s) => s.attributes['tastegraph.request_id'] === 'obs-trace-1');
      const root = mine.find((s) => s.name === 'query recommendations');
      expect(root).toBeDefined();
      expect(root!.parentSpanId).toBeUndefined();
      expect(root!.service).toBe('tastegraph-test');
      expect(root!.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'tastegraph.outcome': 'OK' });
      const children = mine.filter((s) => s.parentSpanId === root!.spanId);
      const names = children.map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(['onnx fold-in', 'onnx score']));
      const neo = children.filter((s) => s.name.startsWith('neo4j '));
      expect(neo.length).toBeGreaterThanOrEqual(1);
      expect(neo[0].attributes).toMatchObject({ 'db.system': 'neo4j', 'tastegraph.neo4j.mode': 'READ' });
      // each Neo4j unit has its statements under it
      const statements = mine.filter((s) => s.parentSpanId === neo[0].spanId);
      expect(statements.length).toBeGreaterThanOrEqual(1);
      expect(statements[0].name).toMatch(/^cypher /);
      for (const s of mine) expect(s.traceId).toBe(root!.traceId);
      await new Promise((r) => setTimeout(r, 1_500)); // the rest of the batch
      const all = otlp.spans.filter((s) => s.attributes['tastegraph.request_id'] === 'obs-trace-1');
      expect(all.filter((s) => s.spanId === root!.spanId)).toHaveLength(1);
    }, 180_000);

    it('counts ONNX calls of served requests', async () => {
      const before = sum(await samples(), 'tastegraph_onnx_inference_duration_seconds_count', { graph: 'fold-in' });
      const r = await rec(g.users.pop[2], 'obs-onnx');
      expect(r.body.data.recommendations.path).toBe('FOLD_IN');
      expect(sum(await samples(), 'tastegraph_onnx_inference_duration_seconds_count', { graph: 'fold-in' })).toBe(before + 1);
    });

    it("stamps the trainer's events and log lines with the job's request id", async () => {
      const events: TrainerEvent[] = [];
      const result = await runInRequest({ requestId: 'obs-trainer-1' }, () =>
        t.app.get(TrainerRunner).run(
          {
            model: 'lightgcn',
            snapshotDir: model!.snapshotDir,
            outDir: `${model!.root}/again`,
            params: { epochs: 1, dim: 8, threads: 1 },
            requestId: 'obs-trainer-1',
          },
          (e) => events.push(e),
        ),
      );
      expect(result.code).toBe(0);
      expect(events.length).toBeGreaterThan(2);
      for (const e of events) expect(e.request_id).toBe('obs-trainer-1');
      const stderr = logs.lines.filter((l) => l.context === 'TrainerRunner' && l.stream === 'stderr');
      expect(stderr.length).toBeGreaterThan(0);
      for (const l of stderr) expect(l.requestId).toBe('obs-trainer-1');
      expect(stderr.some((l) => String(l.msg).includes('request_id=obs-trainer-1'))).toBe(true);
    }, 120_000);
  });
});
