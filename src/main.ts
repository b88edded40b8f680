import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { applyGcPolicy } from './common/gc-policy';
import { ConfigError, loadConfig } from './config/config.schema';

async function main(): Promise<void> {
  applyGcPolicy();
  const config = loadConfig();
  const app = await createApp(config); // reads API_KEYS_FILE: a ConfigError too
  await app.listen(config.PORT, config.HOST);
  new Logger('Main').log(`TasteGraph API on http://${config.HOST}:${config.PORT}/graphql`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  new Logger('Main').error(`start-up failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
