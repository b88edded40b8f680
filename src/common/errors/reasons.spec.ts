import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fromRoot, repoRoot } from '../repo-root';
import type { ReasonEntry, ReasonTable } from './reasons';

/**
 * Every reason code, read from every `src/**\/*.reasons.ts` table, and docs/errors.md generated from
 * them. After changing a table: UPDATE_DOCS=1 npx jest --config jest.config.js --selectProjects unit src/common/errors/reasons.spec.ts
 */
const src = fromRoot('src');
const tsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
const files = tsFiles(src);
const tableFiles = files.filter((f) => f.endsWith('.reasons.ts')).sort();

interface Row extends ReasonEntry {
  reason: string;
  file: string;
}

const rows: Row[] = tableFiles.flatMap((file) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the table files are found at run time
  const mod = require(file) as Record<string, unknown>;
  const tables = Object.entries(mod).filter(([name]) => name.endsWith('_REASONS'));
  if (tables.length !== 1) throw new Error(`${file} must export exactly one *_REASONS table`);
  const rel = relative(repoRoot(), file).split(sep).join('/');
  return Object.entries(tables[0][1] as ReasonTable).map(([reason, e]) => ({ reason, ...e, file: rel }));
});

function render(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '# Error codes',
    '',
    'Every error a client can act on carries `extensions.code` (one of NOT_FOUND, BAD_USER_INPUT, CONFLICT, FORBIDDEN,',
    'UNAUTHENTICATED, UNAVAILABLE) and `extensions.reason`, the domain code below; input errors add `extensions.details`,',
    'a list of `{ field, message }`. Errors from GraphQL itself (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, a bad',
    'variable as BAD_USER_INPUT) carry no reason; anything unexpected is INTERNAL_SERVER_ERROR with a generic message.',
    '',
    'Each domain lists its reasons in its `*.reasons.ts`; a reason missing there, or thrown under another code, fails',
    '`tsc`. This page is generated from those tables and checked by `src/common/errors/reasons.spec.ts`; after changing',
    'a table, regenerate it with',
    '`UPDATE_DOCS=1 npx jest --config jest.config.js --selectProjects unit src/common/errors/reasons.spec.ts`.',
    '',
    '| `code` | `reason` | When | Defined in |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.category} | \`${r.reason}\` | ${cell(r.when)} | \`${r.file}\` |`),
    '',
  ].join('\n');
}

describe('reason codes', () => {
  it('are defined once, each in one domain table', () => {
    const seen = new Map<string, string>();
    for (const r of rows) {
      expect([r.reason, seen.get(r.reason)]).toEqual([r.reason, undefined]);
      seen.set(r.reason, r.file);
      expect(r.reason).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(r.when.length).toBeGreaterThan(10);
    }
    expect(rows.length).toBeGreaterThan(20);
  });

  it('are each sent by some code (no dead entries)', () => {
    const code = files
      .filter((f) => !f.endsWith('.reasons.ts') && !f.endsWith('.spec.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = rows.map((r) => r.reason).filter((reason) => !code.includes(`'${reason}'`));
    expect(unused).toEqual([]);
  });

  it('are listed, all and as they are, in docs/errors.md', () => {
    const path = fromRoot('docs/errors.md');
    if (process.env.UPDATE_DOCS) writeFileSync(path, render());
    expect(readFileSync(path, 'utf8')).toBe(render());
  });
});
