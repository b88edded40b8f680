import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseFlags, runSamplingCli } from '../sampling/sampling-cli';
import { SnapshotService } from '../sampling/snapshot.service';

const USAGE = 'usage: npm run snapshot -- --out DIR [--prefix lastfm:] [--pinsage] [--walks 20] [--length 4] [--top 20]';

const flags = parseFlags(
  process.argv.slice(2),
  { out: 'value', prefix: 'value', pinsage: 'switch', walks: 'value', length: 'value', top: 'value' },
  USAGE,
);
if (typeof flags.out !== 'string') {
  process.stderr.write(`--out is required\n${USAGE}\n`);
  process.exit(2);
}
const int = (v: unknown): number | undefined => (typeof v === 'string' ? Number(v) : undefined);

void runSamplingCli(async (ctx) => {
  const result = await ctx.get(SnapshotService).exportSnapshot(resolve(flags.out as string), {
    idPrefix: typeof flags.prefix === 'string' ? flags.prefix : null,
    pinsage: flags.pinsage ? { walks: int(flags.walks), length: int(flags.length), topK: int(flags.top) } : false,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
