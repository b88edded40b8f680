import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_CYPHER_KEYS } from '../app.cypher-keys';
import { CypherRegistry, statementOf } from './cypher-registry';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cypher-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('CypherRegistry', () => {
  it('has a file for every key and a key for every file in cypher/', () => {
    const registry = new CypherRegistry(undefined, APP_CYPHER_KEYS);
    for (const key of APP_CYPHER_KEYS) expect(registry.get(key)).toBeTruthy();
  });

  it('fails when a key has no file', () => {
    expect(() => new CypherRegistry(dirWith({ 'a/b.cypher': 'RETURN 1' }), ['a/b', 'a/missing'])).toThrow(
      /keys without a file \[a\/missing\]/,
    );
  });

  it('fails when a file has no key', () => {
    expect(() => new CypherRegistry(dirWith({ 'a/b.cypher': 'RETURN 1', 'a/stray.cypher': 'RETURN 2' }), ['a/b'])).toThrow(
      /files without a key \[a\/stray\]/,
    );
  });

  it('checks keys registered domain by domain only when verified, i.e. once all have registered', () => {
    const registry = new CypherRegistry(dirWith({ 'a/b.cypher': 'RETURN 1', 'c/d.cypher': 'RETURN 2' }));
    registry.register(['a/b']);
    expect(() => registry.verify()).toThrow(/files without a key \[c\/d\]/);
    registry.register(['c/d']);
    expect(() => registry.verify()).not.toThrow();
    registry.register(['c/missing']);
    expect(() => registry.verify()).toThrow(/keys without a file \[c\/missing\]/);
  });

  it('strips header comments and a trailing semicolon', () => {
    expect(statementOf('// read: x\n// params: none\nMATCH (n)\nRETURN n;\n')).toBe('MATCH (n)\nRETURN n');
  });
});
