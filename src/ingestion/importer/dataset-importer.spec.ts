import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset } from './dataset';
import { DatasetImporter, limitUsers, OrderedCommits } from './dataset-importer';
import { ImportRepository } from './import.repository';

const ds: Dataset = {
  name: 'ciao',
  prefix: 'ciao:',
  users: ['ciao:u1', 'ciao:u2', 'ciao:u5'],
  items: ['ciao:i10', 'ciao:i11', 'ciao:i12', 'ciao:i13'].map((id) => ({ id, title: null, tags: null })),
  interactions: [
    { u: 'ciao:u1', i: 'ciao:i10', t: 'RATING', w: 2, c: 2, s: 'train' },
    { u: 'ciao:u2', i: 'ciao:i11', t: 'RATING', w: 1, c: 1, s: 'test' },
    { u: 'ciao:u5', i: 'ciao:i12', t: 'RATING', w: 1, c: 1, s: 'train' },
  ],
  friendships: [
    { lo: 'ciao:u1', hi: 'ciao:u2' },
    { lo: 'ciao:u1', hi: 'ciao:u5' },
  ],
  notes: ['n'],
};

describe('limitUsers', () => {
  it('keeps the first N users with their edges and the items those touch', () => {
    const out = limitUsers(ds, 2);
    expect(out.users).toEqual(['ciao:u1', 'ciao:u2']);
    expect(out.friendships).toEqual([{ lo: 'ciao:u1', hi: 'ciao:u2' }]);
    expect(out.interactions.map((r) => r.u)).toEqual(['ciao:u1', 'ciao:u2']);
    expect(out.items.map((i) => i.id)).toEqual(['ciao:i10', 'ciao:i11']);
    expect(out.notes).toEqual(['n', 'limited to the first 2 user(s)']);
  });
});

describe('OrderedCommits', () => {
  it('reports only the contiguous prefix of done batches, whatever order they finish in', () => {
    const seen: number[] = [];
    const c = new OrderedCommits(3, (k) => seen.push(k));
    c.done(4);
    expect(seen).toEqual([]); // batch 3 still in flight
    c.done(3);
    c.done(6);
    c.done(5);
    expect(seen).toEqual([5, 7]);
  });
});

describe('DatasetImporter writes', () => {
  // A SocialLGN-style folder: 4 users, 4 items, 8 train edges, 4 test edges (batch size 2: 4 + 2 edge batches).
  const folder = mkdtempSync(join(tmpdir(), 'tg-inflight-'));
  const files: Record<string, string> = {
    'user_list.txt': 'org_id remap_id\n10 0\n11 1\n12 2\n13 3\n',
    'item_list.txt': 'org_id remap_id\n20 0\n21 1\n22 2\n23 3\n',
    'train.txt': '0 0 1\n1 1 2\n2 2 3\n3 3 0\n',
    'valid.txt': '',
    'test.txt': '0 3\n1 0\n2 1\n3 2\n',
  };
  for (const [f, body] of Object.entries(files)) writeFileSync(join(folder, f), body);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** A repository whose interaction batches finish in reverse order of start while two are open. */
  function fakeRepo(existingEdges: number, fail?: number) {
    let open = 0;
    const log = { maxOpen: { interactions: 0, friendships: 0, users: 0, items: 0 } as Record<string, number>, batches: 0 };
    const zero = { users: 0, items: 0, interactions: existingEdges, train: 0, test: 0, unsplit: 0, friendships: 0 };
    const repo = {
      applySchema: async () => [],
      counts: async () => zero,
      writeBatch: async (phase: string) => {
        const n = log.batches++;
        open++;
        log.maxOpen[phase] = Math.max(log.maxOpen[phase], open);
        await new Promise((r) => setTimeout(r, n % 2 ? 1 : 15)); // even batches slower: odd ones commit first
        open--;
        if (n === fail) throw new Error(`batch ${n} failed`);
      },
    };
    return { repo: repo as unknown as ImportRepository, log };
  }

  it('keeps two CREATE batches in flight and one MERGE batch, and the checkpoint lets a resumed run finish', async () => {
    const checkpointDir = mkdtempSync(join(tmpdir(), 'tg-ck-'));
    const first = fakeRepo(0);
    const s = await new DatasetImporter(first.repo).run({ folder, batchSize: 2, checkpointDir, target: 't' });
    expect(s.createdEdges.interactions).toBe(true);
    expect(first.log.maxOpen.interactions).toBe(2);
    const merging = fakeRepo(8);
    await new DatasetImporter(merging.repo).run({ folder, batchSize: 2, checkpointDir, target: 't2', force: true });
    expect(merging.log.maxOpen.interactions).toBe(1);
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  it('a failed batch fails the run after the batch beside it ends; the checkpoint holds only the contiguous prefix', async () => {
    const checkpointDir = mkdtempSync(join(tmpdir(), 'tg-ck-'));
    // batches 0,1 users; 2,3 items; 4.. interactions: batch 6 (the third edge batch) fails
    const failing = fakeRepo(0, 6);
    await expect(new DatasetImporter(failing.repo).run({ folder, batchSize: 2, checkpointDir, target: 't' })).rejects.toThrow(
      'batch 6 failed',
    );
    const saved = JSON.parse(readFileSync(join(checkpointDir, readdirSync(checkpointDir)[0]), 'utf8'));
    expect(saved.done).toMatchObject({ users: 2, items: 2, interactions: 2 });
    expect(failing.log.batches).toBeLessThanOrEqual(8); // nothing started after the failure but the batch beside it
    rmSync(checkpointDir, { recursive: true, force: true });
  });
});
