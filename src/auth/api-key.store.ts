import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { readFileSync, Stats, unwatchFile, watchFile } from 'node:fs';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig, ConfigError } from '../config/config.schema';
import { ApiKey, findKey, parseApiKeys } from './api-keys';

/** How often API_KEYS_FILE is checked for a change (one stat call). */
const POLL_MS = 1000;

/**
 * The app keys in force. `open` (neither API_KEYS nor API_KEYS_FILE set) means no key is required.
 * API_KEYS_FILE is re-read when it changes and on SIGHUP, so keys rotate without a restart; a file
 * that no longer parses, or is gone, keeps the previous keys (logged), and an empty one admits no key:
 * rotation never opens the API.
 */
@Injectable()
export class ApiKeyStore implements OnModuleDestroy {
  private readonly log = new Logger('ApiKeys');
  private keys: readonly ApiKey[] = [];
  readonly open: boolean;
  private readonly file: string | undefined;
  private readonly onSighup = () => this.reload();
  private readonly onChange = (cur: Stats, prev: Stats) => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) this.reload();
  };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.file = config.API_KEYS_FILE;
    this.open = config.API_KEYS === undefined && this.file === undefined;
    if (config.API_KEYS !== undefined) {
      const r = parseApiKeys(config.API_KEYS, ',');
      if ('errors' in r) throw new ConfigError(`Invalid configuration:\n  API_KEYS: ${r.errors.join('; ')}`);
      this.keys = r.keys;
    }
    if (this.file !== undefined) {
      const r = this.read(this.file);
      if ('error' in r) throw new ConfigError(`Invalid configuration:\n  API_KEYS_FILE: ${r.error}`);
      this.keys = r.keys;
      this.log.log(`${this.keys.length} API key(s) from ${this.file}; re-read on change and on SIGHUP`);
      watchFile(this.file, { interval: POLL_MS, persistent: false }, this.onChange);
      process.on('SIGHUP', this.onSighup);
    }
  }

  /** The key a presented secret belongs to, or null. */
  find(presented: string): ApiKey | null {
    return findKey(this.keys, presented);
  }

  /** Re-reads API_KEYS_FILE; on a problem the keys in force stay. True when new keys were taken. */
  reload(): boolean {
    if (this.file === undefined) return false;
    const r = this.read(this.file);
    if ('error' in r) {
      this.log.error(`API_KEYS_FILE ${this.file} not reloaded, the previous ${this.keys.length} key(s) stay: ${r.error}`);
      return false;
    }
    this.keys = r.keys;
    this.log.log(`${this.keys.length} API key(s) reloaded from ${this.file}: ${r.keys.map((k) => k.name).join(', ') || '(none)'}`);
    return true;
  }

  onModuleDestroy(): void {
    if (this.file === undefined) return;
    unwatchFile(this.file, this.onChange);
    process.off('SIGHUP', this.onSighup);
  }

  private read(file: string): { keys: ApiKey[] } | { error: string } {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      return { error: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
    const r = parseApiKeys(text, '\n');
    return 'errors' in r ? { error: r.errors.join('; ') } : r;
  }
}
