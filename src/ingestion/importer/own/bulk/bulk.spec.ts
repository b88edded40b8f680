import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergePartitions } from './merge-pool';
import { addEvent, finishPair, newPair } from './pairs';
import { pairHash, PARTITION_ROWS, Spill } from './spill';

// a fresh folder for each test's files
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tg-bulk-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('bulk load: spill partitions', () => {
  it('sizes partitions by PARTITION_ROWS; all lines of a key land in one partition, in the order added, and are read once', () => {
    const spill = new Spill(dir, 'events', 3 * PARTITION_ROWS - 1);
    expect(spill.partitions).toBe(3);
    const lines = Array.from({ length: 3000 }, (_, k) => ({ hash: pairHash(k % 37, k % 11), line: `${k % 37}\t${k % 11}\t${k}` }));
    for (const { hash, line } of lines) spill.add(hash, line);
    spill.close();
    const read = [0, 1, 2].map((p) => spill.read(p));
    expect(readdirSync(dir)).toEqual([]); // each partition file is deleted once read
    expect(read.flat().sort()).toEqual(lines.map((l) => l.line).sort());
    for (let p = 0; p < 3; p++) {
      expect(read[p].length).toBeGreaterThan(0);
      expect(read[p]).toEqual(lines.filter((l) => l.hash % 3 === p).map((l) => l.line));
    }
  });

  it('one partition for inputs up to PARTITION_ROWS', () => {
    const spill = new Spill(dir, 'edges', PARTITION_ROWS);
    expect(spill.partitions).toBe(1);
    spill.close();
    expect(spill.read(0)).toEqual([]);
  });
});

describe('bulk load: a pair replays the transactional importer (aggregateChunk, then import-own-events per chunk)', () => {
  it('sums weights, counts events, keeps first-seen types, and takes the type of the latest time', () => {
    const p = newPair('u', 'i');
    addEvent(p, 0, 'VIEW', 1, 2000);
    addEvent(p, 0, 'LIKE', 3, 1000);
    addEvent(p, 1, 'VIEW', 1, 3000);
    expect(finishPair(p)).toMatchObject({ count: 3, weight: 5, types: ['VIEW', 'LIKE'], type: 'VIEW', firstTs: 1000, lastTs: 3000 });
  });

  it('events without a time: inside a chunk the later row wins, across chunks the chunk with the later time wins', () => {
    // chunk 0: A at 10; chunk 1: B without a time, then C at 5. Inside chunk 1, C's time makes C its type and
    // its latest time 5; folding it, 5 < 10 keeps A (a single pass over the events would have said B).
    const p = newPair('u', 'i');
    addEvent(p, 0, 'LIKE', 3, 10);
    addEvent(p, 1, 'VIEW', 1, null);
    addEvent(p, 1, 'PLAY', 1, 5);
    expect(finishPair(p)).toMatchObject({ count: 3, weight: 5, types: ['LIKE', 'VIEW', 'PLAY'], type: 'LIKE', firstTs: 5, lastTs: 10 });
    // no time at all: the last row's type, no times
    const q = newPair('u', 'j');
    addEvent(q, 0, 'LIKE', 3, null);
    addEvent(q, 2, 'VIEW', 1, null);
    expect(finishPair(q)).toMatchObject({ count: 2, type: 'VIEW', firstTs: null, lastTs: null });
  });
});

describe('bulk load: merging spill partitions on threads', () => {
  it('one INTERACTED row per pair, a single event written as read, repeats folded as the pair state does; inputs deleted', async () => {
    const a = join(dir, 'a.spill');
    const b = join(dir, 'b.spill');
    writeFileSync(a, '0\t0\t0\tVIEW\t1\t2000\n0\t1\t0\tLIKE\t3\t\n0\t0\t0\tLIKE\t3\t1000\n0\t0\t1\tVIEW\t1\t3000\n');
    writeFileSync(b, '2\t3\t4\tRATING\t4.5\t1500\n');
    const rows: number[] = [];
    await mergePartitions(
      [
        { input: a, output: join(dir, 'a.csv') },
        { input: b, output: join(dir, 'b.csv') },
      ],
      (n) => rows.push(n),
    );
    expect(rows.sort()).toEqual([1, 2]);
    expect(existsSync(a) || existsSync(b)).toBe(false);
    const withoutRk = (f: string) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.replace(/,0\.\d+(e-\d+)?$/, ''));
    expect(withoutRk('a.csv')).toEqual(['0,0,3,5,VIEW\u001fLIKE,VIEW,1000,3000', '0,1,1,3,LIKE,LIKE,,']);
    expect(withoutRk('b.csv')).toEqual(['2,3,1,4.5,RATING,RATING,1500,1500']);
  });
});
