import { badInput, DomainError, ErrorDetail } from '../common/errors/domain-error';
import { UNKNOWN_IDS_SHOWN } from './limits';

/**
 * UNKNOWN_IDS naming each missing id at its first entry, e.g. `events[3].userId: unknown user "u1"`.
 * `where` lists (id, field path, kind) in input order.
 */
export function unknownIds(missing: Set<string>, where: Array<{ id: string; field: string; kind: 'user' | 'item' }>): DomainError {
  const details: ErrorDetail[] = [];
  const named = new Set<string>();
  for (const w of where) {
    const key = `${w.kind}\u0000${w.id}`;
    if (!missing.has(key) || named.has(key)) continue;
    named.add(key);
    details.push({ field: w.field, message: `unknown ${w.kind} ${JSON.stringify(w.id)}` });
  }
  const shown = details.slice(0, UNKNOWN_IDS_SHOWN);
  const more = details.length > shown.length ? ` (and ${details.length - shown.length} more)` : '';
  return badInput(
    'UNKNOWN_IDS',
    `${details.length} unknown id(s): ${shown
      .slice(0, 5)
      .map((d) => d.message.replace(/^unknown /, ''))
      .join(', ')}${more}`,
    shown,
  );
}

export const missingKeys = (kind: 'user' | 'item', ids: string[]): string[] => ids.map((id) => `${kind}\u0000${id}`);
