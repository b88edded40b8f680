import fc from 'fast-check';
import { Driver } from 'neo4j-driver';
import { graphSnapshot } from './graph-diff';
import { FuzzIds } from './values';
import { FuzzOperation } from './operations';

/** Codes an error may carry: GraphQL's own (parsing, validation, variables) and the API's categories. */
const GRAPHQL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);
const DOMAIN_CATEGORIES = new Set(['NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED', 'UNAVAILABLE']);

export interface HttpResult {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | null;
}

export async function postGraphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<HttpResult> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as HttpResult['body'] };
  } catch {
    return { status: res.status, body: null };
  }
}

export const isGraphqlBody = (res: HttpResult): boolean => !!res.body && (res.body.data !== undefined || Array.isArray(res.body.errors));

/** What is wrong with a response, if anything: a 5xx, an INTERNAL error, an error without a stable code. */
export function responseProblems(res: HttpResult): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`HTTP ${res.status}`);
  // A refusal by the HTTP layer before GraphQL (Fastify's JSON parser refuses `__proto__` keys) answers
  // in the GraphQL error shape too (RequestBodyErrorFilter: INVALID_REQUEST_BODY); any other body is a problem.
  if (!isGraphqlBody(res)) problems.push(`no GraphQL body (HTTP ${res.status})`);
  for (const e of res.body?.errors ?? []) {
    const code = e.extensions?.code;
    const reason = e.extensions?.reason;
    if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR: ${e.message}`);
    else if (typeof code !== 'string') problems.push(`error without a code: ${e.message}`);
    else if (GRAPHQL_CODES.has(code)) continue;
    else if (!DOMAIN_CATEGORIES.has(code)) problems.push(`unknown code ${code}: ${e.message}`);
    else if (typeof reason !== 'string') problems.push(`${code} without a reason: ${e.message}`);
  }
  return problems;
}

export interface FuzzFigures {
  operation: string;
  cases: number;
  /** Responses with an INTERNAL_SERVER_ERROR. */
  internal: number;
  http5xx: number;
  /** Errors without a stable code (or a domain category without its reason), bodies that are not GraphQL. */
  unstable: number;
  /** Refused mutations after which the graph differs. */
  partialWrites: number;
  /** Answers with no GraphQL body (must be 0: counted also as a problem). */
  nonGraphql: number;
  /** Requests that threw (timeout, connection refused). */
  transport: number;
  refused: number;
  codes: Record<string, number>;
  examples: Array<{ variables: unknown; problems: string[] }>;
  seconds: number;
}

export interface FuzzOptions {
  url: string;
  headers?: Record<string, string>;
  cases: number;
  seed: number;
  driver: Driver;
  ids: FuzzIds;
  /** Puts the known users and items back (mutations delete and change them); called every `reseedEvery` cases. */
  reseed: () => Promise<void>;
  reseedEvery?: number;
  chunk?: number;
  /** Queries in flight at once (default 4); mutations always go one at a time, for the graph diff. */
  concurrency?: number;
}

const shorten = (v: unknown): unknown => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 500 ? `${s.slice(0, 500)}… (${s.length} chars)` : v;
};

/** Runs `cases` generated calls of one operation and counts what went wrong. Mutations get a graph diff. */
export async function fuzzOperation(op: FuzzOperation, o: FuzzOptions): Promise<FuzzFigures> {
  const t0 = Date.now();
  const fig: FuzzFigures = {
    operation: op.name,
    cases: 0,
    internal: 0,
    http5xx: 0,
    unstable: 0,
    partialWrites: 0,
    transport: 0,
    nonGraphql: 0,
    refused: 0,
    codes: {},
    examples: [],
    seconds: 0,
  };
  const chunk = o.chunk ?? 200;
  const reseedEvery = o.reseedEvery ?? 100;
  let before: string | null = null;
  /** Sends one case and counts what is wrong with the answer; returns whether the call was refused and when. */
  const send = async (
    raw: unknown,
  ): Promise<{ refused: boolean; beforeExecution: boolean; problems: string[]; variables: unknown } | null> => {
    const variables = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
    fig.cases++;
    let res: HttpResult;
    try {
      res = await postGraphql(o.url, op.document, variables, o.headers);
    } catch (err) {
      fig.transport++;
      if (fig.examples.length < 5) fig.examples.push({ variables: shorten(variables), problems: [`transport: ${(err as Error).message}`] });
      return null;
    }
    const problems = responseProblems(res);
    if (res.status >= 500) fig.http5xx++;
    if (!isGraphqlBody(res)) fig.nonGraphql++;
    const errors = res.body?.errors ?? [];
    if (errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) fig.internal++;
    if (problems.some((p) => !p.startsWith('INTERNAL') && !p.startsWith('HTTP'))) fig.unstable++;
    for (const e of errors) {
      const key = `${String(e.extensions?.code)} ${String(e.extensions?.reason ?? '')}`.trim();
      fig.codes[key] = (fig.codes[key] ?? 0) + 1;
    }
    const refused = !isGraphqlBody(res) || (errors.length > 0 && (res.body?.data?.[op.name] ?? null) === null);
    if (refused) fig.refused++;
    // No `data` at all: refused before execution (parsing, validation, variables, complexity), so no resolver ran.
    const beforeExecution = !isGraphqlBody(res) || res.body?.data === undefined;
    return { refused, beforeExecution, problems, variables };
  };
  const note = (r: { problems: string[]; variables: unknown }) => {
    if (r.problems.length && fig.examples.length < 5) fig.examples.push({ variables: shorten(r.variables), problems: r.problems });
  };

  for (let done = 0; done < o.cases; done += chunk) {
    const batch = fc.sample(op.variables, { numRuns: Math.min(chunk, o.cases - done), seed: o.seed + done });
    if (op.kind === 'query') {
      // Queries write nothing: several at a time, no graph diff.
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const r = await send(batch[next++]);
          if (r) note(r);
        }
      };
      await Promise.all(Array.from({ length: o.concurrency ?? 4 }, worker));
      continue;
    }
    for (const raw of batch) {
      if (fig.cases % reseedEvery === 0) {
        await o.reseed();
        before = null;
      }
      if (before === null) before = await graphSnapshot(o.driver, o.ids.prefix);
      const r = await send(raw);
      if (!r) {
        before = null;
        continue;
      }
      if (r.refused && !r.beforeExecution) {
        const after = await graphSnapshot(o.driver, o.ids.prefix);
        if (after !== before) {
          fig.partialWrites++;
          r.problems.push('refused, yet the graph changed');
        }
        before = after;
      } else if (!r.refused) before = null;
      note(r);
    }
  }
  fig.seconds = (Date.now() - t0) / 1000;
  return fig;
}

/** Known users u0..u5 and items i0..i5 under the prefix, with interactions and friendships between them. */
export function fuzzIds(prefix: string): FuzzIds {
  return {
    prefix,
    users: [0, 1, 2, 3, 4, 5].map((i) => `${prefix}u${i}`),
    items: [0, 1, 2, 3, 4, 5].map((i) => `${prefix}i${i}`),
  };
}

/** Writes the known graph through the API (idempotent), so deleted or changed nodes come back. */
export async function seedKnownGraph(url: string, ids: FuzzIds, headers: Record<string, string> = {}): Promise<void> {
  const steps: Array<[string, Record<string, unknown>]> = [
    [`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: ids.users.map((id, i) => ({ id, name: `user ${i}` })) }],
    [
      `mutation($i: [ItemInput!]!) { upsertItems(items: $i) { id } }`,
      { i: ids.items.map((id, i) => ({ id, title: `item ${i}`, tags: [`t${i % 3}`], attributes: { n: i } })) },
    ],
    [`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched } }`, { ids: ids.items }],
    [
      `mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events } }`,
      { e: ids.users.slice(0, 4).flatMap((userId, u) => ids.items.slice(u, u + 3).map((itemId) => ({ userId, itemId, type: 'VIEW' }))) },
    ],
    [
      `mutation($p: [FriendshipInput!]!) { addFriendships(pairs: $p) { created } }`,
      { p: ids.users.slice(0, 4).map((a, i) => ({ a, b: ids.users[i + 1] })) },
    ],
  ];
  for (const [q, v] of steps) {
    const res = await postGraphql(url, q, v, headers);
    if (res.body?.errors?.length) throw new Error(`seeding the fuzz graph failed: ${JSON.stringify(res.body.errors)}`);
  }
}
