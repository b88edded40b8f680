import { z } from 'zod';
import { EVENT_WEIGHTS_SHAPE, readEventWeights } from '../ingestion/event-weights';
import { MODEL_KINDS } from '../model-registry/model-kinds';

/** Every environment variable the app reads. docker-compose.yml is checked against these names by a test. */
const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),

  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'must be a bolt:// or neo4j:// URI')
    .default('bolt://127.0.0.1:7687'),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  /** Empty means the server runs with auth off (tests); set for the demo and production. */
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NEO4J_APPLY_SCHEMA: bool.default(true),

  REDIS_HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_PORT: port.default(6379),
  REDIS_PASSWORD: z.string().default(''),
  REDIS_PREFIX: z.string().min(1).default('tastegraph'),

  /** PostgreSQL when set (postgres://user:pass@host:5432/db); otherwise SQLite at DATABASE_SQLITE_PATH. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL')
    .optional(),
  DATABASE_SQLITE_PATH: z.string().min(1).default('var/tastegraph.sqlite'),
  DATABASE_MIGRATE: bool.default(true),

  /** Event type weights, `TYPE=weight` comma-separated; `value` means the event's own weight (ratings). */
  INGEST_EVENT_WEIGHTS: z
    .string()
    .superRefine((spec, ctx) => {
      const r = readEventWeights(spec);
      if ('error' in r) ctx.addIssue({ code: 'custom', message: r.badEntry ? EVENT_WEIGHTS_SHAPE : r.error });
    })
    .default('VIEW=1,CLICK=1,PLAY=1,LIKE=3,SHARE=3,PURCHASE=5,RATING=value'),
  /** Events stamped further than this into the future are rejected. */
  INGEST_MAX_FUTURE_S: z.coerce.number().int().min(0).default(300),

  TRAINER_PYTHON: z.string().min(1).default('models/.venv/bin/python'),
  TRAINER_DEVICE: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  TRAINER_TIMEOUT_S: z.coerce.number().int().positive().default(3600),
  TRAINER_RUNS_DIR: z.string().min(1).default('var/runs'),
  /** Whether this process consumes the `training` queue (the compose file runs a separate GPU worker). */
  TRAINER_WORKER: bool.default(true),
  /** Run folders (snapshots, trainer output, retired artefacts) older than this many days are deleted (not the active/previous version's model). */
  RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** recordInteractions' event ids are remembered this many days: a retry arriving later counts again. */
  RETENTION_EVENT_DAYS: z.coerce.number().int().min(1).default(7),
  /** Cron pattern for scheduled retraining (e.g. `0 3 * * *`); empty = off. */
  RETRAIN_CRON: z.string().default(''),
  RETRAIN_MODEL: z.enum(MODEL_KINDS).default('SOCIALGCN'),
  /** Only nodes whose id starts with this are trained on (one dataset of several in the graph). */
  TRAINING_ID_PREFIX: z.string().default(''),
  /** Promote a new version automatically when its validation Recall@20 ≥ ratio × the active one's. */
  TRAINING_AUTO_PROMOTE: bool.default(true),
  TRAINING_PROMOTE_MIN_RATIO: z.coerce.number().positive().default(1.0),

  /** Bearer token for admin mutations and the job dashboard; empty disables admin operations. */
  ADMIN_TOKEN: z.string().default(''),
  /** Comma-separated API keys for app queries; empty means no key is required (demo). */
  API_KEYS: z.string().default(''),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a missing or wrong variable throws with its name and the reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    cleaned[key] = v === undefined || (v === '' && key !== 'NEO4J_PASSWORD' && key !== 'REDIS_PASSWORD') ? undefined : v;
  }
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const configVariableNames = (): string[] => Object.keys(configSchema.shape);
