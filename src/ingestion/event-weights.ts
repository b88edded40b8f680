/** A configured event type: a fixed weight, or `value` (the event carries its own weight, e.g. RATING). */
export type EventWeight = { kind: 'fixed'; weight: number } | { kind: 'value' };

/** What config validation says about a malformed value (the variable's name goes in front). */
export const EVENT_WEIGHTS_SHAPE = 'must look like VIEW=1,LIKE=3,RATING=value';

const ENTRY = /^([A-Z][A-Z0-9_]*)=(value|\d+(?:\.\d+)?)$/;

/**
 * Reads `INGEST_EVENT_WEIGHTS` (`VIEW=1,LIKE=3,RATING=value`): the one parser of this setting,
 * used by config validation, the ingestion settings and the snapshot's meta.json. Entries are
 * `TYPE=number` or `TYPE=value`, comma-separated without spaces, each type once.
 */
export function readEventWeights(spec: string): { weights: ReadonlyMap<string, EventWeight> } | { error: string; badEntry: boolean } {
  if (spec === '') return { error: 'no event types', badEntry: false };
  const out = new Map<string, EventWeight>();
  for (const part of spec.split(',')) {
    const m = ENTRY.exec(part);
    if (!m) return { error: `bad entry ${JSON.stringify(part)} (want TYPE=number or TYPE=value)`, badEntry: true };
    if (out.has(m[1])) return { error: `type ${m[1]} listed twice`, badEntry: false };
    out.set(m[1], m[2] === 'value' ? { kind: 'value' } : { kind: 'fixed', weight: Number(m[2]) });
  }
  return { weights: out };
}

/** The table, or throws `INGEST_EVENT_WEIGHTS: <why>` (the config was validated at start-up, so this fails only when called on an unchecked value). */
export function parseEventWeights(spec: string): ReadonlyMap<string, EventWeight> {
  const r = readEventWeights(spec);
  if ('error' in r) throw new Error(`INGEST_EVENT_WEIGHTS: ${r.error}`);
  return r.weights;
}

/** The table as a JSON object (`{"VIEW": 1, "RATING": "value"}`), as meta.json records it. */
export function eventWeightsJson(weights: ReadonlyMap<string, EventWeight>): Record<string, number | 'value'> {
  const out: Record<string, number | 'value'> = {};
  for (const [type, w] of weights) out[type] = w.kind === 'value' ? 'value' : w.weight;
  return out;
}

/**
 * The weight an event adds to its (user, item) edge: the event's own weight when given (any type),
 * else the configured weight; `value` types must carry a weight. Returns an error message or the weight.
 */
export function resolveEventWeight(
  weights: ReadonlyMap<string, EventWeight>,
  type: string,
  own: number | null | undefined,
): { weight: number } | { error: { field: 'type' | 'weight'; message: string } } {
  const cfg = weights.get(type);
  if (!cfg)
    return { error: { field: 'type', message: `unknown event type ${JSON.stringify(type)} (known: ${[...weights.keys()].join(', ')})` } };
  if (own !== null && own !== undefined) return { weight: own };
  if (cfg.kind === 'value') return { error: { field: 'weight', message: `required for event type ${type}` } };
  return { weight: cfg.weight };
}
