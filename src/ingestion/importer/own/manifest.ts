import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * What a team's own data looks like (docs/importing.md): up to four files, each CSV, TSV or JSON
 * Lines, with their columns mapped by name. Given as a YAML manifest or as `--users/--items/
 * --interactions/--friendships` flags (which use the default column names below).
 */
export type SourceFormat = 'csv' | 'tsv' | 'jsonl';
export type EntityKind = 'users' | 'items' | 'interactions' | 'friendships';
export const ENTITY_KINDS: readonly EntityKind[] = ['users', 'items', 'interactions', 'friendships'];

/** The fields each kind reads, and the column name each has unless the manifest maps it. */
export const FIELDS = {
  users: { id: 'id', name: 'name' },
  items: { id: 'id', title: 'title', tags: 'tags' },
  interactions: { user: 'user', item: 'item', type: 'type', weight: 'weight', timestamp: 'timestamp' },
  friendships: { a: 'a', b: 'b', kind: 'kind' },
} as const;
/** Fields a file must have a column for (the others are optional). */
export const REQUIRED: Record<EntityKind, readonly string[]> = {
  users: ['id'],
  items: ['id'],
  interactions: ['user', 'item'],
  friendships: ['a', 'b'],
};

export interface SourceSpec {
  kind: EntityKind;
  /** Absolute path. */
  file: string;
  format: SourceFormat;
  /** field → column name in the file. */
  columns: Record<string, string>;
  /** Columns copied into the node's `attributes` JSON (users, items). */
  attributes: string[];
  /** Splits the tags column (items); default `|`. */
  tagSeparator: string;
  /** Event type when the file has no type column or the cell is empty (interactions). */
  defaultType: string | null;
  /** `friend` (FRIEND, once per unordered pair) or `follow` (FOLLOWS, directed), when the file has no kind column. */
  defaultKind: 'friend' | 'follow';
}

export interface Manifest {
  /** Prepended to every id (a namespace such as `shop:`); '' by default. */
  idPrefix: string;
  sources: SourceSpec[];
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const FORMATS: Record<string, SourceFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };
const KEYS = new Set(['file', 'format', 'columns', 'attributes', 'tagSeparator', 'defaultType', 'defaultKind']);

/** A manifest file (YAML): `idPrefix`, then one section per kind with `file` and optional mapping. */
export function loadManifest(path: string): Manifest {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ManifestError(`manifest ${path} does not exist`);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new ManifestError(`manifest ${path} is not valid YAML: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ManifestError(`manifest ${path}: expected a mapping at the top`);
  const top = doc as Record<string, unknown>;
  const unknown = Object.keys(top).filter((k) => k !== 'idPrefix' && !ENTITY_KINDS.includes(k as EntityKind));
  if (unknown.length)
    throw new ManifestError(`manifest ${path}: unknown key(s) ${unknown.join(', ')} (want idPrefix, ${ENTITY_KINDS.join(', ')})`);
  const sources = ENTITY_KINDS.filter((k) => top[k] !== undefined).map((k) =>
    sourceSpec(k, top[k], dirname(abs), `manifest ${path}: ${k}`),
  );
  return manifest(typeof top.idPrefix === 'string' ? top.idPrefix : '', sources, path);
}

/** The `--users/--items/--interactions/--friendships` flags: default column names, format by extension. */
export function manifestFromFiles(files: Partial<Record<EntityKind, string>>, idPrefix = '', defaultType: string | null = null): Manifest {
  const sources = ENTITY_KINDS.filter((k) => files[k]).map((k) =>
    sourceSpec(k, { file: files[k], ...(k === 'interactions' && defaultType ? { defaultType } : {}) }, process.cwd(), `--${k}`),
  );
  return manifest(idPrefix, sources, 'the flags');
}

function manifest(idPrefix: string, sources: SourceSpec[], where: string): Manifest {
  if (!sources.length) throw new ManifestError(`${where}: name at least one of ${ENTITY_KINDS.join(', ')}`);
  if (idPrefix && !/^[^\u0000-\u001f\u007f\s]{1,64}$/.test(idPrefix))
    throw new ManifestError(`${where}: idPrefix must be 1..64 printable characters without spaces`);
  return { idPrefix, sources };
}

function sourceSpec(kind: EntityKind, raw: unknown, base: string, where: string): SourceSpec {
  const spec = (typeof raw === 'string' ? { file: raw } : raw) as Record<string, unknown>;
  if (!spec || typeof spec !== 'object' || typeof spec.file !== 'string') throw new ManifestError(`${where}: needs a file`);
  const extra = Object.keys(spec).filter((k) => !KEYS.has(k));
  if (extra.length) throw new ManifestError(`${where}: unknown key(s) ${extra.join(', ')} (want ${[...KEYS].join(', ')})`);
  const file = resolve(base, spec.file);
  if (!existsSync(file)) throw new ManifestError(`${where}: file ${spec.file} does not exist`);
  const format = (spec.format as SourceFormat | undefined) ?? FORMATS[extname(file).toLowerCase()];
  if (!format || !['csv', 'tsv', 'jsonl'].includes(format))
    throw new ManifestError(`${where}: cannot tell the format of ${spec.file}: name it .csv, .tsv or .jsonl, or set format: csv|tsv|jsonl`);
  const mapped = (spec.columns ?? {}) as Record<string, unknown>;
  const fields = FIELDS[kind] as Record<string, string>;
  const badField = Object.keys(mapped).filter((f) => !(f in fields) || typeof mapped[f] !== 'string');
  if (badField.length)
    throw new ManifestError(
      `${where}: columns maps unknown field(s) ${badField.join(', ')} (${kind} has ${Object.keys(fields).join(', ')})`,
    );
  const attributes = spec.attributes ?? [];
  if (
    !Array.isArray(attributes) ||
    attributes.some((a) => typeof a !== 'string') ||
    (attributes.length && kind !== 'users' && kind !== 'items')
  )
    throw new ManifestError(`${where}: attributes must be a list of column names (users and items only)`);
  const defaultKind = spec.defaultKind ?? 'friend';
  if (defaultKind !== 'friend' && defaultKind !== 'follow') throw new ManifestError(`${where}: defaultKind must be friend or follow`);
  return {
    kind,
    file,
    format,
    columns: { ...fields, ...(mapped as Record<string, string>) },
    attributes: attributes as string[],
    tagSeparator: typeof spec.tagSeparator === 'string' && spec.tagSeparator ? spec.tagSeparator : '|',
    defaultType: typeof spec.defaultType === 'string' ? spec.defaultType : null,
    defaultKind,
  };
}
