import { EventWeight } from '../../event-weights';
import { ATTRIBUTES_MAX_BYTES, ID_MAX, ID_PATTERN, NAME_MAX, TAG_MAX, TAG_PATTERN, TAGS_MAX, TITLE_MAX } from '../../limits';
import { SourceSpec } from './manifest';

/** Rows as the writer sends them: validated, ids prefixed. */
export interface UserRow {
  id: string;
  name: string | null;
  attributesJson: string | null;
}
export interface ItemRow {
  id: string;
  title: string | null;
  tags: string[] | null;
  attributesJson: string | null;
}
export interface EventRow {
  u: string;
  i: string;
  type: string;
  weight: number;
  /** epoch ms, null when the file has no timestamp */
  ts: number | null;
}
export interface EdgeRow {
  a: string;
  b: string;
  kind: 'friend' | 'follow';
}

/** What a row validator needs beyond the row: the id prefix, the event-type table, the clock bound. */
export interface RowContext {
  idPrefix: string;
  eventWeights: ReadonlyMap<string, EventWeight>;
  /** latest accepted timestamp (epoch ms): now + INGEST_MAX_FUTURE_S */
  maxTs: number;
}

export type Checked<T> = { row: T } | { error: string };

const cellText = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return s === '' ? null : s;
};

function id(cells: Record<string, unknown>, column: string, what: string, ctx: RowContext): Checked<string> {
  const v = cellText(cells[column]);
  if (v === null) return { error: `${what} (column ${JSON.stringify(column)}) is empty` };
  if (v.length > ID_MAX || !ID_PATTERN.test(v))
    return { error: `${what} ${JSON.stringify(v.slice(0, 40))} is not a valid id (1..${ID_MAX} printable characters)` };
  return { row: ctx.idPrefix + v };
}

function attributes(cells: Record<string, unknown>, spec: SourceSpec): Checked<string | null> {
  if (!spec.attributes.length) return { row: null };
  const out: Record<string, unknown> = {};
  for (const c of spec.attributes) if (cells[c] !== undefined && cells[c] !== '') out[c] = cells[c];
  const json = JSON.stringify(out);
  if (Buffer.byteLength(json) > ATTRIBUTES_MAX_BYTES)
    return { error: `attributes are ${Buffer.byteLength(json)} bytes as JSON, over ${ATTRIBUTES_MAX_BYTES}` };
  return { row: json };
}

export function userRow(cells: Record<string, unknown>, spec: SourceSpec, ctx: RowContext): Checked<UserRow> {
  const u = id(cells, spec.columns.id, 'user id', ctx);
  if ('error' in u) return u;
  const name = cellText(cells[spec.columns.name]);
  if (name !== null && name.length > NAME_MAX) return { error: `name is longer than ${NAME_MAX} characters` };
  const attrs = attributes(cells, spec);
  if ('error' in attrs) return attrs;
  return { row: { id: u.row, name, attributesJson: attrs.row } };
}

export function itemRow(cells: Record<string, unknown>, spec: SourceSpec, ctx: RowContext): Checked<ItemRow> {
  const i = id(cells, spec.columns.id, 'item id', ctx);
  if ('error' in i) return i;
  const title = cellText(cells[spec.columns.title]);
  if (title !== null && title.length > TITLE_MAX) return { error: `title is longer than ${TITLE_MAX} characters` };
  const rawTags = cells[spec.columns.tags];
  const tags = Array.isArray(rawTags)
    ? rawTags.map((t) => String(t).trim()).filter(Boolean)
    : (cellText(rawTags)
        ?.split(spec.tagSeparator)
        .map((t) => t.trim())
        .filter(Boolean) ?? null);
  if (tags) {
    if (tags.length > TAGS_MAX) return { error: `${tags.length} tags, at most ${TAGS_MAX}` };
    const bad = tags.find((t) => t.length > TAG_MAX || !TAG_PATTERN.test(t));
    if (bad !== undefined) return { error: `tag ${JSON.stringify(bad.slice(0, 40))} is not valid (1..${TAG_MAX} printable characters)` };
  }
  const attrs = attributes(cells, spec);
  if ('error' in attrs) return attrs;
  return { row: { id: i.row, title, tags: tags ? [...new Set(tags)] : null, attributesJson: attrs.row } };
}

/** ISO 8601 (with a zone or UTC), or epoch seconds / milliseconds (13 digits and more are ms). */
export function parseTimestamp(v: string): number | null {
  if (/^\d{1,16}(\.\d+)?$/.test(v)) {
    const n = Number(v);
    return v.split('.')[0].length >= 13 ? Math.round(n) : Math.round(n * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return null;
  const ms = Date.parse(v.includes('T') || v.length === 10 ? v : v.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

export function eventRow(cells: Record<string, unknown>, spec: SourceSpec, ctx: RowContext): Checked<EventRow> {
  const u = id(cells, spec.columns.user, 'user id', ctx);
  if ('error' in u) return u;
  const i = id(cells, spec.columns.item, 'item id', ctx);
  if ('error' in i) return i;
  const type = (cellText(cells[spec.columns.type]) ?? spec.defaultType)?.toUpperCase() ?? null;
  const known = () => [...ctx.eventWeights.keys()].join(', ');
  if (type === null)
    return { error: `no event type (column ${JSON.stringify(spec.columns.type)} is empty and no defaultType); one of ${known()}` };
  const rule = ctx.eventWeights.get(type);
  if (!rule) return { error: `unknown event type ${JSON.stringify(type)}; INGEST_EVENT_WEIGHTS has ${known()}` };
  const rawWeight = cellText(cells[spec.columns.weight]);
  let weight: number;
  if (rawWeight === null) {
    if (rule.kind === 'value') return { error: `${type} needs a weight (column ${JSON.stringify(spec.columns.weight)}), e.g. the rating` };
    weight = rule.weight;
  } else {
    weight = Number(rawWeight);
    if (!Number.isFinite(weight) || weight < 0 || weight > 1_000_000)
      return { error: `weight ${JSON.stringify(rawWeight)} is not a number in 0..1000000` };
  }
  const rawTs = cellText(cells[spec.columns.timestamp]);
  let ts: number | null = null;
  if (rawTs !== null) {
    ts = parseTimestamp(rawTs);
    if (ts === null) return { error: `timestamp ${JSON.stringify(rawTs.slice(0, 40))} does not parse (want ISO 8601 or epoch seconds/ms)` };
    if (ts < 0 || ts > ctx.maxTs) return { error: `timestamp ${JSON.stringify(rawTs)} is before 1970 or in the future` };
  }
  return { row: { u: u.row, i: i.row, type, weight, ts } };
}

export function edgeRow(cells: Record<string, unknown>, spec: SourceSpec, ctx: RowContext): Checked<EdgeRow> {
  const a = id(cells, spec.columns.a, 'first user id', ctx);
  if ('error' in a) return a;
  const b = id(cells, spec.columns.b, 'second user id', ctx);
  if ('error' in b) return b;
  if (a.row === b.row) return { error: `a user cannot befriend or follow itself (${a.row})` };
  const kind = (cellText(cells[spec.columns.kind])?.toLowerCase() ?? spec.defaultKind) as string;
  if (kind !== 'friend' && kind !== 'follow') return { error: `kind ${JSON.stringify(kind)} is neither friend nor follow` };
  // FRIEND is stored once per unordered pair, lower id first; FOLLOWS keeps its direction.
  return { row: kind === 'friend' && b.row < a.row ? { a: b.row, b: a.row, kind } : { a: a.row, b: b.row, kind } };
}
