/**
 * The general importer's command line (docs/importing.md), reached through `npm run import` with
 * --manifest or --users/--items/--interactions/--friendships instead of a dataset folder.
 */
import { Presets, SingleBar } from 'cli-progress';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { appCypherRegistry } from '../app.cypher-keys';
import { fromRoot } from '../common/repo-root';
import { loadConfig } from '../config/config.schema';
import { Neo4jClient } from '../graph/neo4j.client';
import { parseEventWeights } from '../ingestion/event-weights';
import { DatasetInvalidError } from '../ingestion/importer/dataset';
import { EntityKind, loadManifest, ManifestError, manifestFromFiles } from '../ingestion/importer/own/manifest';
import {
  MAX_BAD_ROWS_DEFAULT,
  OwnImportAbortedError,
  OwnImporter,
  OwnImportOptions,
  OwnImportSummary,
} from '../ingestion/importer/own/own-importer';
import { BulkLoader, BulkLoadRepository, BulkLoadSummary, BulkNotEmptyError } from '../ingestion/importer/own/bulk/bulk-loader';
import { LocalNeo4j } from '../ingestion/importer/own/bulk/local-neo4j';
import { BulkCounts } from '../ingestion/importer/own/bulk/bulk-csv';
import { OwnImportRepository } from '../ingestion/importer/own/own-import.repository';
import { DEFAULT_LIMITS } from '../ingestion/importer/own/sources';

export const OWN_FLAGS = {
  manifest: { type: 'string' },
  users: { type: 'string' },
  items: { type: 'string' },
  interactions: { type: 'string' },
  friendships: { type: 'string' },
  'default-type': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'skip-bad-rows': { type: 'boolean' },
  'rejects-dir': { type: 'string' },
  'max-bad-rows': { type: 'string' },
  'max-file-bytes': { type: 'string' },
  'max-rows': { type: 'string' },
  train: { type: 'string' },
  api: { type: 'string' },
  bulk: { type: 'boolean' },
  'bulk-dir': { type: 'string' },
  'keep-bulk-files': { type: 'boolean' },
  'bulk-prepare': { type: 'boolean' },
  'bulk-mount': { type: 'string' },
  'bulk-finish': { type: 'boolean' },
  'bulk-report': { type: 'string' },
} as const;

export const OWN_USAGE =
  'usage: npm run import -- (--manifest import.yaml | --users F --items F --interactions F --friendships F) [--default-type VIEW]\n' +
  '         [--dry-run] [--skip-bad-rows [--rejects-dir var/import/rejects] [--max-bad-rows 100000]] [--id-prefix P]\n' +
  '         [--max-file-bytes 4294967296] [--max-rows 50000000] [--checkpoint-dir var/import] [--json]\n' +
  '         [--train LIGHTGCN|SOCIALGCN|... [--api http://127.0.0.1:3000]]  queue the first training (ADMIN_TOKEN) once imported\n' +
  '         [--bulk [--bulk-dir var/import] [--keep-bulk-files]]  first load into an EMPTY local Neo4j with neo4j-admin\n' +
  '           (stops and restarts it; refuses when the database holds any node)\n' +
  '         [--bulk-prepare --bulk-dir D [--bulk-mount /bulk]] | [--bulk-finish --bulk-dir D]  the same in steps (Docker: docs/importing.md)\n' +
  '  CSV, TSV or JSON Lines by extension; columns by name (docs/importing.md). Bad rows: nothing is written and\n' +
  '  each is listed as file:line; --skip-bad-rows imports the others and writes <file>.rejects.csv.\n';

export const usesOwnImporter = (v: Record<string, unknown>): boolean =>
  ['manifest', 'users', 'items', 'interactions', 'friendships', 'bulk-finish'].some((k) => v[k] !== undefined);

export function formatOwnSummary(s: OwnImportSummary | BulkLoadSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  // one line per file (with its write time when the chunked write pass wrote it), then the rejected rows
  const files = [
    ...s.files.map(
      (f) =>
        `  ${f.kind.padEnd(12)} ${basename(f.file)}: ${n(f.rows)} rows, ${n(f.bad)} bad, ${n(f.duplicates)} repeated` +
        (s.writePhaseSeconds[f.kind] !== undefined ? `, written in ${s.writePhaseSeconds[f.kind]!.toFixed(1)} s` : ''),
    ),
    ...(s.rejects.length ? [`  rejected rows (line, reason, row): ${s.rejects.join(', ')}`] : []),
  ];
  if ('bulk' in s && !s.dryRun) {
    const t = s.seconds;
    return [
      `bulk-loaded in ${t.total.toFixed(1)} s (validate ${t.validate.toFixed(1)} s, CSV files ${t.csv.toFixed(1)} s, Neo4j offline ${t.offline.toFixed(1)} s of which neo4j-admin ${t.adminImport.toFixed(1)} s, schema + counts ${t.schema.toFixed(1)} s): ${n(Math.round(s.eventsPerSecond))} interactions/s`,
      ...files,
      `  in the graph: users ${n(s.counts.users)}, items ${n(s.counts.items)}, interaction edges ${n(s.counts.interactions)} (${n(s.counts.events)} events), friendships ${n(s.counts.friendships)}, follows ${n(s.counts.follows)}, import chunks claimed ${n(s.counts.chunks)}`,
      ...(s.counts.edgesWithoutUser
        ? [`  note: ${n(s.counts.edgesWithoutUser)} friend/follow row(s) name a user in no file: not loaded`]
        : []),
    ].join('\n');
  }
  return [
    s.dryRun
      ? `dry run: every file validated in ${s.validateSeconds.toFixed(1)} s, nothing written`
      : `imported in ${(s.validateSeconds + s.writeSeconds).toFixed(1)} s (validate ${s.validateSeconds.toFixed(1)} s, write ${s.writeSeconds.toFixed(1)} s, ${n(Math.round(s.eventsPerSecond))} interactions/s)${s.resumedChunks ? `, resumed past ${s.resumedChunks} committed chunk(s)` : ''}`,
    ...files,
    ...(s.dryRun
      ? []
      : [
          `  written: users ${n(s.written.users)}, items ${n(s.written.items)} (created or changed), interaction edges changed ${n(s.written.edgesChanged)}, friendships ${n(s.written.friendships)}, follows ${n(s.written.follows)} created`,
        ]),
  ].join('\n');
}

const positive = (v: string | undefined, name: string, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new ManifestError(`${name} must be a positive integer`);
  return Number(v);
};

/** Runs the general importer; sets process.exitCode (0 done, 1 invalid input or database error, 2 bad arguments, 130 interrupted). */
export async function runOwnImport(values: Record<string, string | boolean | undefined>): Promise<void> {
  const config = loadConfig();
  let client: Neo4jClient | null = null;
  const bar = new SingleBar(
    { format: ' {phase} [{bar}] {percentage}% {file} {eta_formatted} left', stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let barOn = false;
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  try {
    const str = (k: string) => values[k] as string | undefined;
    if (values['bulk-finish']) {
      if (!str('bulk-dir')) throw new ManifestError('--bulk-finish needs --bulk-dir (the folder --bulk-prepare wrote)');
      client = new Neo4jClient(config, appCypherRegistry());
      const counts = JSON.parse(readFileSync(join(resolve(str('bulk-dir')!), 'bulk.json'), 'utf8')) as BulkCounts;
      const seconds = { validate: 0, csv: 0, offline: 0, adminImport: 0, schema: 0, total: 0 };
      await new BulkLoader(new OwnImporter(new OwnImportRepository(client)), new BulkLoadRepository(client), null).finish(counts, seconds);
      process.stdout.write(
        `bulk load verified in ${seconds.schema.toFixed(1)} s (schema applied, counts as written): ${JSON.stringify(counts)}\n`,
      );
      return;
    }
    const manifest = str('manifest')
      ? loadManifest(str('manifest')!)
      : manifestFromFiles(
          Object.fromEntries((['users', 'items', 'interactions', 'friendships'] as EntityKind[]).map((k) => [k, str(k)])),
          str('id-prefix') ?? '',
          str('default-type') ?? null,
        );
    if (str('id-prefix') !== undefined) manifest.idPrefix = str('id-prefix')!;
    const limits = {
      ...DEFAULT_LIMITS,
      maxFileBytes: positive(str('max-file-bytes'), '--max-file-bytes', DEFAULT_LIMITS.maxFileBytes),
      maxRows: positive(str('max-rows'), '--max-rows', DEFAULT_LIMITS.maxRows),
    };
    client = new Neo4jClient(config, appCypherRegistry());
    const importer = new OwnImporter(new OwnImportRepository(client));
    const opts = {
      manifest,
      ctx: {
        idPrefix: manifest.idPrefix,
        eventWeights: parseEventWeights(config.INGEST_EVENT_WEIGHTS),
        maxTs: Date.now() + config.INGEST_MAX_FUTURE_S * 1000,
      },
      limits,
      dryRun: values['dry-run'] === true,
      skipBadRows: values['skip-bad-rows'] === true,
      maxBadRows: positive(str('max-bad-rows'), '--max-bad-rows', MAX_BAD_ROWS_DEFAULT),
      rejectsDir: resolve(str('rejects-dir') ?? fromRoot('var/import/rejects')),
      checkpointDir: str('checkpoint-dir') ? resolve(str('checkpoint-dir')!) : fromRoot('var/import'),
      target: `${config.NEO4J_URI}/${config.NEO4J_DATABASE}`,
      signal: abort.signal,
      onFile: (kind: EntityKind, pass: string, file: string, bytes: number) => {
        if (barOn) bar.stop();
        bar.start(Math.max(1, bytes), 0, { phase: `${pass} ${kind}`.padEnd(21), file: basename(file) });
        barOn = true;
      },
      onBytes: (read: number) => bar.update(read),
    } satisfies OwnImportOptions;
    const step = (name: string, total: number) => {
      if (barOn) bar.stop();
      bar.start(Math.max(1, total), 0, { phase: name.padEnd(21), file: '' });
      barOn = true;
    };
    const bulkDir = resolve(str('bulk-dir') ?? fromRoot('var/import'));
    if (values['bulk-prepare']) {
      if (!str('bulk-dir')) throw new ManifestError('--bulk-prepare needs --bulk-dir (the folder neo4j-admin reads)');
      mkdirSync(bulkDir, { recursive: true });
      const mount = str('bulk-mount') ?? bulkDir;
      const { out } = await new BulkLoader(importer, new BulkLoadRepository(client), null).prepare(
        { ...opts, database: config.NEO4J_DATABASE, workDir: bulkDir, onStep: step, onUnits: (n) => bar.update(n) },
        { dir: bulkDir, mountedAt: mount, reportFile: str('bulk-report') ?? join(mount, 'import.report') },
      );
      if (barOn) bar.stop();
      const what = `CSV files, neo4j-admin.args and bulk.json in ${bulkDir} (${out.seconds.total.toFixed(1)} s): ${JSON.stringify(out.counts)}`;
      process.stdout.write(`${values.json ? JSON.stringify(out) : what}\n`);
      return;
    }
    const summary = values.bulk
      ? await new BulkLoader(importer, new BulkLoadRepository(client), new LocalNeo4j(config.NEO4J_URI)).run({
          ...opts,
          database: config.NEO4J_DATABASE,
          workDir: bulkDir,
          keepFiles: values['keep-bulk-files'] === true,
          onKept: (dir) => process.stderr.write(`CSV files kept in ${dir}\n`),
          onStep: step,
          onUnits: (n) => bar.update(n),
        })
      : await importer.run(opts);
    if (barOn) bar.stop();
    process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${formatOwnSummary(summary)}\n`);
    if (str('train') && !summary.dryRun) {
      const run = await startTraining(str('api') ?? `http://127.0.0.1:${config.PORT}`, str('train')!, config.ADMIN_TOKEN);
      process.stdout.write(`training queued: run ${run.id} (${run.status}); follow it with trainingRun(id: "${run.id}")\n`);
    }
  } catch (err) {
    if (barOn) bar.stop();
    if (err instanceof ManifestError) {
      process.stderr.write(`${err.message}\n${OWN_USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof DatasetInvalidError) {
      process.stderr.write(`${err.message.replace('dataset is invalid', 'the input is invalid')}\n`);
      process.exitCode = 1;
    } else if (err instanceof BulkNotEmptyError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    } else if (err instanceof OwnImportAbortedError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 130;
    } else {
      process.stderr.write(`import failed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  } finally {
    await client?.onApplicationShutdown();
  }
}

/** Queues a training run through the API's startRetraining (the API validates and single-flights it). */
async function startTraining(api: string, model: string, adminToken: string | undefined): Promise<{ id: string; status: string }> {
  if (!adminToken) throw new Error("--train needs ADMIN_TOKEN (the API's admin bearer token)");
  const res = await fetch(`${api.replace(/\/$/, '')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query: `mutation($m: ModelKind!) { startRetraining(model: $m) { id status } }`, variables: { m: model } }),
  });
  const body = (await res.json()) as { data?: { startRetraining: { id: string; status: string } }; errors?: Array<{ message: string }> };
  if (!body.data) throw new Error(`startRetraining at ${api}: ${body.errors?.map((e) => e.message).join('; ') ?? res.status}`);
  return body.data.startRetraining;
}
