/** A configured event type: a fixed weight, or `value` (the event carries its own weight, e.g. RATING). */
export type EventWeight = { kind: 'fixed'; weight: number } | { kind: 'value' };

/**
 * Parses `INGEST_EVENT_WEIGHTS` (`VIEW=1,LIKE=3,RATING=value`): the one place this setting is read.
 * The config schema already checks the shape; this rejects duplicate types.
 */
export function parseEventWeights(spec: string): ReadonlyMap<string, EventWeight> {
  const out = new Map<string, EventWeight>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Z][A-Z0-9_]*)=(value|\d+(?:\.\d+)?)$/.exec(part);
    if (!m) throw new Error(`INGEST_EVENT_WEIGHTS: bad entry ${JSON.stringify(part)} (want TYPE=number or TYPE=value)`);
    if (out.has(m[1])) throw new Error(`INGEST_EVENT_WEIGHTS: type ${m[1]} listed twice`);
    out.set(m[1], m[2] === 'value' ? { kind: 'value' } : { kind: 'fixed', weight: Number(m[2]) });
  }
  if (out.size === 0) throw new Error('INGEST_EVENT_WEIGHTS: no event types');
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
  if (!cfg) return { error: { field: 'type', message: `unknown event type ${JSON.stringify(type)} (known: ${[...weights.keys()].join(', ')})` } };
  if (own !== null && own !== undefined) return { weight: own };
  if (cfg.kind === 'value') return { error: { field: 'weight', message: `required for event type ${type}` } };
  return { weight: cfg.weight };
}

