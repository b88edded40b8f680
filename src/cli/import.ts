/**
 * Bulk import of a recommendation dataset into Neo4j.
 *
 *   npm run import -- <dataset folder> [--dataset lastfm|ciao|gowalla|hetrec|synthetic] [--batch 10000] [--limit-users N] [--force] [--id-prefix P] [--checkpoint-dir D] [--json]
 *
 * The format is detected from the folder's files (--dataset checks it). Every file is validated
 * before anything is written; bad lines are reported as file:line (up to 50) and nothing is written.
 * Writes are batched (one transaction per batch, nodes before edges, MERGE-based: idempotent), with
 * a checkpoint under var/import/ so a run killed midway resumes where it stopped.
 * Exit codes: 0 done, 1 invalid dataset or database error, 2 bad arguments, 130 interrupted.
 */
import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appCypherRegistry } from '../app.cypher-keys';
import { fromRoot } from '../common/repo-root';
import { loadConfig } from '../config/config.schema';
import { Neo4jClient } from '../graph/neo4j.client';
import { DATASET_NAMES, DatasetInvalidError, DatasetName } from '../ingestion/importer/dataset';
import { DatasetImporter, ImportAbortedError, ImportSummary } from '../ingestion/importer/dataset-importer';
import { ImportRepository } from '../ingestion/importer/import.repository';
import { OWN_FLAGS, OWN_USAGE, runOwnImport, usesOwnImporter } from './import-own';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    `usage: npm run import -- <dataset folder> [--dataset ${DATASET_NAMES.join('|')}] [--batch 10000] [--limit-users N] [--force] [--id-prefix P] [--json]\n` +
      '  --force       write even when the same import already completed and the graph still matches it\n' +
      '  --id-prefix   prepended to every id (side-by-side imports, tests)\n' +
      '  --checkpoint-dir  where progress and completion files go (default var/import)\n' +
      `or your own files:\n${OWN_USAGE}`,
  );
  process.exit(2);
}

export function formatSummary(s: ImportSummary): string {
  const c = (k: keyof ImportSummary['after']) =>
    `${s.after[k]}`.padStart(9) + `  (${s.after[k] - s.before[k] >= 0 ? '+' : ''}${s.after[k] - s.before[k]})`;
  const rate = (p: keyof ImportSummary['phases']) => `${Math.round(s.phases[p].rowsPerSecond).toLocaleString('en-US')}/s`;
  return [
    s.skipped
      ? `${s.dataset} import from ${s.folder}: already complete and unchanged in the graph, nothing written (--force rewrites it)`
      : `${s.dataset} import from ${s.folder} done in ${s.seconds.toFixed(1)} s (parse ${s.parseSeconds.toFixed(1)} s)${s.resumed ? ', resumed from a checkpoint' : ''}`,
    ...s.notes.map((n) => `  note: ${n}`),
    `  in the graph under "${s.prefix}" (change in this run):`,
    `    users         ${c('users')}`,
    `    items         ${c('items')}`,
    `    interactions  ${c('interactions')}   train ${s.after.train}, test ${s.after.test}, no split ${s.after.unsplit}   [${rate('interactions')}]`,
    `    friendships   ${c('friendships')}   [${rate('friendships')}]`,
  ].join('\n');
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        batch: { type: 'string' },
        'limit-users': { type: 'string' },
        'id-prefix': { type: 'string' },
        'checkpoint-dir': { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...OWN_FLAGS,
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) usage();
  if (usesOwnImporter(values)) {
    if (positionals.length) usage('give either a dataset folder or your own files (--manifest, --users, ...), not both');
    return runOwnImport(values);
  }
  if (positionals.length !== 1) usage('expected exactly one dataset folder');
  if (values.dataset && !DATASET_NAMES.includes(values.dataset as DatasetName))
    usage(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  const int = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < 1) usage(`${name} must be a positive integer`);
    return Number(v);
  };
  const batchSize = int(values.batch, '--batch');
  const limit = int(values['limit-users'], '--limit-users');

  const config = loadConfig();
  const client = new Neo4jClient(config, appCypherRegistry());
  const importer = new DatasetImporter(new ImportRepository(client));
  const abort = new AbortController();
  const stop = () => {
    process.stderr.write('\ninterrupted: finishing the batches in flight, then stopping (run again to resume)\n');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const bar = new SingleBar(
    { format: ' {phase} [{bar}] {percentage}% {value}/{total} {eta_formatted} left', stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let barOn = false;
  try {
    const summary = await importer.run({
      folder: positionals[0],
      dataset: values.dataset as DatasetName | undefined,
      batchSize,
      limitUsers: limit,
      idPrefix: values['id-prefix'],
      force: values.force,
      checkpointDir: values['checkpoint-dir'] ? resolve(values['checkpoint-dir']) : fromRoot('var/import'),
      target: `${config.NEO4J_URI}/${config.NEO4J_DATABASE}`,
      signal: abort.signal,
      onPhase: (phase, total, done) => {
        if (barOn) bar.stop();
        bar.start(total, done, { phase: phase.padEnd(12) });
        barOn = true;
      },
      onProgress: (_phase, done) => bar.update(done),
    });
    if (barOn) bar.stop();
    process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  } catch (err) {
    if (barOn) bar.stop();
    if (err instanceof DatasetInvalidError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    } else if (err instanceof ImportAbortedError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 130;
    } else {
      process.stderr.write(`import failed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  } finally {
    await client.onApplicationShutdown();
  }
}

if (require.main === module) void main();
