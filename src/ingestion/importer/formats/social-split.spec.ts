import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Problems } from '../dataset';
import { readSplitIds, readSplitInteractions, readTrust } from './social-split';

/** A temp folder holding a SocialLGN split, with these files replaced. */
function split(over: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tg-split-'));
  const files = {
    'userReindex.json': '{"7": 0, "3": 1, "9": 2}',
    'itemReindex.json': '{"40": 0, "41": 1}',
    'train_set.txt': 'user,item\n0,0\n1,1\n0,0\n',
    'test_set.txt': 'user,item\n0,1\n1,1\n',
    'trust.txt': 'user,friend\n0,1\n1,0\n2,1\n',
    ...over,
  };
  for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
  return dir;
}

const read = (dir: string, weightOf: (u: string, i: string) => number = () => 1) => {
  const problems = new Problems();
  const ids = readSplitIds(dir, problems);
  const merger = readSplitInteractions(dir, ids, 'x:', 'PLAY', weightOf, problems);
  const friends = readTrust(dir, ids.users, 'x:', problems);
  return { ids, merger, friends, problems };
};

describe('SocialLGN split reader (lastfm and ciao)', () => {
  it('maps indices to raw ids through the reindex files', () => {
    const { ids, problems } = read(split());
    expect(problems.total).toBe(0);
    expect(ids.users).toEqual(
      new Map([
        [0, '7'],
        [1, '3'],
        [2, '9'],
      ]),
    );
    expect(ids.items).toEqual(
      new Map([
        [0, '40'],
        [1, '41'],
      ]),
    );
  });

  it('merges a pair listed twice or in both files: counts and weights add up, train wins', () => {
    const seen: string[] = [];
    const { merger } = read(split(), (u, i) => {
      seen.push(`${u}/${i}`);
      return u === '7' ? 5 : 2;
    });
    expect(seen).toEqual(['7/40', '3/41', '7/40', '7/41', '3/41']);
    expect(merger.merged).toBe(2);
    expect(merger.rows()).toEqual([
      { u: 'x:u7', i: 'x:i40', t: 'PLAY', w: 10, c: 2, s: 'train' },
      { u: 'x:u3', i: 'x:i41', t: 'PLAY', w: 4, c: 2, s: 'train' },
      { u: 'x:u7', i: 'x:i41', t: 'PLAY', w: 5, c: 1, s: 'test' },
    ]);
  });

  it('stores directed trust once per unordered pair', () => {
    const { friends } = read(split());
    expect(friends.rowsSeen).toBe(3);
    expect(friends.rows()).toEqual([
      { lo: 'x:u3', hi: 'x:u7' },
      { lo: 'x:u3', hi: 'x:u9' },
    ]);
  });

  it('reports unknown indices, self-trust, bad rows and bad reindex entries with file:line', () => {
    const { problems, merger, friends } = read(
      split({
        'itemReindex.json': '{"40": 0, "41": 1, "x": 2}',
        'train_set.txt': 'user,item\n0,0\n5,1\n0,7\n1\n',
        'test_set.txt': 'user,iten\n0,1\n',
        'trust.txt': 'user,friend\n0,1\n2,2\n0,8\n',
      }),
    );
    expect(problems.shown).toEqual([
      { file: 'itemReindex.json', line: 1, message: 'bad entry "x": 2 (want "<raw id>": <non-negative integer>)' },
      { file: 'train_set.txt', line: 5, message: 'expected 2 ","-separated columns, got 1 (truncated or malformed line?)' },
      { file: 'train_set.txt', line: 3, message: 'user index 5 is not in userReindex.json' },
      { file: 'train_set.txt', line: 4, message: 'item index 7 is not in itemReindex.json' },
      { file: 'test_set.txt', line: 1, message: 'expected header "user,item", got "user,iten"' },
      { file: 'trust.txt', line: 3, message: 'self-friendship of user index 2' },
      { file: 'trust.txt', line: 4, message: 'friend index 8 is not in userReindex.json' },
    ]);
    expect(merger.rows()).toHaveLength(1);
    expect(friends.rows()).toEqual([{ lo: 'x:u3', hi: 'x:u7' }]);
  });

  it('reports a reindex file that is not a JSON object', () => {
    const { problems, ids } = read(split({ 'userReindex.json': '[1, 2]', 'itemReindex.json': '{' }));
    expect(problems.shown.slice(0, 2)).toEqual([
      { file: 'userReindex.json', line: 1, message: 'expected a JSON object {"<raw id>": <index>}' },
      { file: 'itemReindex.json', line: 1, message: expect.stringMatching(/^not valid JSON: /) },
    ]);
    expect(ids.users.size + ids.items.size).toBe(0);
  });
});
