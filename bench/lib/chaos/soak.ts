/** The soak: open-loop recommendation reads and ingestion writes for minutes, with the API's RSS sampled. */
import { Api, lostOf, ok, REC, tryPost, Writer } from './context';

/** Open-loop load: `rate` calls/s of `fn`, latencies in ms; a call that fails counts as an error. */
function openLoop(rate: number, ms: number, fn: (i: number) => Promise<boolean>): Promise<{ sent: number; errors: number; lat: number[] }> {
  const lat: number[] = [];
  let errors = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];
  const t0 = Date.now();
  return new Promise((res) => {
    const tick = setInterval(() => {
      const due = Math.floor(((Date.now() - t0) / 1000) * rate);
      while (sent < due) {
        const i = sent++;
        const s = performance.now();
        pending.push(
          fn(i).then((good) => {
            lat.push(performance.now() - s);
            if (!good) errors++;
          }),
        );
      }
      if (Date.now() - t0 >= ms) {
        clearInterval(tick);
        void Promise.all(pending).then(() => res({ sent, errors, lat }));
      }
    }, 5);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : null;
};

export async function soak(api: Api, users: string[], minutes: number): Promise<Record<string, unknown>> {
  const ms = minutes * 60_000;
  const rss: Array<[number, number]> = [];
  const t0 = Date.now();
  const sampler = setInterval(() => rss.push([(Date.now() - t0) / 60_000, api.rssMb()]), 5000);
  const w = new Writer('soak');
  const [rec, ing] = await Promise.all([
    openLoop(200, ms, async (i) => {
      const r = await tryPost(REC, { u: users[i % users.length] });
      return !!r && ok(r);
    }),
    openLoop(50, ms, () => w.once()),
  ]);
  clearInterval(sampler);
  // Least-squares slope of RSS over time, after the first minute (warm-up).
  const pts = rss.filter(([m]) => m >= Math.min(1, minutes / 4));
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const slope = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return {
    minutes,
    recommendations: {
      sent: rec.sent,
      errors: rec.errors,
      p50Ms: pct(rec.lat, 50),
      p99Ms: pct(rec.lat, 99),
      ratePerS: Math.round(rec.sent / (ms / 1000)),
    },
    ingestion: {
      sent: ing.sent,
      errors: ing.errors,
      p50Ms: pct(ing.lat, 50),
      p99Ms: pct(ing.lat, 99),
      ratePerS: Math.round(ing.sent / (ms / 1000)),
    },
    acknowledgedLost: await lostOf(w.acked),
    rssMb: {
      first: rss[0]?.[1] ?? null,
      last: rss.at(-1)?.[1] ?? null,
      max: Math.max(...rss.map(([, y]) => y)),
      samples: rss.length,
      slopeMbPerMin: Math.round(slope * 100) / 100,
    },
  };
}
