/**
 * Writes a seeded synthetic social graph with planted taste communities as a dataset folder.
 *
 *   npm run synthetic -- <out folder> [--seed 7] [--users 600] [--communities 6] [--items 1200] [--json]
 *   npm run synthetic -- <out folder> --scale <s> [--seed 7]    s × lastfm, streamed (synthetic-ladder.ts)
 *
 * The same arguments give byte-identical files; files already identical are left untouched, so a
 * rerun followed by `npm run import -- <out folder>` finds the import complete and writes nothing.
 * A folder holding other files but no synthetic.json is refused. Needs no database.
 * Exit codes: 0 written, 1 cannot write, 2 bad arguments.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  generateSynthetic,
  SYNTHETIC_DEFAULTS,
  SYNTHETIC_LIMITS,
  SyntheticParams,
  syntheticParamsProblem,
  writeSyntheticFolder,
} from '../ingestion/importer/synthetic';
import { LADDER_MAX_SCALE, writeLadderRung } from '../ingestion/importer/synthetic-ladder';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  const d = SYNTHETIC_DEFAULTS;
  process.stderr.write(
    `usage: npm run synthetic -- <out folder> [--seed ${d.seed}] [--users ${d.users}] [--communities ${d.communities}] [--items ${d.items}] [--json]\n` +
      `  --seed         PRNG seed, ${SYNTHETIC_LIMITS.seed.join('..')}\n` +
      `  --users        ${SYNTHETIC_LIMITS.users.join('..')}, at least 4 per community\n` +
      `  --communities  planted taste communities, ${SYNTHETIC_LIMITS.communities.join('..')}\n` +
      `  --items        ${SYNTHETIC_LIMITS.items.join('..')}, at least 10 per community\n` +
      '  --json         print the manifest as one JSON line instead of a summary\n' +
      `  --scale        instead: s × lastfm (1892·s users, 17632·s items), streamed; 1..${LADDER_MAX_SCALE}\n`,
  );
  process.exit(2);
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        users: { type: 'string' },
        communities: { type: 'string' },
        items: { type: 'string' },
        json: { type: 'boolean' },
        scale: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) usage();
  if (positionals.length !== 1) usage('expected exactly one output folder');
  const int = (v: string | undefined, name: keyof SyntheticParams): number => {
    if (v === undefined) return SYNTHETIC_DEFAULTS[name];
    if (!/^\d{1,10}$/.test(v)) usage(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  if (values.scale !== undefined) {
    if (!/^\d{1,4}$/.test(values.scale) || +values.scale < 1 || +values.scale > LADDER_MAX_SCALE)
      usage(`--scale must be 1..${LADDER_MAX_SCALE}`);
    const t0 = Date.now();
    const counts = writeLadderRung(resolve(positionals[0]), Number(values.scale), int(values.seed, 'seed'));
    process.stdout.write(
      `${JSON.stringify({ folder: resolve(positionals[0]), scale: Number(values.scale), seconds: (Date.now() - t0) / 1000, counts })}\n`,
    );
    return;
  }
  const params: SyntheticParams = {
    seed: int(values.seed, 'seed'),
    users: int(values.users, 'users'),
    communities: int(values.communities, 'communities'),
    items: int(values.items, 'items'),
  };
  const problem = syntheticParamsProblem(params);
  if (problem) usage(`--${problem}`);

  const folder = resolve(positionals[0]);
  const ds = generateSynthetic(params);
  let result;
  try {
    result = writeSyntheticFolder(folder, ds);
  } catch (err) {
    process.stderr.write(`synthetic: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const m = ds.manifest;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ folder, ...result, manifest: m })}\n`);
    return;
  }
  const c = m.counts;
  process.stdout.write(
    [
      `synthetic dataset (seed ${params.seed}) in ${folder}: ${result.written.length ? `wrote ${result.written.join(', ')}` : 'already up to date'}`,
      `  ${c.users} users, ${c.items} items, ${c.interactions} PLAY interactions (${c.train} train + ${c.test} test), ${c.friendships} friendships`,
      `  communities: ${m.communities.map((x) => `${x.genre} (${x.users} users, ${x.items} items)`).join(', ')}`,
      `  example user ${m.examples.user}; cold-start users ${m.examples.coldStartUsers.join(', ')}; new items ${m.examples.newItems.join(', ')}`,
      `  import: npm run import -- ${positionals[0]}`,
    ].join('\n') + '\n',
  );
}

if (require.main === module) main();
