import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError } from '../config/config.schema';
import { ApiKeyStore } from './api-key.store';
import { hashSecret } from './api-keys';

const line = (name: string, scopes: string, secret: string) => `${name}:${scopes}:${hashSecret(secret).toString('hex')}\n`;

describe('ApiKeyStore', () => {
  let dir: string;
  const stores: ApiKeyStore[] = [];
  const store = (config: Partial<AppConfig>) => {
    const s = new ApiKeyStore(config as AppConfig);
    stores.push(s);
    return s;
  };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tg-keys-'))));
  afterEach(() => {
    for (const s of stores.splice(0)) s.onModuleDestroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is open only when neither API_KEYS nor API_KEYS_FILE is set', () => {
    expect(store({}).open).toBe(true);
    const s = store({ API_KEYS: line('web', 'read', 'k1').trim() });
    expect(s.open).toBe(false);
    expect(s.find('k1')?.name).toBe('web');
  });

  it('rotates from API_KEYS_FILE on reload and on SIGHUP, without a restart', () => {
    const file = join(dir, 'keys');
    writeFileSync(file, line('web', 'read', 'old-secret'));
    const s = store({ API_KEYS_FILE: file });
    expect(s.find('old-secret')?.name).toBe('web');

    writeFileSync(file, line('web', 'read', 'old-secret') + line('web', 'read', 'new-secret'));
    process.emit('SIGHUP', 'SIGHUP');
    expect(s.find('new-secret')?.name).toBe('web');
    expect(s.find('old-secret')?.name).toBe('web');

    writeFileSync(file, line('web', 'read+write', 'new-secret'));
    expect(s.reload()).toBe(true);
    expect(s.find('old-secret')).toBeNull();
    expect([...s.find('new-secret')!.scopes]).toEqual(['read', 'write']);
  });

  it('keeps the keys in force when the file turns bad or goes; an empty file admits no key', () => {
    const file = join(dir, 'keys');
    writeFileSync(file, line('web', 'read', 'k1'));
    const s = store({ API_KEYS_FILE: file });
    writeFileSync(file, 'web:read:not-a-hash\n');
    expect(s.reload()).toBe(false);
    expect(s.find('k1')?.name).toBe('web');
    rmSync(file);
    expect(s.reload()).toBe(false);
    expect(s.find('k1')?.name).toBe('web');
    writeFileSync(file, '# all keys revoked\n');
    expect(s.reload()).toBe(true);
    expect(s.find('k1')).toBeNull();
    expect(s.open).toBe(false);
  });

  it('refuses to start on a file it cannot read or parse, naming API_KEYS_FILE', () => {
    expect(() => store({ API_KEYS_FILE: join(dir, 'missing') })).toThrow(ConfigError);
    expect(() => store({ API_KEYS_FILE: join(dir, 'missing') })).toThrow(/API_KEYS_FILE: cannot read .*ENOENT/);
    writeFileSync(join(dir, 'bad'), 'plain-secret\n');
    expect(() => store({ API_KEYS_FILE: join(dir, 'bad') })).toThrow(/API_KEYS_FILE: line 1: must look like/);
  });
});
