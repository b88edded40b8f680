import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import type { Access } from '../src/auth/access.decorator';
import { hashSecret } from '../src/auth/api-keys';
import { cleanup, testDriver } from './support/graph';
import { GqlResult, startApp, TestApp, testPrefix } from './support/app';

const ADMIN = 'access-admin-token-1';
const SECRETS = { read: 'reader-secret-1', write: 'writer-secret-1', delete: 'deleter-secret-1' } as const;
const keyLine = (name: string, scopes: string, secret: string) => `${name}:${scopes}:${hashSecret(secret).toString('hex')}`;

/** Every Query and Mutation with harmless arguments (unknown ids, empty lists, invalid params), and who may call it. */
const operations = (p: string): Record<string, { access: Access; doc: string }> => ({
  activeModel: { access: 'read', doc: `{ activeModel { id } }` },
  friendAttention: { access: 'read', doc: `{ friendAttention(userId: "${p}none") { id } }` },
  graphStats: { access: 'read', doc: `{ graphStats { __typename } }` },
  item: { access: 'read', doc: `{ item(id: "${p}none") { id } }` },
  modelVersions: { access: 'read', doc: `{ modelVersions { totalCount } }` },
  recommendations: { access: 'read', doc: `{ recommendations(userId: "${p}none") { __typename } }` },
  relatedItems: { access: 'read', doc: `{ relatedItems(itemId: "${p}none") { __typename } }` },
  sampleNeighborhood: { access: 'read', doc: `{ sampleNeighborhood(seedId: "${p}none") { __typename } }` },
  similarItems: { access: 'read', doc: `{ similarItems(itemId: "${p}none") { __typename } }` },
  user: { access: 'read', doc: `{ user(id: "${p}none") { id } }` },
  trainingRun: { access: 'admin', doc: `{ trainingRun(id: "${p}none") { id } }` },
  trainingRuns: { access: 'admin', doc: `{ trainingRuns { __typename } }` },
  modelSliceTable: { access: 'admin', doc: `{ modelSliceTable { versionId } }` },
  upsertUsers: { access: 'write', doc: `mutation { upsertUsers(users: []) { id } }` },
  upsertItems: { access: 'write', doc: `mutation { upsertItems(items: []) { id } }` },
  recordInteractions: { access: 'write', doc: `mutation { recordInteractions(events: []) { __typename } }` },
  addFriendships: { access: 'write', doc: `mutation { addFriendships(pairs: []) { __typename } }` },
  removeFriendships: { access: 'write', doc: `mutation { removeFriendships(pairs: []) { __typename } }` },
  hideItems: { access: 'write', doc: `mutation { hideItems(ids: ["${p}none"]) { __typename } }` },
  unhideItems: { access: 'write', doc: `mutation { unhideItems(ids: ["${p}none"]) { __typename } }` },
  deleteUser: { access: 'delete', doc: `mutation { deleteUser(id: "${p}none") { __typename } }` },
  deleteItems: { access: 'delete', doc: `mutation { deleteItems(ids: ["${p}none"]) { __typename } }` },
  startRetraining: { access: 'admin', doc: `mutation { startRetraining(model: LIGHTGCN, params: { epochs: 0 }) { id } }` },
  cancelRetraining: { access: 'admin', doc: `mutation { cancelRetraining(runId: "${p}none") { id } }` },
  promoteModelVersion: { access: 'admin', doc: `mutation { promoteModelVersion(id: "${p}none") { id } }` },
  rollbackModel: { access: 'admin', doc: `mutation { rollbackModel { id } }` },
});

type Credential = 'none' | 'bad key' | 'read' | 'write' | 'delete' | 'admin';
const CREDENTIALS: Record<Credential, Record<string, string>> = {
  none: {},
  'bad key': { 'x-api-key': 'not-a-key' },
  read: { 'x-api-key': SECRETS.read },
  write: { 'x-api-key': SECRETS.write },
  delete: { 'x-api-key': SECRETS.delete },
  admin: { authorization: `Bearer ${ADMIN}` },
};

/** What a credential gets for an operation: `allowed` (the resolver ran), or the auth error's code and reason. */
function expected(access: Access, cred: Credential): string {
  if (cred === 'admin') return 'allowed';
  if (access === 'admin') return 'UNAUTHENTICATED ADMIN_TOKEN_REQUIRED';
  if (cred === 'none') return 'UNAUTHENTICATED API_KEY_REQUIRED';
  if (cred === 'bad key') return 'FORBIDDEN API_KEY_INVALID';
  return cred === access ? 'allowed' : 'FORBIDDEN SCOPE_MISSING';
}

/** `allowed` when no error is an auth error and any error is a domain error (so the resolver ran past the guard). */
function outcome(res: GqlResult): string {
  const e = res.errors?.[0]?.extensions;
  if (!e) return 'allowed';
  if (e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN') return `${e.code} ${e.reason}`;
  return e.reason ? 'allowed' : `unexpected ${e.code}: ${res.errors![0].message}`;
}

describe('scoped access: every operation × every credential', () => {
  let t: TestApp;
  let driver: Driver;
  const p = testPrefix('access');

  beforeAll(async () => {
    driver = testDriver();
    // The test env keeps the registry in an in-memory SQLite and the queue under this file's own Redis prefix.
    t = await startApp({
      API_KEYS: Object.entries(SECRETS)
        .map(([scope, secret]) => keyLine(`${scope}-app`, scope, secret))
        .join(','),
      ADMIN_TOKEN: ADMIN,
    });
  });
  afterAll(async () => {
    await t?.close();
    await cleanup(driver, p);
    await driver.close();
  });

  it('has a row for every Query and Mutation field the server has', async () => {
    const res = await t.gql(`{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`);
    const fields = [...res.data!.__schema.queryType.fields, ...res.data!.__schema.mutationType.fields].map((f: { name: string }) => f.name);
    expect(fields.sort()).toEqual(Object.keys(operations(p)).sort());
  });

  it('allows exactly what each scope grants, refusing the rest with the right code and reason', async () => {
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const [name, { access, doc }] of Object.entries(operations(p))) {
      for (const cred of Object.keys(CREDENTIALS) as Credential[]) {
        got[`${name} as ${cred}`] = outcome(await t.gql(doc, {}, CREDENTIALS[cred]));
        want[`${name} as ${cred}`] = expected(access, cred);
      }
    }
    expect(got).toEqual(want);
  });

  it("guards a user's interactions and friends with the read scope, also when a write returns the user", async () => {
    const id = `${p}ada`;
    const write = await t.gql(
      `mutation($id: ID!) { upsertUsers(users: [{ id: $id }]) { id friends { totalCount } } }`,
      { id },
      CREDENTIALS.write,
    );
    expect(write.errors![0]).toMatchObject({
      path: ['upsertUsers', 0, 'friends'],
      extensions: { code: 'FORBIDDEN', reason: 'SCOPE_MISSING' },
    });
    const read = await t.gql(
      `query($id: ID!) { user(id: $id) { id interactions { totalCount } friends { totalCount } } }`,
      { id },
      CREDENTIALS.read,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.user.id).toBe(id);
    const del = await t.gql(`mutation($id: ID!) { deleteUser(id: $id) { __typename } }`, { id }, CREDENTIALS.delete);
    expect(del.errors).toBeUndefined();
  });
});

describe('API_KEYS_FILE rotation and the production switches', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tg-keysfile-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a rotated key file without a restart, and never opens on an empty one', async () => {
    const file = join(dir, 'api-keys');
    writeFileSync(file, `# app keys\n${keyLine('web', 'read', 'old-secret-1')}\n`);
    const t = await startApp({ API_KEYS_FILE: file, API_KEYS: '' });
    const q = `{ activeModel { id } }`;
    const as = async (secret: string) => outcome(await t.gql(q, {}, { 'x-api-key': secret }));
    const until = async (secret: string, want: string) => {
      for (let i = 0; i < 50 && (await as(secret)) !== want; i++) await new Promise((r) => setTimeout(r, 100));
      return as(secret);
    };
    try {
      expect(await as('old-secret-1')).toBe('allowed');
      expect(await as('new-secret-1')).toBe('FORBIDDEN API_KEY_INVALID');
      writeFileSync(file, `${keyLine('web', 'read', 'new-secret-1')}\n`);
      expect(await until('new-secret-1', 'allowed')).toBe('allowed');
      expect(await as('old-secret-1')).toBe('FORBIDDEN API_KEY_INVALID');
      writeFileSync(file, '');
      expect(await until('new-secret-1', 'FORBIDDEN API_KEY_INVALID')).toBe('FORBIDDEN API_KEY_INVALID');
      expect(outcome(await t.gql(q))).toBe('UNAUTHENTICATED API_KEY_REQUIRED');
    } finally {
      await t.close();
    }
  });

  it('serves neither GraphiQL nor introspection when switched off (the production default)', async () => {
    const t = await startApp({ GRAPHQL_GRAPHIQL: 'false', GRAPHQL_INTROSPECTION: 'false' });
    try {
      const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('TasteGraph GraphiQL');
      expect((await fetch(`${t.url}/graphiql/assets/graphiql.min.js`)).status).toBe(404);
      const res = await t.gql(`{ __schema { queryType { name } } }`);
      expect(res.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await t.gql(`{ activeModel { id } }`)).errors).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
