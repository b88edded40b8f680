import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventWeights } from '../../event-weights';
import { DatasetInvalidError } from '../dataset';
import { EntityKind, loadManifest, ManifestError, manifestFromFiles } from './manifest';
import { OwnImporter, OwnImportOptions } from './own-importer';
import { OwnImportRepository } from './own-import.repository';
import { DEFAULT_LIMITS } from './sources';

const ctx = { idPrefix: '', eventWeights: parseEventWeights('VIEW=1,LIKE=3,PLAY=1,RATING=value'), maxTs: Date.parse('2030-01-01') };

describe('the general importer, validation pass (dry run: nothing is written, no database needed)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'own-import-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  // A dry run never reaches the repository: a null one proves it.
  const importer = new OwnImporter(null as unknown as OwnImportRepository);
  const opts = (files: Partial<Record<EntityKind, string>>, extra: Partial<OwnImportOptions> = {}): OwnImportOptions => ({
    manifest: manifestFromFiles(files),
    ctx,
    limits: DEFAULT_LIMITS,
    dryRun: true,
    rejectsDir: join(dir, 'rejects'),
    checkpointDir: join(dir, 'checkpoints'),
    target: 'test',
    ...extra,
  });
  /** The problems of a dry run, as `file:line: message` lines. */
  async function problems(files: Partial<Record<EntityKind, string>>, extra: Partial<OwnImportOptions> = {}): Promise<string[]> {
    try {
      await importer.run(opts(files, extra));
      return [];
    } catch (err) {
      if (!(err instanceof DatasetInvalidError)) throw err;
      return err.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    }
  }

  it('accepts clean CSV, TSV and JSON Lines and counts rows, repeated ids and nothing bad', async () => {
    const users = file('users.csv', 'id,name\nu1,Ada\nu2,"Grace, H."\nu1,Ada\n');
    const items = file('items.tsv', 'id\ttitle\ttags\ni1\tKind of Blue\tjazz|modal\ni2\tOK Computer\trock\n');
    const events = file(
      'events.jsonl',
      '{"user":"u1","item":"i1","type":"like","timestamp":"2024-05-01T10:00:00Z"}\n{"user":"u2","item":"i2","type":"RATING","weight":4.5,"timestamp":1714557600}\n',
    );
    const friends = file('friends.csv', 'a,b,kind\nu1,u2,friend\nu2,u1,follow\n');
    const s = await importer.run(opts({ users, items, interactions: events, friendships: friends }));
    expect(s.files.map((f) => [f.kind, f.rows, f.bad, f.duplicates])).toEqual([
      ['users', 3, 0, 1],
      ['items', 2, 0, 0],
      ['interactions', 2, 0, 0],
      ['friendships', 2, 0, 0],
    ]);
    expect(s).toMatchObject({ dryRun: true, badRows: 0, written: { users: 0, events: 0 } });
  });

  it('a wrong header names the missing column and what the header has', async () => {
    const events = file('events.csv', 'customer,product,type\nu1,i1,VIEW\n');
    expect(await problems({ interactions: events })).toEqual([
      'events.csv:1: wrong header: no column "user", "item"; it has "customer", "product", "type"',
    ]);
  });

  it('a quote inside a quoted CSV field stops the file with its line (it used to end the process silently)', async () => {
    const users = file('quoted.csv', 'id,name\nu0,"User 0"\nu1,"two\nlines, "quoted""\nu2,x\n');
    expect(await problems({ users })).toEqual([
      'quoted.csv:4: not valid CSV: Invalid Closing Quote: got "q" at line 4 instead of delimiter, record delimiter, trimable character (if activated) or comment',
    ]);
  });

  it('bad encoding: the line of the first invalid byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,title\ni1,ok\ni2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(await problems({ items: file('items.csv', latin1) })).toEqual([
      'items.csv:3: not UTF-8 (an invalid byte sequence); convert the file, e.g. iconv -f latin1 -t utf-8',
    ]);
  });

  it('too many and too few columns, each by line; the other rows are still checked', async () => {
    const events = file('events.csv', 'user,item,type\nu1,i1,VIEW,extra\nu1\nu2,i2,VIEW\n');
    expect(await problems({ interactions: events })).toEqual([
      'events.csv:2: 4 columns, the header has 3 (too many)',
      'events.csv:3: 1 columns, the header has 3 (too few)',
    ]);
  });

  it('TSV, read line by line: CRLF endings, empty lines counted and skipped, a quote is text, each bad row by its line', async () => {
    const items = file('items.tsv', 'id\ttitle\r\ni1\t"Blue" 12" mix\r\n\r\ni2\tRed\textra\r\n\ni3\r\ni4\tGreen');
    expect(await problems({ items })).toEqual([
      'items.tsv:4: 3 columns, the header has 2 (too many)',
      'items.tsv:6: 1 columns, the header has 2 (too few)',
    ]);
    const s = await importer.run(opts({ items }, { skipBadRows: true }));
    expect(s.files[0]).toMatchObject({ rows: 2, bad: 2 }); // rows: those of the header's shape
    expect(readFileSync(s.rejects[0], 'utf8')).toBe(
      'line,reason,row\n4,"3 columns, the header has 2 (too many)","i2\tRed\textra"\n6,"1 columns, the header has 2 (too few)","i3"\n',
    );
    const long = file('long.tsv', `id\ttitle\ni1\t${'x'.repeat(200)}\n`);
    expect(await problems({ items: long }, { limits: { ...DEFAULT_LIMITS, maxRecordBytes: 100 } })).toEqual([
      'long.tsv:2: a line longer than 100 bytes (the limit per row)',
    ]);
  });

  it('an unknown event type, a timestamp that does not parse, a rating without its value', async () => {
    const events = file(
      'events.csv',
      'user,item,type,weight,timestamp\nu1,i1,WATCH,,\nu1,i2,VIEW,,last tuesday\nu1,i3,RATING,,\nu1,i4,VIEW,,2024-13-45\n',
    );
    expect(await problems({ interactions: events })).toEqual([
      'events.csv:2: unknown event type "WATCH"; INGEST_EVENT_WEIGHTS has VIEW, LIKE, PLAY, RATING',
      'events.csv:3: timestamp "last tuesday" does not parse (want ISO 8601 or epoch seconds/ms)',
      'events.csv:4: RATING needs a weight (column "weight"), e.g. the rating',
      'events.csv:5: timestamp "2024-13-45" does not parse (want ISO 8601 or epoch seconds/ms)',
    ]);
  });

  it('a duplicate id with conflicting fields names the first line; an identical repeat is merged', async () => {
    const items = file('items.csv', 'id,title\ni1,Blue\ni2,Red\ni1,Green\ni2,Red\n');
    expect(await problems({ items })).toEqual(['items.csv:4: duplicate id "i1" with conflicting fields (first at line 2)']);
  });

  it('events and edges must name users and items of the files imported with them', async () => {
    const users = file('users.csv', 'id\nu1\n');
    const events = file('events.csv', 'user,item,type\nu1,i1,\nu9,i1,VIEW\n');
    const friends = file('friends.csv', 'a,b\nu1,u9\nu1,u1\n');
    expect(await problems({ users, interactions: events, friendships: friends }, {})).toEqual([
      'events.csv:2: no event type (column "type" is empty and no defaultType); one of VIEW, LIKE, PLAY, RATING',
      'events.csv:3: unknown user id "u9" (not in users.csv)',
      'friends.csv:2: unknown user id "u9" (not in users.csv)',
      'friends.csv:3: a user cannot befriend or follow itself (u1)',
    ]);
  });

  it('a file over the size limit (a 10 GB file at the default 4 GiB) is refused before it is read; the row limit stops a file too', async () => {
    const events = file('events.csv', `user,item,type\n${'u1,i1,VIEW\n'.repeat(100)}`);
    expect(await problems({ interactions: events }, { limits: { ...DEFAULT_LIMITS, maxFileBytes: 1000 } })).toEqual([
      'events.csv:0: 1115 bytes is over the 1000 bytes limit per file (--max-file-bytes); split it',
    ]);
    expect(await problems({ interactions: events }, { limits: { ...DEFAULT_LIMITS, maxRows: 50 } })).toEqual([
      'events.csv:52: more than 50 rows (--max-rows); split the file',
    ]);
  });

  it('JSON Lines: a line that is not a JSON object is a bad row', async () => {
    const events = file('events.jsonl', '{"user":"u1","item":"i1","type":"VIEW"}\n[1,2]\n{"user": oops}\n');
    expect(await problems({ interactions: events })).toEqual([
      'events.jsonl:2: not a JSON object',
      expect.stringMatching(/^events\.jsonl:3: not JSON: /),
    ]);
  });

  it('skipBadRows: the good rows go on, the bad ones are written to <file>.rejects.csv with line and reason', async () => {
    const events = file('events.csv', 'user,item,type\nu1,i1,VIEW\nu1,i2,NOPE\nu2,i2,LIKE\n');
    const s = await importer.run(opts({ interactions: events }, { skipBadRows: true }));
    expect(s.badRows).toBe(1);
    expect(readFileSync(s.rejects[0], 'utf8')).toBe(
      'line,reason,row\n3,"unknown event type ""NOPE""; INGEST_EVENT_WEIGHTS has VIEW, LIKE, PLAY, RATING","u1,i2,NOPE"\n',
    );
    // Over the limit of bad rows, or a file that cannot be read at all, still stops everything.
    await expect(importer.run(opts({ interactions: events }, { skipBadRows: true, maxBadRows: 0 }))).rejects.toThrow(DatasetInvalidError);
  });

  it('the manifest maps columns by name, and refuses unknown keys and fields with a clear message', async () => {
    file('orders.tsv', 'customer\tsku\taction\twhen\nc1\ts1\tpurchase\t2024-01-02 10:00:00\n');
    const m = file(
      'import.yaml',
      'idPrefix: "shop:"\ninteractions:\n  file: orders.tsv\n  columns: { user: customer, item: sku, type: action, timestamp: when }\n',
    );
    const manifest = loadManifest(m);
    expect(manifest.sources[0]).toMatchObject({ kind: 'interactions', format: 'tsv', columns: { user: 'customer', item: 'sku' } });
    const s = await importer.run({
      ...opts({ interactions: join(dir, 'orders.tsv') }),
      manifest,
      ctx: { ...ctx, idPrefix: manifest.idPrefix, eventWeights: parseEventWeights('PURCHASE=5') },
    });
    expect(manifest.idPrefix).toBe('shop:');
    expect(s.files[0]).toMatchObject({ rows: 1, bad: 0 });
    expect(() => loadManifest(file('bad.yaml', 'interactions:\n  file: orders.tsv\n  columns: { customer: user }\n'))).toThrow(
      new ManifestError(
        `manifest ${join(dir, 'bad.yaml')}: interactions: columns maps unknown field(s) customer (interactions has user, item, type, weight, timestamp)`,
      ),
    );
    expect(() => loadManifest(file('bad2.yaml', 'events: x.csv\n'))).toThrow(/unknown key\(s\) events/);
    expect(() => loadManifest(file('bad3.yaml', 'items: missing.csv\n'))).toThrow(/file missing.csv does not exist/);
  });
});
