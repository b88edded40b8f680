import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fromRoot } from '../common/repo-root';
import { CypherKey } from './cypher-keys';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.cypher') ? [p] : [];
  });
}

/** Strips `//` comment lines; a statement file holds exactly one statement. */
export function statementOf(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trim().startsWith('//'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
}

/**
 * Loads cypher/**\/*.cypher once. Domains register their keys; `verify` (at boot, once all have, or
 * at once when the keys come with the constructor) fails on a key without a file or a file without a key.
 */
export class CypherRegistry {
  private readonly statements = new Map<string, string>();
  private readonly keys = new Set<string>();

  constructor(dir = fromRoot('cypher'), keys?: readonly string[]) {
    for (const file of walk(dir)) {
      const key = relative(dir, file)
        .split(sep)
        .join('/')
        .replace(/\.cypher$/, '');
      const stmt = statementOf(readFileSync(file, 'utf8'));
      if (!stmt) throw new Error(`Cypher file ${file} is empty`);
      this.statements.set(key, stmt);
    }
    if (keys) {
      this.register(keys);
      this.verify();
    }
  }

  /** Adds a domain's keys (CypherModule.forFeature). */
  register(keys: readonly string[]): void {
    for (const k of keys) this.keys.add(k);
  }

  verify(): void {
    const missing = [...this.keys].filter((k) => !this.statements.has(k));
    const unknown = [...this.statements.keys()].filter((k) => !this.keys.has(k) && !k.startsWith('schema/'));
    if (missing.length || unknown.length) {
      throw new Error(
        `Cypher registry mismatch: keys without a file [${missing.join(', ')}], files without a key [${unknown.join(', ')}] (each domain lists its keys in <domain>.cypher-keys.ts)`,
      );
    }
  }

  get(key: CypherKey): string {
    const s = this.statements.get(key);
    if (!s) throw new Error(`unknown Cypher key ${key}`);
    return s;
  }

  /** Constraint and index statements from cypher/schema/, in file-name order. */
  schemaStatements(): Array<{ key: string; statement: string }> {
    return [...this.statements.entries()]
      .filter(([k]) => k.startsWith('schema/'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, statement]) => ({ key, statement }));
  }

  entries(): Array<{ key: string; statement: string }> {
    return [...this.statements.entries()].map(([key, statement]) => ({ key, statement }));
  }
}
