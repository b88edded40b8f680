import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { fromRoot, repoRoot } from '../repo-root';

/**
 * The example client's generated types (examples/client/src/gql) are what GraphQL Code Generator
 * makes of schema.gql and the operations today: the CLI (codegen.yml) writes into a temporary folder
 * and every file must equal the committed one.
 */
describe('the generated client', () => {
  it('is up to date with schema.gql and the operations (else: npm run codegen)', () => {
    const config = parseYaml(readFileSync(fromRoot('codegen.yml'), 'utf8')) as { generates: Record<string, unknown> };
    const [[committed, target]] = Object.entries(config.generates);
    const out = mkdtempSync(join(tmpdir(), 'tg-codegen-'));
    try {
      const temp = join(out, 'codegen.yml');
      writeFileSync(temp, stringify({ ...config, generates: { [`${out}/gql/`]: target } }));
      execFileSync(fromRoot('node_modules/.bin/graphql-codegen'), ['--config', temp, '--silent'], { cwd: repoRoot(), stdio: 'pipe' });
      const files = readdirSync(join(out, 'gql')).sort();
      expect(files).toEqual(readdirSync(fromRoot(committed)).sort());
      for (const f of files) {
        expect({ file: f, content: readFileSync(fromRoot(join(committed, f)), 'utf8') }).toEqual({
          file: f,
          content: readFileSync(join(out, 'gql', f), 'utf8'),
        });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
