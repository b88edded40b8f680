import { z } from 'zod';
import { parseApiKeys } from '../auth/api-keys';
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
  /** `json`: one JSON object per line; `pretty`: pino-pretty; `auto`: pretty on a terminal, JSON otherwise (docs/observability.md). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),

  /** Prometheus metrics: /metrics on the API port (admin token) and, with METRICS_PORT, on its own port. */
  METRICS_ENABLED: bool.default(true),
  /** Serves /metrics without a token on this port too (for a scraper on a private network); unset: not served. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** OTLP/HTTP collector base URL (spans go to <url>/v1/traces as JSON); unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('tastegraph'),
  /** The share of requests and jobs traced (0 to 1; a request's spans are all kept or all dropped). */
  OTEL_TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),

  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'must be a bolt:// or neo4j:// URI')
    .default('bolt://127.0.0.1:7687'),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  /** Empty means the server runs with auth off (tests); set for the demo and production. */
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NEO4J_APPLY_SCHEMA: bool.default(true),
  /** Every transaction of an API request (reads and writes) is ended by the server after this long (GRAPH_TIMEOUT). */
  NEO4J_TX_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Batch work (the importer, snapshot export, graph maintenance before training) gets this much per transaction. */
  NEO4J_BATCH_TX_TIMEOUT_MS: z.coerce.number().int().positive().default(1_800_000),

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
  /** This process's copy of artefacts fetched from the registry database, one folder per version; one per process, never shared (each prunes what it does not serve). */
  ARTIFACT_CACHE_DIR: z.string().min(1).default('var/artifact-cache'),
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
  /**
   * App keys, `name:read+write:<sha256 of the secret>` comma-separated (docs/decisions/0018-scoped-api-keys.md).
   * Fixed until a restart; API_KEYS_FILE is the same list, one per line, re-read on change. Neither set:
   * no key is required, which only a loopback HOST or API_OPEN_ACCESS=true allows.
   */
  API_KEYS: z
    .string()
    .superRefine((spec, ctx) => {
      const r = parseApiKeys(spec, ',');
      if ('errors' in r) for (const e of r.errors) ctx.addIssue({ code: 'custom', message: e });
    })
    .optional(),
  API_KEYS_FILE: z.string().min(1).optional(),
  /** Says that an API on a non-loopback HOST without keys is intended; otherwise such a start is refused. */
  API_OPEN_ACCESS: bool.default(false),

  /** The bundled GraphiQL page and schema introspection; default on, off when NODE_ENV=production. */
  GRAPHQL_GRAPHIQL: bool.optional(),
  GRAPHQL_INTROSPECTION: bool.optional(),

  /** Largest estimated cost of one operation (docs/limits.md says what counts). */
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(5_000),
  /** Deepest selection-set nesting of one operation. */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(10),
  /** Most aliased fields in one operation. */
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  /** A GraphQL request still running after this long answers REQUEST_TIMEOUT; receiving a request body is bounded the same. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),

  /** Rate limits per API key (per client IP without one), shared by every replica through Redis. Unset: on, except NODE_ENV=test. */
  RATE_LIMIT_ENABLED: bool.optional(),
  /** Queries each key may send per window. */
  RATE_LIMIT_READS: z.coerce.number().int().positive().default(600),
  /** Mutations each key may send per window. */
  RATE_LIMIT_WRITES: z.coerce.number().int().positive().default(120),
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().positive().default(60),

  /**
   * Models with at least this many items retrieve candidates from an in-process ANN index built at load
   * and re-score them exactly, and similarItems' neighbours from a cosine index built after it in the
   * background; smaller ones score every item (docs/scale.md). 0: always the indexes.
   */
  ANN_MIN_ITEMS: z.coerce.number().int().min(0).max(1_000_000_000).default(100_000),

  /**
   * Serve each user slice with the version the active one's slice table names (decision 0033): another
   * version only where its validation Recall@20 on the slice beat the active's beyond both bootstrap
   * half-widths on ≥ 100 validation users. false: the active version serves everyone and no other is loaded.
   */
  SLICE_MODEL_CHOICE: bool.default(true),

  /** The in-process serving caches (per-user state) are bounded by this many bytes, estimated per entry. */
  CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),

  /** The trainer's stdout/stderr lines kept for failure reports (a ring of at most this many bytes). */
  TRAINER_OUTPUT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Longer trainer output lines are cut to this many bytes (an event line cut short is logged, not parsed). */
  TRAINER_LINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});

/** 127.0.0.0/8, ::1 and localhost: only this machine reaches the port. */
export const isLoopback = (host: string): boolean =>
  /^127(\.\d{1,3}){3}$/.test(host) || /^(::1|\[::1\]|::ffff:127(\.\d{1,3}){3}|localhost)$/i.test(host);

/** The rules between variables, and the defaults that depend on NODE_ENV. */
const appConfigSchema = configSchema
  .superRefine((c, ctx) => {
    const keyed = c.API_KEYS !== undefined || c.API_KEYS_FILE !== undefined;
    if (c.API_KEYS !== undefined && c.API_KEYS_FILE !== undefined)
      ctx.addIssue({ code: 'custom', path: ['API_KEYS_FILE'], message: 'set API_KEYS or API_KEYS_FILE, not both' });
    if (keyed && c.API_OPEN_ACCESS)
      ctx.addIssue({ code: 'custom', path: ['API_OPEN_ACCESS'], message: 'is true while API keys are configured: unset one of them' });
    if (!keyed && !c.API_OPEN_ACCESS && !isLoopback(c.HOST))
      ctx.addIssue({
        code: 'custom',
        path: ['API_KEYS_FILE'],
        message:
          `HOST ${c.HOST} is reachable from other machines and no API keys are configured: ` +
          'set API_KEYS_FILE (or API_KEYS), or API_OPEN_ACCESS=true if open access is intended',
      });
  })
  .transform((c) => ({
    ...c,
    GRAPHQL_GRAPHIQL: c.GRAPHQL_GRAPHIQL ?? c.NODE_ENV !== 'production',
    GRAPHQL_INTROSPECTION: c.GRAPHQL_INTROSPECTION ?? c.NODE_ENV !== 'production',
    RATE_LIMIT_ENABLED: c.RATE_LIMIT_ENABLED ?? c.NODE_ENV !== 'test',
  }));

export type AppConfig = z.output<typeof appConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a missing or wrong variable throws with its name and the reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    cleaned[key] = v === undefined || (v === '' && key !== 'NEO4J_PASSWORD' && key !== 'REDIS_PASSWORD') ? undefined : v;
  }
  const parsed = appConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const configVariableNames = (): string[] => Object.keys(configSchema.shape);
