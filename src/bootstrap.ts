import { INestApplication, LogLevel, ShutdownSignal } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { RequestBodyErrorFilter } from './common/errors/request-body.filter';
import { validationPipe } from './common/validation.pipe';
import { AppConfig, loadConfig } from './config/config.schema';
import { createLogger, PinoNestLogger } from './observability/logger';
import { acceptRequestId } from './observability/request-context';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the app the same way for main.ts and for e2e tests (`logDestination`: where log lines go instead of stdout). */
export async function createApp(
  config: AppConfig = loadConfig(),
  opts: { logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  // Fastify rather than Express: about half the HTTP cost per request (docs/decisions/0001-fastify-over-express.md).
  // Batch mutations take up to 10,000 entries (about 1 MB of JSON); allow 8 MB bodies, received within
  // REQUEST_TIMEOUT_MS (a slow sender gets HTTP 408; handling is bounded by the GraphQL deadline).
  // Every request's id: the client's x-request-id when valid, else a new UUID (docs/observability.md).
  const adapter = new FastifyAdapter({
    bodyLimit: 8 * 1024 * 1024,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => acceptRequestId(req.headers['x-request-id']),
  });
  const logger = new PinoNestLogger(createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, destination: opts.logDestination }));
  logger.setLogLevels(LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger,
    // Throw start-up errors to the caller (main.ts exits; tests see the error) instead of process.exit.
    abortOnError: false,
  });
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new RequestBodyErrorFilter(app.getHttpAdapter()));
  // With API_KEYS_FILE, SIGHUP re-reads the keys (ApiKeyStore) instead of stopping the app.
  const signals = Object.values(ShutdownSignal);
  app.enableShutdownHooks(config.API_KEYS_FILE === undefined ? signals : signals.filter((s) => s !== ShutdownSignal.SIGHUP));
  return app;
}
