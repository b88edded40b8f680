import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSchema, DocumentNode, Kind, parse, validate } from 'graphql';
import * as ts from 'typescript';
import { fromRoot, repoRoot } from '../repo-root';

/**
 * The GraphQL documents the repository itself sends or shows (tests, benchmarks, the CLI, the example
 * client, the explorer, README.md and docs/) validate against schema.gql as it is now, so a schema change
 * that breaks one fails here, in the unit tests, rather than in an integration run or a reader's hands.
 * Found by shape: a TypeScript string that parses as an operation (template substitutions of a
 * string constant of the same file are inlined; a document built from other expressions is left to the
 * test that sends it), and every operation of a ```graphql block in Markdown that holds operations.
 */
const SCHEMA = buildSchema(readFileSync(fromRoot('schema.gql'), 'utf8'));
const SOURCES = ['test', 'bench', 'src/cli', 'examples/client/src', 'explorer/src', 'README.md', 'docs'];
const SKIP = new Set(['node_modules', 'gql', 'dist']);

const filesUnder = (p: string): string[] =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((n) => !SKIP.has(n))
        .flatMap((n) => filesUnder(join(p, n)))
    : [p];

interface Found {
  where: string;
  doc: DocumentNode;
}

function operation(text: string): DocumentNode | null {
  const start = text.replace(/^(\s*#.*\n)*/, ''); // leading comment lines
  if (!/^\s*(query|mutation|subscription)\b|^\s*\{\s*[_A-Za-z]/.test(start)) return null;
  try {
    const doc = parse(text);
    return doc.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION) ? doc : null;
  } catch {
    return null;
  }
}

function fromTypeScript(file: string, where: (line: number) => string): Found[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const consts = new Map<string, string>();
  const text = (n: ts.Node): string | null => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
    if (!ts.isTemplateExpression(n)) return null;
    let s = n.head.text;
    for (const span of n.templateSpans) {
      const e = span.expression;
      if (!ts.isIdentifier(e) || !consts.has(e.text)) return null;
      s += consts.get(e.text)! + span.literal.text;
    }
    return s;
  };
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const s = text(n.initializer);
      if (s !== null) consts.set(n.name.text, s);
    }
    ts.forEachChild(n, collect);
  };
  collect(sf);
  const out: Found[] = [];
  const visit = (n: ts.Node): void => {
    const s = text(n);
    const doc = s === null ? null : operation(s);
    if (doc) out.push({ where: where(sf.getLineAndCharacterOfPosition(n.getStart()).line + 1), doc });
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function fromMarkdown(file: string, where: (line: number) => string): Found[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/```(?:graphql|gql)\n([\s\S]*?)```/g)].flatMap((m) => {
    const doc = operation(m[1]);
    if (!doc) return []; // a signature or schema excerpt, not a document
    const fragments = doc.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION);
    const line = src.slice(0, m.index).split('\n').length;
    // a block may show several examples: each operation on its own, with the block's fragments
    return doc.definitions
      .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
      .map((op) => ({ where: where(line), doc: { kind: Kind.DOCUMENT, definitions: [op, ...fragments] } as DocumentNode }));
  });
}

const found = SOURCES.flatMap((s) => filesUnder(fromRoot(s))).flatMap((file) => {
  const where = (line: number) => `${relative(repoRoot(), file)}:${line}`;
  if (/\.tsx?$/.test(file)) return fromTypeScript(file, where);
  return file.endsWith('.md') ? fromMarkdown(file, where) : [];
});

describe("the repository's own GraphQL documents", () => {
  it('are found in every place that holds some', () => {
    const places = new Set(found.map((f) => f.where.split('/')[0].replace(/:\d+$/, '')));
    expect([...places].sort()).toEqual(['README.md', 'bench', 'docs', 'examples', 'explorer', 'src', 'test']);
    expect(found.length).toBeGreaterThan(150);
  });

  it('validate against schema.gql', () => {
    const invalid = found.flatMap((f) => validate(SCHEMA, f.doc).map((e) => `${f.where}: ${e.message}`));
    expect(invalid).toEqual([]);
  });
});
