import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config/config.schema';
import { parseEventWeights } from '../../event-weights';
import { DATASET_NAMES, DatasetInvalidError } from '../dataset';
import { DATASET_EVENT_TYPE, DATASET_FORMATS, detectFormat, parseDataset } from './registry';

/** A temp folder holding these files (subfolders created). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tg-formats-'));
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), body);
  }
  return dir;
}

const socialSplit = {
  'userReindex.json': '{"1": 0, "2": 1, "5": 2}',
  'itemReindex.json': '{"10": 0, "11": 1, "12": 2}',
  'train_set.txt': 'user,item\n0,0\n0,0\n0,1\n1,2\n2,2\n',
  'test_set.txt': 'user,item\n0,1\n1,0\n',
  'trust.txt': 'user,friend\n0,1\n1,0\n2,0\n',
};
const ciao = (over: Record<string, string> = {}) => folder({ ...socialSplit, ...over });
const hetrecFiles = {
  'artists.dat': 'id\tname\turl\tpictureURL\n10\tA\thttp://a\thttp://a.jpg\n',
  'tags.dat': 'tagID\ttagValue\n1\trock\n',
  'user_taggedartists.dat': 'userID\tartistID\ttagID\tday\tmonth\tyear\n1\t10\t1\t1\t1\t2008\n',
  'user_artists.dat': 'userID\tartistID\tweight\n1\t10\t5\n',
  'user_friends.dat': 'userID\tfriendID\n1\t2\n',
};
const gowalla = {
  'user_list.txt': 'org_id remap_id\n343 0\n',
  'item_list.txt': 'org_id remap_id\n8975 0\n',
  'train.txt': '0 0\n',
  'valid.txt': '',
  'test.txt': '',
};
const synthetic = { 'synthetic.json': '{}', 'users.tsv': '', 'items.tsv': '', 'interactions.tsv': '', 'friends.tsv': '' };

describe('dataset format registry', () => {
  it('lists every dataset name once, in the CLI order, each with an event type', () => {
    expect(DATASET_FORMATS.map((f) => f.name)).toEqual(DATASET_NAMES);
    expect(DATASET_EVENT_TYPE).toEqual({ lastfm: 'PLAY', hetrec: 'PLAY', ciao: 'RATING', gowalla: 'VIEW', synthetic: 'PLAY' });
  });

  it('gives every format an event type of the default INGEST_EVENT_WEIGHTS', () => {
    const weights = parseEventWeights(loadConfig({}).INGEST_EVENT_WEIGHTS);
    for (const f of DATASET_FORMATS) expect([f.name, weights.has(f.eventType)]).toEqual([f.name, true]);
  });

  it('detects each format from its files alone', () => {
    expect(detectFormat(ciao())).toBe('ciao');
    expect(detectFormat(folder({ ...socialSplit, 'raw/artists.dat': '', 'raw/user_artists.dat': '' }))).toBe('lastfm');
    expect(detectFormat(folder(gowalla))).toBe('gowalla');
    expect(detectFormat(folder(hetrecFiles))).toBe('hetrec');
    expect(detectFormat(folder(synthetic))).toBe('synthetic');
  });

  it('takes a lastfm folder without its raw/ files for ciao (the split files are the same)', () => {
    expect(detectFormat(folder({ ...socialSplit, 'raw/artists.dat': '' }))).toBe('ciao');
  });

  it('checks --dataset against the files, naming the missing ones', () => {
    expect(detectFormat(ciao(), 'ciao')).toBe('ciao');
    expect(() => detectFormat(ciao(), 'gowalla')).toThrow(
      /not a gowalla dataset folder: missing train.txt, valid.txt, test.txt, user_list.txt, item_list.txt$/,
    );
    expect(() => detectFormat(ciao(), 'lastfm')).toThrow(/not a lastfm dataset folder: missing raw\/artists.dat, raw\/user_artists.dat$/);
  });

  it('says why a folder matches nothing', () => {
    expect(() => detectFormat(join(tmpdir(), 'tg-formats-none', 'x'))).toThrow(/^dataset folder .* does not exist$/);
    expect(() => detectFormat(folder({ 'x.txt': '' }))).toThrow(
      /cannot tell the dataset format .*: expected the files of one of lastfm \(train_set.txt, .*\); ciao \(.*\); gowalla \(.*\); hetrec \(.*\); synthetic \(.*\)$/,
    );
    const { 'users.tsv': _u, 'items.tsv': _i, ...partial } = synthetic;
    expect(() => detectFormat(folder(partial))).toThrow(
      /has synthetic.json but is not a complete synthetic dataset folder: missing users.tsv, items.tsv$/,
    );
  });

  it('collects every bad line with file:line, up to 50', () => {
    const bad = 'user,item\n' + Array.from({ length: 60 }, () => 'x,0').join('\n') + '\n';
    try {
      parseDataset(ciao({ 'train_set.txt': bad, 'test_set.txt': 'user,item\n0,9\n0\n' }), 'ciao');
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(DatasetInvalidError);
      const e = err as DatasetInvalidError;
      expect(e.total).toBe(62);
      expect(e.problems).toHaveLength(50);
      expect(e.problems[0]).toEqual({ file: 'train_set.txt', line: 2, message: 'user: expected a non-negative integer, got "x"' });
      expect(e.message).toMatch(/and 12 more/);
    }
  });

  it('ciao: duplicate rows merge (count and weight add up), a pair in train and test is train, trust once per unordered pair', () => {
    const ds = parseDataset(ciao(), 'ciao');
    expect(ds.users).toEqual(['ciao:u1', 'ciao:u2', 'ciao:u5']);
    const edge = (u: string, i: string) => ds.interactions.find((r) => r.u === u && r.i === i);
    expect(edge('ciao:u1', 'ciao:i10')).toEqual({ u: 'ciao:u1', i: 'ciao:i10', t: 'RATING', w: 2, c: 2, s: 'train' });
    expect(edge('ciao:u1', 'ciao:i11')).toMatchObject({ c: 2, s: 'train' });
    expect(edge('ciao:u2', 'ciao:i10')).toMatchObject({ c: 1, s: 'test' });
    expect(ds.interactions).toHaveLength(5);
    expect(ds.friendships).toEqual([
      { lo: 'ciao:u1', hi: 'ciao:u2' },
      { lo: 'ciao:u1', hi: 'ciao:u5' },
    ]);
  });
});
