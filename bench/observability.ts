/**
 * Observability overhead (`npm run bench -- observability [--quick] [--rounds N]`): the serving
 * bench's plain `recommendations` load (open loop, 200 requests/s, 8 keep-alive connections, 400
 * random lastfm users) against two app processes started side by side from the same code, config
 * and model, one with metrics, logs and traces on and one with them off, in the same run.
 *
 * - on: METRICS_ENABLED=true (scraped every 5 s on METRICS_PORT, as Prometheus would),
 *   LOG_LEVEL=log + LOG_FORMAT=json (one line per GraphQL operation, to a file), traces to an
 *   OTLP/HTTP receiver in this process (it counts the spans). off: METRICS_ENABLED=false,
 *   LOG_LEVEL=warn, no OTLP endpoint.
 * - Rounds alternate the order (on, off / off, on / ...): contention from other work on the machine
 *   (it is shared) falls on both arms alike. A first round warms both and is not counted. Each arm's
 *   figure is the median over rounds of its per-round p50 and p99. The machine's noise moves a 10-second round's p99 by 2-3x either way, so the verdict is
 *   paired: per round the ratio on/off of the two arms run back to back, and the median of those
 *   ratios with a 95% bootstrap interval (`p99RatioMedian`, `p99RatioInterval`; the target: ≤ 1.05); same for CPU. Beside
 *   latency, each arm's own CPU time per answered request (from /proc). `--rate`, `--rounds`,
 *   `--duration` change the load; `--sample-ratio R` traces that share of the on arm's requests;
 *   `--parts traces` (or metrics, logs, any two) turns on only those; `--aa` runs both arms off, the
 *   noise floor: the ratios an overhead of nothing gets on this machine.
 * - API_NODE_FLAGS go to both arms (e.g. `--cpu-prof --cpu-prof-dir=DIR`: where the on arm's extra time goes).
 * - Services: Neo4j and Redis on BENCH_OBS_BOLT_PORT / _HTTP_PORT / _REDIS_PORT (27691, 27478,
 *   26391), lastfm imported when missing; the model is the active version of
 *   var/bench-observability.sqlite, trained (quick SocialGCN, CPU) when there is none.
 * Ends with one JSON line (bench/lib/report.ts).
 */
import './lib/production-env';
import { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config.schema';
import { ModelStore } from '../src/model-registry/model-store';
import { trainAndRegister } from '../test/support/model';
import { openLoop, OpenLoopResult } from './lib/open-loop';
import { emit, median, medianInterval } from './lib/report';
import { activeUserIds, startApi } from './lib/api-process';
import { BenchServices, ensureLastfm, ROOT } from './lib/services';
import { freePort } from '../test/support/processes';

const BOLT = process.env.BENCH_OBS_BOLT_PORT ?? '27691';
const HTTP = process.env.BENCH_OBS_HTTP_PORT ?? '27478';
const REDIS_PORT = process.env.BENCH_OBS_REDIS_PORT ?? '26391';
const URI = `bolt://127.0.0.1:${BOLT}`;
const QUICK = process.argv.includes('--quick');
const argAfter = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const ROUNDS = Number(argAfter('--rounds') ?? (QUICK ? 2 : 15));
const DURATION_S = Number(argAfter('--duration') ?? (QUICK ? 5 : 10));
const RATE = Number(argAfter('--rate') ?? 200);
// the on arm's share of traced requests (OTEL_TRACES_SAMPLE_RATIO; 1: every request, the default)
const SAMPLE_RATIO = argAfter('--sample-ratio') ?? '1';
// which parts the on arm turns on (all three by default): `--parts traces` or `--parts metrics,logs` cost one part at a time
const AA = process.argv.includes('--aa');
const PARTS = AA ? [] : (argAfter('--parts') ?? 'metrics,logs,traces').split(',');
if (!AA && !PARTS.every((p) => ['metrics', 'logs', 'traces'].includes(p)))
  throw new Error(`--parts: metrics, logs and/or traces, not ${PARTS.join(',')}`);
const CONNECTIONS = 8;
const PREFIX = 'lastfm:';
const SQLITE = 'var/bench-observability.sqlite';
const REC_QUERY = `query($u: ID!) { recommendations(userId: $u, first: 20, explain: false) { path edges { node { id item { id title } score rank isNew } } } }`;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the command
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

const log = (msg: string) => process.stderr.write(`[bench observability] ${msg}\n`);

/** A loopback OTLP/HTTP receiver that counts the spans it is sent (and keeps nothing else). */
async function otlpCounter(): Promise<{ url: string; spans: () => number; close: () => Promise<void> }> {
  let spans = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>;
        };
        for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
      } catch {
        /* not JSON: not counted */
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => spans,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

interface Arm {
  name: 'on' | 'off';
  url: string;
  child: ChildProcess;
  logFile: string;
  metricsPort?: number;
}

/** The API in its own process, as production runs it (compiled), stdout and stderr to a file. */
async function startArm(name: Arm['name'], env: Record<string, string>): Promise<Arm> {
  const logFile = join(ROOT, 'var', `bench-observability-${name}.log`);
  const { url, child } = await startApi({ name: `arm ${name}`, logFile, env, log });
  return { name, url, child, logFile, metricsPort: env.METRICS_PORT ? Number(env.METRICS_PORT) : undefined };
}

async function main(): Promise<void> {
  const svc = new BenchServices(log, { keep: process.env.BENCH_KEEP_NEO4J === '1' });
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  svc.start('redis', { REDIS_PORT });
  const driver = neo4j.driver(URI);
  await ensureLastfm(driver, URI, log);
  mkdirSync(join(ROOT, 'var'), { recursive: true });

  const common = {
    NODE_ENV: 'production',
    NEO4J_URI: URI,
    NEO4J_PASSWORD: '',
    REDIS_PORT,
    DATABASE_SQLITE_PATH: SQLITE,
    TRAINER_WORKER: 'false',
    RETRAIN_CRON: '',
    TRAINING_ID_PREFIX: PREFIX,
    API_KEYS: '',
    RATE_LIMIT_ENABLED: 'false',
    LOG_FORMAT: 'json',
  };

  // The model: the registry's active version, or a quick one trained now (in this process's app, then closed).
  {
    const app = await createApp(loadConfig({ ...process.env, ...common, LOG_LEVEL: 'warn', REDIS_PREFIX: 'tgbench-obs-setup' }));
    try {
      await app.init(); // loads the registry's active version
      if (!app.get(ModelStore).active()) {
        log(`no active model in ${SQLITE}: training a quick SocialGCN on lastfm (CPU)`);
        await trainAndRegister(app, {
          idPrefix: PREFIX,
          kind: 'SOCIALGCN',
          epochs: QUICK ? 5 : 20,
          dim: 64,
          extraArgs: ['--eval-every', '5', '--max-minutes', '4'],
          timeoutMs: 600_000,
          workDir: join(ROOT, 'var', 'bench-observability-models'),
        });
      }
      const v = app.get(ModelStore).active()!.version;
      log(`serving ${v.kind} ${v.id}`);
    } finally {
      await app.close();
    }
  }

  const otlp = await otlpCounter();
  const metricsPort = await freePort();
  const arms: Arm[] = [];
  let scrapes = 0;
  let scraper: NodeJS.Timeout | undefined;
  try {
    // Both up before any load: each idles while the other is measured.
    arms.push(
      await startArm('on', {
        ...common,
        LOG_LEVEL: PARTS.includes('logs') ? 'log' : 'warn',
        METRICS_ENABLED: String(PARTS.includes('metrics')),
        ...(PARTS.includes('metrics') ? { METRICS_PORT: String(metricsPort) } : {}),
        ...(PARTS.includes('traces') ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_TRACES_SAMPLE_RATIO: SAMPLE_RATIO } : {}),
        REDIS_PREFIX: 'tgbench-obs-on',
        ARTIFACT_CACHE_DIR: 'var/bench-observability-cache-on',
      }),
    );
    arms.push(
      await startArm('off', {
        ...common,
        LOG_LEVEL: 'warn',
        METRICS_ENABLED: 'false',
        REDIS_PREFIX: 'tgbench-obs-off',
        ARTIFACT_CACHE_DIR: 'var/bench-observability-cache-off',
      }),
    );
    const bodies = (await activeUserIds(driver, PREFIX)).map((u) => JSON.stringify({ query: REC_QUERY, variables: { u } }));
    const post = async (arm: Arm, body: string) => {
      const res = await fetch(`${arm.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await res.json()) as { errors?: unknown[] };
      if (json.errors) throw new Error(`arm ${arm.name}: ${JSON.stringify(json.errors)}`);
    };
    // Warm-up: JIT, pools, every user's cached state, in both arms.
    for (const arm of arms) for (const b of bodies) await post(arm, b);
    const settle = async (arm: Arm) => {
      let quick = 0;
      const t0 = Date.now();
      for (let n = 0; quick < 3 && Date.now() - t0 < 60_000; n++) {
        const t = performance.now();
        await post(arm, bodies[n % bodies.length]);
        quick = performance.now() - t < 50 ? quick + 1 : 0;
      }
    };

    // Prometheus' share of the work: a scrape of the "on" arm every 5 s, all run long.
    // (how long each scrape takes the app to answer is kept: it runs on the event loop that serves requests)
    const scrapeMs: number[] = [];
    if (PARTS.includes('metrics'))
      scraper = setInterval(() => {
        const t = performance.now();
        void fetch(`http://127.0.0.1:${metricsPort}/metrics`)
          .then((r) => r.text())
          .then(
            () => {
              scrapes++;
              scrapeMs.push(performance.now() - t);
            },
            () => undefined,
          );
      }, 5_000);

    // Round 0 warms both arms under load and is not counted.
    const rows: Array<{ round: number; arm: Arm['name'] } & OpenLoopResult & { loadAverage1m: number; cpuMsPerRequest: number }> = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const order = round % 2 === 0 ? arms : [...arms].reverse();
      for (const arm of order) {
        await settle(arm);
        const loadAverage1m = +loadavg()[0].toFixed(2);
        const cpu0 = cpuSeconds(arm.child.pid!);
        const r = await openLoop({ url: `${arm.url}/graphql`, rate: RATE, durationS: DURATION_S, bodies, connections: CONNECTIONS });
        // the app process's own CPU per answered request: what observability costs it, whatever else runs on the machine
        const cpuMsPerRequest = +(((cpuSeconds(arm.child.pid!) - cpu0) * 1000) / Math.max(1, r.completed)).toFixed(3);
        if (round > 0) rows.push({ round, arm: arm.name, ...r, loadAverage1m, cpuMsPerRequest });
        log(
          `round ${round}/${ROUNDS}${round === 0 ? ' (warm-up)' : ''} ${arm.name.padEnd(3)}: p50 ${r.p50} ms, p99 ${r.p99} ms, ${cpuMsPerRequest} CPU ms/request, errors ${r.errors} (load ${loadAverage1m})`,
        );
      }
    }
    clearInterval(scraper);
    scraper = undefined;

    const summary = (name: Arm['name']) => {
      const mine = rows.filter((r) => r.arm === name);
      return {
        p50Ms: +median(mine.map((r) => r.p50)).toFixed(2),
        p99Ms: +median(mine.map((r) => r.p99)).toFixed(2),
        p99PerRoundMs: mine.map((r) => r.p99),
        p50PerRoundMs: mine.map((r) => r.p50),
        cpuMsPerRequest: +median(mine.map((r) => r.cpuMsPerRequest)).toFixed(3),
        cpuMsPerRequestPerRound: mine.map((r) => r.cpuMsPerRequest),
        achievedRpsPerRound: mine.map((r) => r.achievedRps),
        loadAverage1mPerRound: mine.map((r) => r.loadAverage1m),
        errors: mine.reduce((a, r) => a + r.errors, 0),
      };
    };
    const on = summary('on');
    const off = summary('off');
    await new Promise((r) => setTimeout(r, 2_000)); // the last span batch
    const lines = readFileSync(arms[0].logFile, 'utf8').split('\n');
    const operationLines = lines.filter((l) => l.includes('"context":"GraphQL"')).length;
    const pct = (a: number, b: number) => +((a / b - 1) * 100).toFixed(1);
    // paired by round (both arms back to back, order alternating): what a slow minute on the machine does to both cancels
    const ratios = (a: number[], b: number[]) => a.map((x, i) => +(x / b[i]).toFixed(3));
    const p99RatioPerRound = ratios(on.p99PerRoundMs, off.p99PerRoundMs);
    const cpuRatioPerRound = ratios(on.cpuMsPerRequestPerRound, off.cpuMsPerRequestPerRound);
    const interval = (v: number[]) => medianInterval(v).map((x) => +x.toFixed(3));
    const figures = {
      rate: RATE,
      parts: PARTS,
      traceSampleRatio: Number(SAMPLE_RATIO),
      connections: CONNECTIONS,
      rounds: ROUNDS,
      durationS: DURATION_S,
      on,
      off,
      p50OverheadPct: pct(on.p50Ms, off.p50Ms),
      p99OverheadPct: pct(on.p99Ms, off.p99Ms),
      p99RatioPerRound,
      p99RatioMedian: +median(p99RatioPerRound).toFixed(3),
      p99RatioInterval: interval(p99RatioPerRound),
      cpuRatioPerRound,
      cpuRatioMedian: +median(cpuRatioPerRound).toFixed(3),
      cpuRatioInterval: interval(cpuRatioPerRound),
      cpuOverheadPct: pct(on.cpuMsPerRequest, off.cpuMsPerRequest),
      evidence: {
        spansReceived: otlp.spans(),
        jsonOperationLogLines: operationLines,
        metricsScrapes: scrapes,
        scrapeMs: scrapeMs.length ? { p50: +median(scrapeMs).toFixed(2), max: +Math.max(...scrapeMs).toFixed(2) } : null,
      },
      aa: AA,
      targets: { p99OverheadLe5Pct: median(p99RatioPerRound) <= 1.05, noErrors: on.errors + off.errors === 0 },
    };
    log(
      `on p50 ${on.p50Ms} / p99 ${on.p99Ms} ms, ${on.cpuMsPerRequest} CPU ms/request; off p50 ${off.p50Ms} / p99 ${off.p99Ms} ms, ${off.cpuMsPerRequest} CPU ms/request; paired p99 on/off ${figures.p99RatioMedian} [${figures.p99RatioInterval.join(', ')}], CPU ${figures.cpuRatioMedian} [${figures.cpuRatioInterval.join(', ')}]`,
    );
    emit('observability', figures);
  } finally {
    if (scraper) clearInterval(scraper);
    for (const arm of arms) arm.child.kill('SIGTERM');
    await otlp.close();
    await driver.close();
    rmSync(join(ROOT, 'var', 'bench-observability-cache-on'), { recursive: true, force: true });
    rmSync(join(ROOT, 'var', 'bench-observability-cache-off'), { recursive: true, force: true });
    svc.stopAll();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
