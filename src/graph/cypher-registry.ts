import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fromRoot } from '../common/repo-root';
import { CYPHER_KEYS, CypherKey } from './cypher-keys';

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

/** Loads cypher/**\/*.cypher once. Unknown or missing keys fail here, i.e. at boot. */
export class CypherRegistry {
  private readonly statements = new Map<string, string>();

  constructor(dir = fromRoot('cypher'), keys: readonly string[] = CYPHER_KEYS) {
    for (const file of walk(dir)) {
      const key = relative(dir, file).split(sep).join('/').replace(/\.cypher$/, '');
      const stmt = statementOf(readFileSync(file, 'utf8'));
      if (!stmt) throw new Error(`Cypher file ${file} is empty`);
      this.statements.set(key, stmt);
    }
    const known = new Set(keys);
    const missing = keys.filter((k) => !this.statements.has(k));
    const unknown = [...this.statements.keys()].filter((k) => !known.has(k) && !k.startsWith('schema/'));
    if (missing.length || unknown.length) {
      throw new Error(
        `Cypher registry mismatch: keys without a file [${missing.join(', ')}], files without a key [${unknown.join(', ')}] (see src/graph/cypher-keys.ts)`,
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
