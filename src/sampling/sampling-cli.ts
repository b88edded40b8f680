import { DynamicModule, INestApplicationContext, LogLevel, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CYPHER_KEYS } from '../app.cypher-keys';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/config.schema';
import { CypherModule } from '../graph/cypher.module';
import { GraphModule } from '../graph/graph.module';
import { SamplingModule } from './sampling.module';

/**
 * Just what the sampling commands need: config, the Neo4j client and the sampling services. Only
 * some domains load here, so the registry gets every domain's keys at once, as the other CLIs do.
 */
@Module({})
class SamplingCliModule {
  static forRoot(): DynamicModule {
    return {
      module: SamplingCliModule,
      imports: [ConfigModule.forRoot(loadConfig()), GraphModule, CypherModule.forFeature(APP_CYPHER_KEYS), SamplingModule],
    };
  }
}

/** Nest logs go to stdout; the commands print their JSON result there, so only warnings and errors. */
const LEVELS: LogLevel[] = ['error', 'warn'];

/** A Nest application context with config, the Neo4j client and the sampling services (CLIs, benchmarks). */
export function createSamplingContext(levels: LogLevel[] = LEVELS): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(SamplingCliModule.forRoot(), { logger: levels });
}

/** Runs `work` in a Nest application context and closes it; a failure prints the reason and exits 1. */
export async function runSamplingCli(work: (ctx: INestApplicationContext) => Promise<void>): Promise<void> {
  let ctx: INestApplicationContext | undefined;
  try {
    ctx = await createSamplingContext();
    await work(ctx);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await ctx?.close();
  }
}

/** Minimal `--flag value` / `--switch` parsing; unknown flags are an error (exit 2). */
export function parseFlags(argv: string[], spec: Record<string, 'value' | 'switch'>, usage: string): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.startsWith('--') ? a.slice(2).split(/=(.*)/s, 2) : [a, undefined];
    const kind = spec[name];
    if (!kind) {
      process.stderr.write(`unknown argument ${a}\n${usage}\n`);
      process.exit(2);
    }
    if (kind === 'switch') out[name] = true;
    else {
      const v = inline ?? argv[++i];
      if (v === undefined) {
        process.stderr.write(`--${name} needs a value\n${usage}\n`);
        process.exit(2);
      }
      out[name] = v;
    }
  }
  return out;
}
