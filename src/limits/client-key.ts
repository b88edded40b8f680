import type { IncomingHttpHeaders } from 'node:http';
import { presentedToken, secretMatches } from '../auth/auth';

/** The name of the configured app key a presented secret belongs to, or null (ApiKeyStore.find). */
export type KeyLookup = (presented: string) => string | null;

/**
 * Whose budget a request spends: a configured app key (by its name: the secret never reaches Redis),
 * the admin token, or else the client's IP. A key that is not configured counts as its IP, so
 * inventing keys does not buy new budgets (with no keys configured every request counts as its IP).
 */
export function clientKey(headers: IncomingHttpHeaders, ip: string, lookup: KeyLookup, adminToken: string): string {
  const key = headers['x-api-key'];
  const name = typeof key === 'string' ? lookup(key) : null;
  if (name !== null) return `key:${name}`;
  const bearer = presentedToken(headers.authorization);
  if (bearer && adminToken && secretMatches(bearer, adminToken)) return 'admin';
  return `ip:${ip}`;
}
