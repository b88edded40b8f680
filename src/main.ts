import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config.schema';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  new Logger('Main').log(`TasteGraph API on http://${config.HOST}:${config.PORT}/graphql`);
}

main().catch((err: unknown) => {
  new Logger('Main').error(`start-up failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
