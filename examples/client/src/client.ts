import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** A GraphQL error as TasteGraph sends it: a stable `extensions.code` and, for domain errors, a `reason`. */
export class TasteGraphError extends Error {
  constructor(readonly errors: Array<{ message: string; extensions?: { code?: string; reason?: string } }>) {
    super(
      errors.map((e) => `${e.message} (${e.extensions?.code ?? '?'}${e.extensions?.reason ? ` ${e.extensions.reason}` : ''})`).join('; '),
    );
    this.name = 'TasteGraphError';
  }
}

/** A typed client: the result and variables types come from the generated document. */
export function tasteGraphClient(endpoint: string, headers: Record<string, string> = {}) {
  return async function request<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as { data?: R; errors?: TasteGraphError['errors'] };
    if (body.errors?.length) throw new TasteGraphError(body.errors);
    return body.data as R;
  };
}
