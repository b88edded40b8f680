import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { presentedToken, secretMatches } from '../auth/auth';

/**
 * Whose budget a request spends: a configured API key (hashed: the key itself never reaches
 * Redis), the admin token, or else the client's IP. A key that is not configured counts as its IP,
 * so inventing keys does not buy new budgets (with API_KEYS empty every key is accepted).
 */
export function clientKey(headers: IncomingHttpHeaders, ip: string, apiKeys: readonly string[], adminToken: string): string {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && apiKeys.some((k) => secretMatches(key, k))) {
    return `key:${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
  }
  const bearer = presentedToken(headers.authorization);
  if (bearer && adminToken && secretMatches(bearer, adminToken)) return 'admin';
  return `ip:${ip}`;
}
