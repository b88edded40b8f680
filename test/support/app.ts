import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config.schema';
import type { DestinationStream } from 'pino';

export interface GqlResult<T = Record<string, any>> {
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, any>; path?: string[] }>;
}

export interface TestApp {
  app: INestApplication;
  url: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** The same POST as `gql`, with the HTTP status and the `retry-after` header beside the body. */
  post(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; retryAfter: string | null; body: GqlResult<any> }>;
  get(path: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Boots the real app (real Neo4j, Redis, SQL) on a free port. `overrides` are env variables; `logDestination` receives the log lines. */
export async function startApp(
  overrides: Record<string, string> = {},
  opts: { logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const app = await createApp(loadConfig({ ...process.env, ...overrides }), opts);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const post: TestApp['post'] = async (query, variables = {}, headers = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as GqlResult<any> };
  };
  return {
    app,
    url,
    gql: async (query, variables = {}, headers = {}) => (await post(query, variables, headers)).body,
    post,
    async get(path) {
      const res = await fetch(`${url}${path}`);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body };
    },
    close: () => app.close(),
  };
}

/** A unique id prefix per test file, so files never see each other's data. */
export const testPrefix = (name: string): string => `t-${name}-${randomBytes(3).toString('hex')}-`;
