import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactCache, ArtifactBytesSource } from './artifact-cache';
import { REQUIRED_ARTIFACTS } from './artifacts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('ArtifactCache', () => {
  let root: string;
  const files = Object.fromEntries([...REQUIRED_ARTIFACTS, 'attention.csv'].map((n) => [n, `contents of ${n}`]));
  const checksums = Object.fromEntries(Object.entries(files).map(([n, c]) => [n, sha(c)]));
  /** The registry database: every file of v1 in pieces of 5 bytes, counting fetches. */
  let db: Map<string, string>;
  let fetches: string[];
  const source: ArtifactBytesSource = {
    readArtifact: async (id, name, onPiece) => {
      fetches.push(name);
      const c = db.get(`${id}/${name}`);
      if (c === undefined) return false;
      for (let i = 0; i < c.length; i += 5) await onPiece(Buffer.from(c.slice(i, i + 5)));
      return true;
    },
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'artifact-cache-'));
    db = new Map(Object.entries(files).map(([n, c]) => [`v1/${n}`, c]));
    fetches = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const version = (artifactDir: string) => ({ id: 'v1', artifactDir, checksums });

  it('loads from the run folder when it is on this host and intact, fetching nothing', async () => {
    const run = join(root, 'run');
    mkdirSync(run);
    for (const [n, c] of Object.entries(files)) writeFileSync(join(run, n), c);
    const cache = new ArtifactCache(join(root, 'cache'), source);
    expect(await cache.resolve(version(run))).toEqual({ dir: run, fetched: [] });
    expect(fetches).toEqual([]);
  });

  it('fetches every file of a version whose run folder is gone, then serves the next load from the cache', async () => {
    const cache = new ArtifactCache(join(root, 'cache'), source);
    const first = await cache.resolve(version('/no/such/run'));
    expect(first.dir).toBe(join(root, 'cache', 'v1'));
    expect(first.fetched.map((f) => f.name).sort()).toEqual(Object.keys(files).sort());
    for (const [n, c] of Object.entries(files)) expect(readFileSync(join(first.dir, n), 'utf8')).toBe(c);
    fetches = [];
    expect(await cache.resolve(version('/no/such/run'))).toEqual({ dir: first.dir, fetched: [] });
    expect(fetches).toEqual([]);
  });

  it('fetches again only a cached file that was altered on disk', async () => {
    const cache = new ArtifactCache(join(root, 'cache'), source);
    await cache.resolve(version('/no/such/run'));
    writeFileSync(join(root, 'cache', 'v1', 'items.tsv'), 'tampered');
    fetches = [];
    const again = await cache.resolve(version('/no/such/run'));
    expect(again.fetched.map((f) => f.name)).toEqual(['items.tsv']);
    expect(readFileSync(join(again.dir, 'items.tsv'), 'utf8')).toBe(files['items.tsv']);
  });

  it('refuses bytes from the registry that fail the sha256, writing nothing under the name', async () => {
    db.set('v1/scorer.onnx', 'corrupt');
    const cache = new ArtifactCache(join(root, 'cache'), source);
    await expect(cache.resolve(version('/no/such/run'))).rejects.toMatchObject({
      reason: 'BAD_ARTIFACT',
      message: expect.stringMatching(/^artefact scorer\.onnx of version v1 from the registry database fails its checksum/),
    });
    expect(existsSync(join(root, 'cache', 'v1', 'scorer.onnx'))).toBe(false);
    expect(readdirSync(join(root, 'cache', 'v1')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes nothing under the name when the registry fails halfway through a file', async () => {
    const failing: ArtifactBytesSource = {
      readArtifact: async (_id, _name, onPiece) => {
        await onPiece(Buffer.from('first piece'));
        throw new Error('connection lost');
      },
    };
    const cache = new ArtifactCache(join(root, 'cache'), failing);
    await expect(cache.resolve(version('/no/such/run'))).rejects.toThrow('connection lost');
    expect(readdirSync(join(root, 'cache', 'v1'))).toEqual([]);
  });

  it('says a file is unavailable when neither the run folder nor the registry has it', async () => {
    db.delete('v1/encoder.onnx');
    const cache = new ArtifactCache(join(root, 'cache'), source);
    await expect(cache.resolve(version('/no/such/run'))).rejects.toMatchObject({
      reason: 'ARTIFACT_UNAVAILABLE',
      message: 'artefact encoder.onnx of version v1 is neither in its run folder /no/such/run nor in the registry database',
    });
  });

  it('refuses a version missing a required checksum, and ids or names that could leave the cache folder', async () => {
    const cache = new ArtifactCache(join(root, 'cache'), source);
    const { 'users.tsv': _users, ...partial } = checksums;
    await expect(cache.resolve({ id: 'v1', artifactDir: '/x', checksums: partial })).rejects.toMatchObject({
      message: 'artefact users.tsv of version v1 has no recorded checksum',
    });
    await expect(cache.resolve({ id: '../v1', artifactDir: '/x', checksums })).rejects.toMatchObject({ reason: 'BAD_ARTIFACT' });
    await expect(
      cache.resolve({ id: 'v1', artifactDir: '/x', checksums: { ...checksums, '../../etc/x': sha('x') } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/is not a plain file name/),
    });
  });

  it('prunes the cached versions it is told not to keep, and nothing else', async () => {
    const cache = new ArtifactCache(join(root, 'cache'), source);
    expect(await cache.prune(() => false)).toEqual([]); // no cache folder yet
    await cache.resolve(version('/no/such/run'));
    db = new Map(Object.entries(files).map(([n, c]) => [`v2/${n}`, c]));
    await cache.resolve({ id: 'v2', artifactDir: '/no/such/run', checksums });
    expect(await cache.prune((id) => id === 'v2')).toEqual(['v1']);
    expect([existsSync(join(root, 'cache', 'v1')), existsSync(join(root, 'cache', 'v2'))]).toEqual([false, true]);
  });
});
