import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { validationPipe } from './common/validation.pipe';
import { AppConfig, loadConfig } from './config/config.schema';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the app the same way for main.ts and for e2e tests. */
export async function createApp(config: AppConfig = loadConfig()): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
    // Throw start-up errors to the caller (main.ts exits; tests see the error) instead of process.exit.
    abortOnError: false,
  });
  // Batch mutations take up to 10,000 entries (about 1 MB of JSON); Express' default limit is 100 kB.
  app.useBodyParser('json', { limit: '8mb' });
  // GraphQL answers are POST responses nobody revalidates: skip Express' per-response body hash (ETag).
  app.set('etag', false);
  app.useGlobalPipes(validationPipe);
  app.enableShutdownHooks();
  return app;
}
