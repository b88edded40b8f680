import { ARRAY_DELIMITER, CsvOut } from './csv-out';
import { addEvent, finishPair, newPair, PairEdge } from './pairs';
import { readPartition } from './spill';

/** The INTERACTED file's header; the merged parts follow it without one (one neo4j-admin group). */
export const INTERACTED_HEADER =
  ':START_ID(User),:END_ID(Item),count:long,weight:double,types:string[],type,firstTs:long,lastTs:long,rk:double';

/** One spill partition to merge: its event lines in, the INTERACTED rows of its pairs out. */
export interface MergeTask {
  input: string;
  output: string;
}

/**
 * Merges one spill partition (lines `user \t item \t chunk \t type \t weight \t ts`, node numbers, file order) into one INTERACTED
 * row per pair, as the transactional importer leaves the edge (pairs.ts); deletes the input. A pair seen once
 * (most of them) is written from its line without building its state. Returns the rows written.
 */
export function mergePartitionFile(task: MergeTask): number {
  const pairs = new Map<string, string | PairEdge>();
  for (const line of readPartition(task.input)) {
    const key = line.slice(0, line.indexOf('\t', line.indexOf('\t') + 1));
    const prev = pairs.get(key);
    if (prev === undefined) pairs.set(key, line);
    else if (typeof prev === 'string') {
      const p = newPair('', '');
      add(p, prev);
      add(p, line);
      pairs.set(key, p);
    } else add(prev, line);
  }
  const out = new CsvOut(task.output, null);
  for (const [key, v] of pairs) {
    const ends = key.replace('\t', ',');
    if (typeof v === 'string') {
      const [, , , type, w, ts] = v.split('\t');
      out.line(`${ends},1,${w},${type},${type},${ts},${ts},${Math.random()}`);
    } else {
      const p = finishPair(v);
      const ts = (t: number | null) => (t === null ? '' : String(t));
      out.line(
        `${ends},${p.count},${p.weight},${p.types.join(ARRAY_DELIMITER)},${p.type ?? ''},${ts(p.firstTs)},${ts(p.lastTs)},${Math.random()}`,
      );
    }
  }
  out.close();
  return out.rows;
}

function add(p: PairEdge, line: string): void {
  const [, , ck, type, w, ts] = line.split('\t');
  addEvent(p, Number(ck), type, Number(w), ts === '' ? null : Number(ts));
}
