import 'reflect-metadata';
import { MaintenanceService } from '../sampling/maintenance.service';
import { parseFlags, runSamplingCli } from '../sampling/sampling-cli';

const USAGE = 'usage: npm run overlap -- [--prefix lastfm:]   (assigns missing sampling keys, then recomputes FRIEND.overlap)';
const flags = parseFlags(process.argv.slice(2), { prefix: 'value' }, USAGE);

void runSamplingCli(async (ctx) => {
  const result = await ctx.get(MaintenanceService).refresh({ idPrefix: typeof flags.prefix === 'string' ? flags.prefix : undefined });
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
