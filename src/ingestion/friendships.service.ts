import { Inject, Injectable } from '@nestjs/common';
import { badInput, ErrorDetail } from '../common/errors/domain-error';
import { validationFailed } from '../common/validation.pipe';
import { FriendshipInput, FriendshipPairInput } from './dto/friendship.input';
import { FriendshipRow, FriendshipsRepository } from './friendships.repository';
import { GraphChanges } from './graph-changes';
import { INGESTION_SETTINGS, IngestionSettings, tsProblem } from './ingestion.settings';
import { BATCH_MAX } from './limits';
import { AddFriendshipsPayload, RemoveFriendshipsPayload } from './types/payloads.type';
import { missingKeys, unknownIds } from './unknown-ids';

/** FRIEND is stored once per unordered pair, from the lower id to the higher id (string order). */
export const orderPair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

@Injectable()
export class FriendshipsService {
  constructor(
    private readonly friendships: FriendshipsRepository,
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
    private readonly changes: GraphChanges,
  ) {}

  /**
   * All pairs in one transaction. Self-friendships and bad dates reject the batch; the same
   * unordered pair given twice is merged (earliest `since`) and counted in `duplicatesMerged`.
   * Both users must exist (UNKNOWN_IDS otherwise).
   */
  async add(pairs: FriendshipInput[], now = Date.now()): Promise<AddFriendshipsPayload> {
    this.checkSize(pairs);
    const details: ErrorDetail[] = [];
    const rows = new Map<string, FriendshipRow>();
    let duplicates = 0;
    pairs.forEach((p, i) => {
      if (p.a === p.b) details.push({ field: `pairs[${i}]`, message: `a user cannot befriend themselves (${JSON.stringify(p.a)})` });
      const since = p.since ? p.since.getTime() : null;
      const tp = since === null ? null : tsProblem(since, now, this.settings.maxFutureMs);
      if (tp) details.push({ field: `pairs[${i}].since`, message: tp });
      if (p.a === p.b || tp) return;
      const [lo, hi] = orderPair(p.a, p.b);
      const key = `${lo}\u0000${hi}`;
      const prev = rows.get(key);
      if (!prev) rows.set(key, { lo, hi, since });
      else {
        duplicates += 1;
        if (since !== null && (prev.since === null || since < prev.since)) prev.since = since;
      }
    });
    if (details.length) throw validationFailed(details);
    if (rows.size === 0) return { created: 0, existing: 0, duplicatesMerged: 0 };
    const userIds = [...new Set([...rows.values()].flatMap((r) => [r.lo, r.hi]))];
    const out = await this.changes.after({ kind: 'userEdges', userIds }, () => this.friendships.add([...rows.values()], userIds));
    if ('missing' in out) {
      throw unknownIds(
        new Set(missingKeys('user', out.missing)),
        pairs.flatMap((p, i) => [
          { id: p.a, field: `pairs[${i}].a`, kind: 'user' as const },
          { id: p.b, field: `pairs[${i}].b`, kind: 'user' as const },
        ]),
      );
    }
    return { created: out.created, existing: out.pairs - out.created, duplicatesMerged: duplicates };
  }

  /** Removes each pair's FRIEND edge; pairs that are not friends (or unknown users) count as notFound. */
  async remove(pairs: FriendshipPairInput[]): Promise<RemoveFriendshipsPayload> {
    this.checkSize(pairs);
    const details: ErrorDetail[] = [];
    pairs.forEach((p, i) => {
      if (p.a === p.b) details.push({ field: `pairs[${i}]`, message: `a user cannot befriend themselves (${JSON.stringify(p.a)})` });
    });
    if (details.length) throw validationFailed(details);
    const distinct = new Map(
      pairs.map((p) => {
        const [a, b] = orderPair(p.a, p.b);
        return [`${a}\u0000${b}`, { a, b }] as const;
      }),
    );
    if (distinct.size === 0) return { removed: 0, notFound: 0 };
    const userIds = [...new Set([...distinct.values()].flatMap((p) => [p.a, p.b]))];
    const removed = await this.changes.after({ kind: 'userEdges', userIds }, () => this.friendships.remove([...distinct.values()]));
    return { removed, notFound: distinct.size - removed };
  }

  private checkSize(pairs: unknown[]): void {
    if (pairs.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} pairs per call, got ${pairs.length}`);
  }
}
