import { createClient, type Client } from 'graphql-ws';

/**
 * The page's only link to the API: POST /graphql with the admin token as a bearer header, and one
 * graphql-ws socket (token in connection_init) for live training progress. The token lives in this
 * tab's sessionStorage only; the page itself holds no data until it has one.
 */
const KEY = 'tastegraph.adminToken';
type AuthListener = (token: string | null) => void;
const listeners = new Set<AuthListener>();

export const adminToken = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set(token: string | null): void {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
    socket?.dispose();
    socket = null;
    listeners.forEach((l) => l(token));
  },
  onChange(l: AuthListener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

export class GqlError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}

type GqlErrors = Array<{ message: string; extensions?: { code?: string; reason?: string } }>;

function toError(errors: GqlErrors): GqlError {
  const e = errors[0];
  return new GqlError(e.message, e.extensions?.code, e.extensions?.reason);
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, token = adminToken.get()): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlErrors };
  if (body.errors?.length) {
    const err = toError(body.errors);
    // a wrong or missing token: back to the sign-in form
    if (err.code === 'UNAUTHENTICATED' || err.reason === 'ADMIN_TOKEN_INVALID') adminToken.set(null);
    throw err;
  }
  return body.data as T;
}

let socket: Client | null = null;
function ws(): Client {
  if (socket) return socket;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  socket = createClient({
    url,
    lazy: true,
    // a ping every 10 s keeps the socket alive behind proxies with a read timeout (docker/nginx.conf: 35 s)
    keepAlive: 10_000,
    connectionParams: () => ({ authorization: `Bearer ${adminToken.get() ?? ''}` }),
  });
  return socket;
}

/** Subscribes; `next` gets each message, `done` the end (null) or the failure. Returns the unsubscribe function. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  next: (data: T) => void,
  done: (err: Error | null) => void,
): () => void {
  return ws().subscribe<T>(
    { query, variables },
    {
      next: (m) => (m.errors?.length ? done(toError(m.errors as unknown as GqlErrors)) : next(m.data as T)),
      error: (e) => done(e instanceof Error ? e : new Error(`subscription closed (${(e as { code?: number }).code ?? 'socket error'})`)),
      complete: () => done(null),
    },
  );
}
