import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetInvalidError } from './dataset';
import { detectFormat, limitUsers, parseDataset } from './parsers';

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tg-parse-'));
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), body);
  }
  return dir;
}

const ciao = (over: Record<string, string> = {}) =>
  folder({
    'userReindex.json': '{"1": 0, "2": 1, "5": 2}',
    'itemReindex.json': '{"10": 0, "11": 1, "12": 2}',
    'train_set.txt': 'user,item\n0,0\n0,0\n0,1\n1,2\n2,2\n',
    'test_set.txt': 'user,item\n0,1\n1,0\n',
    'trust.txt': 'user,friend\n0,1\n1,0\n2,0\n',
    ...over,
  });

describe('dataset parsers', () => {
  it('detects the format from the files', () => {
    expect(detectFormat(ciao())).toBe('ciao');
    expect(() => detectFormat(ciao(), 'gowalla')).toThrow(/not a gowalla dataset folder: missing train.txt/);
    expect(() => detectFormat(folder({ 'x.txt': '' }))).toThrow(/cannot tell the dataset format/);
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

  it('limits to the first N users with their edges', () => {
    const ds = limitUsers(parseDataset(ciao(), 'ciao'), 2);
    expect(ds.users).toEqual(['ciao:u1', 'ciao:u2']);
    expect(ds.friendships).toEqual([{ lo: 'ciao:u1', hi: 'ciao:u2' }]);
    expect(new Set(ds.interactions.map((r) => r.u))).toEqual(new Set(['ciao:u1', 'ciao:u2']));
    expect(ds.items.map((i) => i.id).sort()).toEqual(['ciao:i10', 'ciao:i11', 'ciao:i12']);
  });
});
