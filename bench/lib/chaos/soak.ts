/** The soak: open-loop recommendation reads and ingestion writes for minutes, with the API's RSS sampled. */
import neo4j from 'neo4j-driver';
import { ensureLastfm } from '../services';
import { Api, BOLT, log, lostOf, ok, outcome, PROMOTE, REC, tryPost, URL, Writer } from './context';
import { train, WORKER } from './model-drills';

/** Seconds over which each open loop ramps up to its full rate (a cold API and Neo4j compile as they go). */
export const RAMP_S = 30;

export interface SoakGraph {
  /** who the reads ask for */
  users: string[];
  /** what the writes interact with (new users of this run each write to existing items, as apps mostly do) */
  items: string[];
}

/**
 * What the soak reads: lastfm's users (imported when missing), served by a LightGCN trained on lastfm in
 * this run and promoted, so every read takes the model path (fold-in scoring, ranking, masks).
 */
export async function soakGraph(api: Api): Promise<SoakGraph> {
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  try {
    await ensureLastfm(driver, `bolt://127.0.0.1:${BOLT}`, log);
    const ids = async (label: 'User' | 'Item') =>
      (await driver.executeQuery(`MATCH (n:${label}) WHERE n.id STARTS WITH 'lastfm:' RETURN n.id AS id ORDER BY id`)).records.map(
        (r) => r.get('id') as string,
      );
    const [users, items] = [await ids('User'), await ids('Item')];
    await api.restart(WORKER);
    const version = await train('LIGHTGCN', { epochs: 5, dim: 64, idPrefix: 'lastfm:' });
    const p = await tryPost(PROMOTE, { id: version });
    if (!p || !ok(p)) throw new Error(`promoting ${version}: ${outcome(p)}`);
    log(`soak: ${users.length} lastfm users and ${items.length} items, served by ${version}`);
    return { users, items };
  } finally {
    await driver.close();
  }
}

/**
 * Open-loop load: `rate` calls/s of `fn` (reached linearly over the first RAMP_S seconds) with at most `maxInFlight` at once (calls due while all are busy wait
 * in a queue: the wrk2 model, so a slow server cannot exhaust the client's sockets); each latency counts from
 * the call's due time, a call that fails counts as an error. `queuedMax`: the longest the queue got;
 * `unsent`: calls still queued a minute after the end, dropped (a server far behind).
 */
function openLoop(
  rate: number,
  ms: number,
  maxInFlight: number,
  fn: (i: number) => Promise<boolean>,
): Promise<{ sent: number; errors: number; lat: number[]; dueAt: number[]; queuedMax: number; unsent: number }> {
  const lat: number[] = [];
  const dueAt: number[] = [];
  const queue: Array<{ i: number; due: number }> = [];
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  let queuedMax = 0;
  let unsent = 0;
  const t0 = Date.now();
  const drain = () => {
    while (inFlight < maxInFlight && queue.length) {
      const { i, due } = queue.shift()!;
      inFlight++;
      void fn(i).then((good) => {
        lat.push(performance.now() - due);
        dueAt.push(due);
        if (!good) errors++;
        inFlight--;
        drain();
      });
    }
  };
  return new Promise((res) => {
    const tick = setInterval(() => {
      const generating = Date.now() - t0 < ms;
      const t = Math.min(Date.now() - t0, ms) / 1000;
      const due = Math.floor(rate * (t < RAMP_S ? (t * t) / (2 * RAMP_S) : t - RAMP_S / 2));
      while (generating && sent < due) queue.push({ i: sent++, due: performance.now() });
      queuedMax = Math.max(queuedMax, queue.length);
      // a server that fell far behind: what is still queued a minute after the end is never sent
      if (Date.now() - t0 > ms + 60_000) unsent += queue.splice(0).length;
      drain();
      if (!generating && !queue.length && !inFlight) {
        clearInterval(tick);
        res({ sent: sent - unsent, errors, lat, dueAt, queuedMax, unsent });
      }
    }, 5);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : null;
};

/**
 * Once a second, where the time goes when calls stall: the API's event loop (GET /health/live), Neo4j
 * (`RETURN 1` on its own connection) and this process's own timer drift, each in ms.
 */
function probes(): { stop: () => Promise<Array<{ at: number; liveMs: number; neo4jMs: number; benchLagMs: number }>> } {
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  const out: Array<{ at: number; liveMs: number; neo4jMs: number; benchLagMs: number }> = [];
  let last = performance.now();
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f().catch(() => undefined);
    return Math.round(performance.now() - t);
  };
  const tick = setInterval(() => {
    const at = performance.now();
    const benchLagMs = Math.max(0, Math.round(at - last - 1000));
    last = at;
    void Promise.all([
      time(() => fetch(`${URL}/health/live`, { signal: AbortSignal.timeout(10_000) })),
      time(() => driver.executeQuery('RETURN 1')),
    ]).then(([liveMs, neo4jMs]) => out.push({ at, liveMs, neo4jMs, benchLagMs }));
  }, 1000);
  return {
    stop: async () => {
      clearInterval(tick);
      await driver.close();
      return out;
    },
  };
}

/**
 * The stall episodes: runs of seconds in which some call (due in that second) waited over 1 s, with the worst
 * wait and the probes' worst figures over the episode (30 episodes at most, the first ones).
 */
function stalls(
  t0: number,
  runs: Array<{ lat: number[]; dueAt: number[] }>,
  probed: Array<{ at: number; liveMs: number; neo4jMs: number; benchLagMs: number }>,
) {
  const worst = new Map<number, number>();
  for (const { lat, dueAt } of runs)
    lat.forEach((l, k) => {
      const s = Math.floor((dueAt[k] - t0) / 1000);
      if (l > 1000) worst.set(s, Math.max(worst.get(s) ?? 0, Math.round(l)));
    });
  const seconds = [...worst.keys()].sort((a, b) => a - b);
  const episodes: Array<{ fromS: number; toS: number; maxMs: number; liveMs: number; neo4jMs: number; benchLagMs: number }> = [];
  for (const s of seconds) {
    const e = episodes.at(-1);
    if (e && s <= e.toS + 1) {
      e.toS = s;
      e.maxMs = Math.max(e.maxMs, worst.get(s)!);
    } else episodes.push({ fromS: s, toS: s, maxMs: worst.get(s)!, liveMs: 0, neo4jMs: 0, benchLagMs: 0 });
  }
  for (const e of episodes) {
    const p = probed.filter((x) => x.at - t0 >= e.fromS * 1000 - 1000 && x.at - t0 <= e.toS * 1000 + 2000);
    e.liveMs = Math.max(0, ...p.map((x) => x.liveMs));
    e.neo4jMs = Math.max(0, ...p.map((x) => x.neo4jMs));
    e.benchLagMs = Math.max(0, ...p.map((x) => x.benchLagMs));
  }
  return { seconds: seconds.length, episodes: episodes.slice(0, 30) };
}

export async function soak(
  api: Api,
  { users, items }: SoakGraph,
  minutes: number,
  reads = 200,
  writes = 50,
): Promise<Record<string, unknown>> {
  const ms = minutes * 60_000;
  const rss: Array<[number, number]> = [];
  const t0 = Date.now();
  const sampler = setInterval(() => rss.push([(Date.now() - t0) / 60_000, api.rssMb()]), 5000);
  const w = new Writer('soak', items);
  const probe = probes();
  const tPerf = performance.now();
  const readCodes: Record<string, number> = {};
  const [rec, ing] = await Promise.all([
    openLoop(reads, ms, 64, async (i) => {
      const r = await tryPost(REC, { u: users[i % users.length] });
      if (r && ok(r)) return true;
      const c = outcome(r);
      readCodes[c] = (readCodes[c] ?? 0) + 1;
      return false;
    }),
    openLoop(writes, ms, 16, () => w.once()),
  ]);
  clearInterval(sampler);
  const probed = await probe.stop();
  // Least-squares slope of RSS over time, after the first minute (warm-up).
  const pts = rss.filter(([m]) => m >= Math.min(1, minutes / 4));
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const slope = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return {
    minutes,
    rates: { reads, writes },
    rampS: RAMP_S,
    users: users.length,
    recommendations: {
      sent: rec.sent,
      errors: rec.errors,
      p50Ms: pct(rec.lat, 50),
      p99Ms: pct(rec.lat, 99),
      ratePerS: Math.round(rec.sent / (ms / 1000 - RAMP_S / 2)),
      queuedMax: rec.queuedMax,
      unsent: rec.unsent,
      errorCodes: readCodes,
    },
    ingestion: {
      sent: ing.sent,
      errors: ing.errors,
      p50Ms: pct(ing.lat, 50),
      p99Ms: pct(ing.lat, 99),
      ratePerS: Math.round(ing.sent / (ms / 1000 - RAMP_S / 2)),
      queuedMax: ing.queuedMax,
      unsent: ing.unsent,
      errorCodes: w.codes,
    },
    acknowledgedLost: await lostOf(w.acked),
    stalls: stalls(tPerf, [rec, ing], probed),
    rssMb: {
      first: rss[0]?.[1] ?? null,
      last: rss.at(-1)?.[1] ?? null,
      max: Math.max(...rss.map(([, y]) => y)),
      samples: rss.length,
      slopeMbPerMin: Math.round(slope * 100) / 100,
    },
  };
}
