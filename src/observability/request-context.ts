import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What one unit of work (an HTTP request, a training job) carries through its async calls: its
 * request id (log lines, span attributes, the trainer's events) and the span its child spans hang
 * under. The store object is shared by every continuation of the request, so a stage may set `span`.
 */
export interface RequestStore {
  requestId: string;
  span?: Span;
}

const storage = new AsyncLocalStorage<RequestStore>();

/** Letters, digits and `._:-`, 1 to 128 characters: what a proxy or client may send as `x-request-id`. */
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export const newRequestId = (): string => randomUUID();

/** The client's `x-request-id` when it is one header of the accepted shape, else a new id. */
export function acceptRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && VALID.test(header) ? header : newRequestId();
}

export const isValidRequestId = (id: unknown): id is string => typeof id === 'string' && VALID.test(id);

/** Runs `fn` (and every async continuation it starts) inside `store`. */
export function runInRequest<T>(store: RequestStore, fn: () => T): T {
  return storage.run(store, fn);
}

/** The store of the request being served here, if any. */
export const currentRequest = (): RequestStore | undefined => storage.getStore();

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;
