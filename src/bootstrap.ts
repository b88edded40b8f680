import { INestApplication, LogLevel, ShutdownSignal } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { RequestBodyErrorFilter } from './common/errors/request-body.filter';
import { validationPipe } from './common/validation.pipe';
import { AppConfig, loadConfig } from './config/config.schema';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the app the same way for main.ts and for e2e tests. */
export async function createApp(config: AppConfig = loadConfig()): Promise<INestApplication> {
  // Fastify rather than Express: about half the HTTP cost per request (docs/decisions/0001-fastify-over-express.md).
  // Batch mutations take up to 10,000 entries (about 1 MB of JSON); allow 8 MB bodies, received within
  // REQUEST_TIMEOUT_MS (a slow sender gets HTTP 408; handling is bounded by the GraphQL deadline).
  const adapter = new FastifyAdapter({ bodyLimit: 8 * 1024 * 1024, requestTimeout: config.REQUEST_TIMEOUT_MS });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
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
