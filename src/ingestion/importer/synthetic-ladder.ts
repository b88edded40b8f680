/**
 * The synthetic scale ladder: the seeded generator's planted taste communities (synthetic.ts) at s ×
 * lastfm's size (1 892 users, 17 632 items per step; ~53 interactions and ~6.3 friendships started
 * per user, so 100× has ≥ 10M interactions, 1.76M items and ≥ 1M friendships), written in the same
 * format (`npm run import` reads it) but streamed: memory grows with users and items (community
 * lists, Zipf tables) and friendships (deduplicated), never with interactions.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADJECTIVES,
  FRIENDS_IN_COMMUNITY_SHARE,
  GENRES,
  IN_COMMUNITY_SHARE,
  drawRank,
  mulberry32,
  zipfCdf,
  NOUNS,
  SHARED_TAGS,
  SYNTHETIC_FORMAT,
  SYNTHETIC_HEADERS,
  SYNTHETIC_VERSION,
  TEST_SHARE,
} from './synthetic';

export const LADDER_STEP = { users: 1_892, items: 17_632 } as const;
export const LADDER_MAX_SCALE = 1_000;
const COMMUNITIES = 12;
const MIN_INTERACTIONS = 10;
const EXTRA_INTERACTIONS = 130; // + floor(130·x²), x uniform: mean 10 + 43.3
const MIN_FRIEND_STARTS = 3;
const EXTRA_FRIEND_STARTS = 10; // + floor(10·z²): mean 6.3 started per user
const COLD_START_USERS = 12;

/** Buffered line writer (one write per ~1 MiB). */
class Lines {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string, header: string) {
    this.fd = openSync(path, 'w');
    this.push(header);
  }
  push(line: string): void {
    this.buf.push(line);
    this.size += line.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function shuffleInPlace(xs: Int32Array, rng: () => number): Int32Array {
  for (let k = xs.length - 1; k > 0; k--) {
    const j = Math.floor(rng() * (k + 1));
    const t = xs[k];
    xs[k] = xs[j];
    xs[j] = t;
  }
  return xs;
}

/** Members (1-based ids) per community, assigned round-robin then shuffled. */
function communities(n: number, k: number, rng: () => number): { of: Int32Array; members: Int32Array[] } {
  const of = shuffleInPlace(
    Int32Array.from({ length: n }, (_, x) => x % k),
    rng,
  );
  const members = Array.from({ length: k }, (_, c) => new Int32Array(Math.floor(n / k) + (c < n % k ? 1 : 0)));
  const fill = new Int32Array(k);
  for (let x = 0; x < n; x++) members[of[x]][fill[of[x]]++] = x + 1;
  return { of, members };
}

export interface LadderCounts {
  users: number;
  items: number;
  interactions: number;
  train: number;
  test: number;
  friendships: number;
  coldStartUsers: number;
  newItems: number;
}

/** Writes the s × lastfm rung into `folder` (created); returns the manifest's counts. */
export function writeLadderRung(folder: string, scale: number, seed = 7): LadderCounts {
  if (!Number.isInteger(scale) || scale < 1 || scale > LADDER_MAX_SCALE)
    throw new RangeError(`scale must be an integer in 1..${LADDER_MAX_SCALE}`);
  mkdirSync(folder, { recursive: true });
  const rng = mulberry32(seed);
  const U = LADDER_STEP.users * scale;
  const I = LADDER_STEP.items * scale;
  const K = COMMUNITIES;
  const genres = GENRES.slice(0, K);
  const users = communities(U, K, rng);
  const items = communities(I, K, rng);
  // popularity: a shuffled rank order per community, Zipf over ranks; the last is a new release nobody played
  const playable = items.members.map((m) => shuffleInPlace(Int32Array.from(m), rng));
  const newItems = playable.map((p) => p[p.length - 1]);
  const cdfs = playable.map((p) => zipfCdf(p.length - 1));

  const u = new Lines(join(folder, 'users.tsv'), SYNTHETIC_HEADERS.users);
  for (let x = 0; x < U; x++) u.push(`${x + 1}\t${users.of[x]}`);
  u.close();
  const it = new Lines(join(folder, 'items.tsv'), SYNTHETIC_HEADERS.items);
  for (let id = 1; id <= I; id++) {
    const c = items.of[id - 1];
    const pool = genres[c].tags;
    const a = Math.floor(rng() * pool.length);
    const b = (a + 1 + Math.floor(rng() * (pool.length - 1))) % pool.length;
    const tags = [genres[c].genre, pool[a], pool[b]];
    if (rng() < 0.3) tags.push(SHARED_TAGS[Math.floor(rng() * SHARED_TAGS.length)]);
    const title = `${ADJECTIVES[Math.floor(rng() * ADJECTIVES.length)]} ${NOUNS[Math.floor(rng() * NOUNS.length)]} ${id}`;
    it.push(`${id}\t${c}\t${title}\t${tags.join(',')}`);
  }
  it.close();

  const cold = new Set<number>();
  while (cold.size < Math.min(COLD_START_USERS, U)) cold.add(1 + Math.floor(rng() * U));
  const inter = new Lines(join(folder, 'interactions.tsv'), SYNTHETIC_HEADERS.interactions);
  let train = 0;
  let test = 0;
  const picked = new Set<number>();
  const list: number[] = [];
  for (let x = 1; x <= U; x++) {
    if (cold.has(x)) continue;
    const own = users.of[x - 1];
    const r = rng();
    const want = MIN_INTERACTIONS + Math.floor(EXTRA_INTERACTIONS * r * r);
    picked.clear();
    list.length = 0;
    for (let slot = 0; list.length < want && slot < want * 3; slot++) {
      const inside = rng() < IN_COMMUNITY_SHARE;
      const c = inside ? own : (own + 1 + Math.floor(rng() * (K - 1))) % K;
      const item = playable[c][drawRank(cdfs[c], rng())];
      if (picked.has(item)) continue;
      picked.add(item);
      list.push(item);
    }
    const nTest = Math.floor(list.length * TEST_SHARE);
    for (let k = 0; k < list.length; k++) {
      const y = rng();
      const split = k >= list.length - nTest ? 'test' : 'train';
      if (split === 'test') test++;
      else train++;
      inter.push(`${x}\t${list[k]}\t${1 + Math.floor(y * y * y * 400)}\t${split}`);
    }
  }
  inter.close();

  const pairs = new Set<number>();
  for (let x = 1; x <= U; x++) {
    const own = users.of[x - 1];
    const z = rng();
    const starts = MIN_FRIEND_STARTS + Math.floor(EXTRA_FRIEND_STARTS * z * z);
    for (let k = 0; k < starts; k++) {
      const c = rng() < FRIENDS_IN_COMMUNITY_SHARE ? own : (own + 1 + Math.floor(rng() * (K - 1))) % K;
      const y = users.members[c][Math.floor(rng() * users.members[c].length)];
      if (y !== x) pairs.add(Math.min(x, y) * (U + 1) + Math.max(x, y));
    }
  }
  const sorted = Float64Array.from(pairs).sort();
  pairs.clear();
  const fr = new Lines(join(folder, 'friends.tsv'), SYNTHETIC_HEADERS.friends);
  for (const key of sorted) fr.push(`${Math.floor(key / (U + 1))}\t${key % (U + 1)}`);
  fr.close();

  const counts: LadderCounts = {
    users: U,
    items: I,
    interactions: train + test,
    train,
    test,
    friendships: sorted.length,
    coldStartUsers: cold.size,
    newItems: newItems.length,
  };
  const manifest = {
    format: SYNTHETIC_FORMAT,
    version: SYNTHETIC_VERSION,
    params: { seed, scale, users: U, items: I, communities: K, ladder: true, inCommunityShare: IN_COMMUNITY_SHARE, testShare: TEST_SHARE },
    counts,
    communities: genres.map((g, c) => ({
      id: c,
      genre: g.genre,
      tags: [g.genre, ...g.tags],
      users: users.members[c].length,
      items: items.members[c].length,
    })),
    examples: {
      coldStartUsers: [...cold].sort((a, b) => a - b).map((x) => `synthetic:u${x}`),
      newItems: newItems.map((i) => `synthetic:i${i}`),
    },
  };
  writeFileSync(join(folder, 'synthetic.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return counts;
}
