import { findKey, hashSecret, parseApiKey, parseApiKeys } from './api-keys';

const hex = (secret: string) => hashSecret(secret).toString('hex');

describe('API keys', () => {
  it('reads name, scopes and the sha256 of the secret, never the secret', () => {
    const key = parseApiKey(`ingest:read+write:${hex('s1')}`);
    expect(key).toMatchObject({ name: 'ingest', scopes: new Set(['read', 'write']) });
    expect(typeof key !== 'string' && key.hash.equals(hashSecret('s1'))).toBe(true);
  });

  it('names what is wrong with an entry', () => {
    expect(parseApiKey('ingest:read:plain-secret')).toMatch(/must look like name:read\+write:<sha256/);
    expect(parseApiKey(`ingest:read+admin:${hex('s')}`)).toBe('key ingest: unknown scope admin (scopes: read, write, delete)');
    expect(parseApiKey(`:read:${hex('s')}`)).toMatch(/must look like/);
  });

  it('reads a file: comments, blank lines, line numbers in errors, a secret listed twice', () => {
    const file = `# app keys\n\nweb:read:${hex('a')}  # the web app\nops:delete:${hex('b')}\n`;
    const ok = parseApiKeys(file, '\n');
    expect('keys' in ok && ok.keys.map((k) => k.name)).toEqual(['web', 'ops']);
    expect(parseApiKeys(`web:read:${hex('a')}\nbad line\n`, '\n')).toEqual({ errors: [expect.stringMatching(/^line 2: must look like/)] });
    expect(parseApiKeys(`a:read:${hex('x')},b:write:${hex('x')}`, ',')).toEqual({
      errors: ['key b: the same secret is listed twice'],
    });
    expect(parseApiKeys('', ',')).toEqual({ keys: [] });
  });

  it('finds the key of a presented secret, and none for a near miss', () => {
    const r = parseApiKeys(`web:read:${hex('secret-one')},ops:read+delete:${hex('secret-two')}`, ',');
    if (!('keys' in r)) throw new Error('parse failed');
    expect(findKey(r.keys, 'secret-two')?.name).toBe('ops');
    expect(findKey(r.keys, 'secret-one')?.name).toBe('web');
    expect(findKey(r.keys, 'secret-on')).toBeNull();
    expect(findKey(r.keys, hex('secret-one'))).toBeNull(); // the hash itself is not a key
    expect(findKey([], 'secret-one')).toBeNull();
  });
});
