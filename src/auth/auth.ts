import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of a presented secret with the configured one (hashed to equal lengths). */
export function secretMatches(presented: string, expected: string): boolean {
  if (!expected) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer token of an `Authorization: Bearer <t>` header, or the password of Basic auth (browsers). */
export function presentedToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.split(' ', 2);
  if (!value) return null;
  if (/^bearer$/i.test(scheme)) return value.trim();
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i >= 0 ? decoded.slice(i + 1) : null;
  }
  return null;
}

/** The configured API keys (API_KEYS, comma-separated; empty: none required). */
export function configuredApiKeys(apiKeys: string): string[] {
  return apiKeys
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}
