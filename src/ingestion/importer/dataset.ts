/** What the bulk importer writes: plain rows, already validated, ids namespaced by dataset. */
export type DatasetName = 'lastfm' | 'ciao' | 'gowalla' | 'hetrec' | 'synthetic';
export const DATASET_NAMES: readonly DatasetName[] = ['lastfm', 'ciao', 'gowalla', 'hetrec', 'synthetic'];

export interface ItemRow {
  id: string;
  title: string | null;
  tags: string[] | null;
}

/** One INTERACTED edge: type, weight, count of source rows, split (null when the dataset has none). */
export interface InteractionRow {
  u: string;
  i: string;
  t: string;
  w: number;
  c: number;
  s: 'train' | 'test' | null;
}

/** One FRIEND edge, lo < hi (string order). */
export interface FriendshipRow {
  lo: string;
  hi: string;
}

export interface Dataset {
  name: DatasetName;
  /** Id namespace, e.g. `lastfm:`; every node id of the dataset starts with it. */
  prefix: string;
  users: string[];
  items: ItemRow[];
  interactions: InteractionRow[];
  friendships: FriendshipRow[];
  /** What the parser merged or dropped on purpose (duplicate rows, reciprocal trust edges, ...). */
  notes: string[];
}

/** A malformed line: file (relative to the dataset folder), 1-based line, what is wrong. */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

export const PROBLEMS_SHOWN = 50;

/** The dataset failed validation: nothing was written. Lists up to 50 problems and the total. */
export class DatasetInvalidError extends Error {
  constructor(
    readonly problems: Problem[],
    readonly total: number,
  ) {
    super(
      `dataset is invalid (${total} problem(s); nothing was written):\n` +
        problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join('\n') +
        (total > problems.length ? `\n  ... and ${total - problems.length} more` : ''),
    );
    this.name = 'DatasetInvalidError';
  }
}

/** Collects problems while parsing; keeps the first 50 and counts the rest. */
export class Problems {
  readonly shown: Problem[] = [];
  total = 0;
  add(file: string, line: number, message: string): void {
    this.total += 1;
    if (this.shown.length < PROBLEMS_SHOWN) this.shown.push({ file, line, message });
  }
  throwIfAny(): void {
    if (this.total) throw new DatasetInvalidError(this.shown, this.total);
  }
}
