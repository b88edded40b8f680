import { Session } from 'node:inspector';

/**
 * The V8 sampling profiler of this thread (node:inspector), for "where the time goes" under load:
 * self time per layer of the stack (HTTP, GraphQL, Nest, Neo4j driver, ONNX, our serving code, GC,
 * idle), from the script URL of each sampled frame. The load generator runs in a worker thread, so
 * it is not in this profile.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface LayerBreakdown {
  /** wall time profiled (ms) */
  wallMs: number;
  /** share of the main thread's wall time per layer, in percent (idle = the thread waited) */
  percent: Record<string, number>;
  /** the busiest functions by self time (percent of wall time) */
  top: Array<{ fn: string; layer: string; percent: number }>;
}

const LAYERS: Array<[string, RegExp]> = [
  ['onnx', /onnxruntime/],
  ['neo4j-driver', /neo4j-driver/],
  ['graphql', /node_modules\/(graphql|@apollo|graphql-query-complexity|@graphql-tools)\//],
  ['nest', /node_modules\/(@nestjs|class-validator|class-transformer|rxjs|reflect-metadata)\//],
  [
    'http',
    /node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio|secure-json-parse|fast-json-stringify|express|body-parser|raw-body|router|iconv-lite|on-finished|finalhandler|send|type-is|content-type|qs|@as-integrations)\/|^node:(_http|http|net|stream|internal\/streams|internal\/http)|^node:internal\/(stream|net|http)/,
  ],
  ['serving', /\/src\/recommendations\//],
  ['app-other', /\/src\//],
];

function layerOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'program';
  for (const [name, re] of LAYERS) if (re.test(url)) return name;
  if (/^node:/.test(url)) return 'node-other';
  if (!url) return 'native-other';
  return 'other';
}

export class CpuProfiler {
  private readonly session = new Session();

  private post<T>(method: string, params?: Record<string, unknown>): Promise<T> {
    return new Promise((ok, fail) => this.session.post(method, params ?? {}, (err, res) => (err ? fail(err) : ok(res as T))));
  }

  async start(intervalUs = 200): Promise<void> {
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.post('Profiler.start');
  }

  async stop(): Promise<LayerBreakdown> {
    const { profile } = await this.post<{ profile: Profile }>('Profiler.stop');
    await this.post('Profiler.disable');
    this.session.disconnect();
    return summarise(profile);
  }
}

/** Self time per layer and per function from the samples' time deltas (µs). */
export function summarise(profile: Profile): LayerBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; attribute it to the sample that ends it.
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const wallUs = Math.max(1, profile.endTime - profile.startTime);
  const layers = new Map<string, number>();
  const fns = new Map<string, { layer: string; us: number }>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const layer = layerOf(n.callFrame.url, n.callFrame.functionName);
    layers.set(layer, (layers.get(layer) ?? 0) + us);
    const file = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    const f = fns.get(key) ?? { layer, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const pct = (us: number) => +((100 * us) / wallUs).toFixed(1);
  return {
    wallMs: +(wallUs / 1000).toFixed(0),
    percent: Object.fromEntries([...layers].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, pct(us)])),
    top: [...fns]
      .filter(([, f]) => f.layer !== 'idle' && f.layer !== 'program')
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, Number(process.env.PROFILE_TOP ?? 15))
      .map(([fn, f]) => ({ fn, layer: f.layer, percent: pct(f.us) })),
  };
}
