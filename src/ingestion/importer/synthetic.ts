import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A seeded synthetic social graph with planted taste communities, written as a dataset folder the
 * bulk importer reads like any other (format `synthetic`). Pure arithmetic on a mulberry32 stream
 * (no Math.exp/log/cos, whose last bits may differ between engines): the same parameters give
 * byte-identical files on every machine.
 */

export const SYNTHETIC_FORMAT = 'tastegraph-synthetic';
export const SYNTHETIC_VERSION = 1;
export const SYNTHETIC_FILES = ['synthetic.json', 'users.tsv', 'items.tsv', 'interactions.tsv', 'friends.tsv'] as const;

export const SYNTHETIC_HEADERS = {
  users: 'user\tcommunity',
  items: 'item\tcommunity\ttitle\ttags',
  interactions: 'user\titem\tplays\tsplit',
  friends: 'user\tfriend',
} as const;

/** Genres with their tag pools; `--communities K` takes the first K. The genre is also the first tag. */
export const GENRES: ReadonlyArray<{ genre: string; tags: readonly string[] }> = [
  { genre: 'indie folk', tags: ['folk', 'acoustic', 'singer-songwriter', 'indie', 'americana'] },
  { genre: 'techno', tags: ['electronic', 'minimal', 'berlin', 'dance', 'industrial techno'] },
  { genre: 'jazz', tags: ['bebop', 'saxophone', 'smooth jazz', 'swing', 'fusion'] },
  { genre: 'metal', tags: ['heavy metal', 'thrash', 'doom', 'metalcore', 'black metal'] },
  { genre: 'k-pop', tags: ['korean', 'idol', 'dance pop', 'pop', 'girl group'] },
  { genre: 'classical', tags: ['baroque', 'piano', 'orchestral', 'opera', 'romantic'] },
  { genre: 'hip-hop', tags: ['rap', 'boom bap', 'trap', 'underground hip-hop', 'west coast'] },
  { genre: 'reggae', tags: ['dub', 'ska', 'roots reggae', 'dancehall', 'jamaican'] },
  { genre: 'country', tags: ['bluegrass', 'outlaw country', 'honky tonk', 'nashville', 'country rock'] },
  { genre: 'ambient', tags: ['drone', 'downtempo', 'chillout', 'new age', 'field recordings'] },
  { genre: 'punk', tags: ['hardcore', 'pop punk', 'garage', 'post-punk', 'riot grrrl'] },
  { genre: 'latin', tags: ['salsa', 'reggaeton', 'bossa nova', 'cumbia', 'tango'] },
];

/** Tags any item may carry besides its community's: they link communities weakly, like real tag noise. */
export const SHARED_TAGS: readonly string[] = [
  'seen live',
  'favorites',
  '90s',
  '00s',
  'female vocalists',
  'male vocalists',
  'instrumental',
  'chill',
];

export const ADJECTIVES = [
  'Amber',
  'Bitter',
  'Blue',
  'Broken',
  'Burning',
  'Cold',
  'Crimson',
  'Crystal',
  'Dark',
  'Distant',
  'Electric',
  'Empty',
  'Faded',
  'Fading',
  'Frozen',
  'Gentle',
  'Glass',
  'Golden',
  'Hollow',
  'Iron',
  'Last',
  'Little',
  'Lost',
  'Lunar',
  'Midnight',
  'Neon',
  'Northern',
  'Pale',
  'Paper',
  'Quiet',
  'Restless',
  'Rusty',
  'Scarlet',
  'Secret',
  'Silent',
  'Silver',
  'Slow',
  'Solar',
  'Stone',
  'Strange',
  'Sweet',
  'Velvet',
  'Wandering',
  'Wild',
  'Winter',
  'Wooden',
  'Young',
  'Zero',
];
export const NOUNS = [
  'Anchors',
  'Arrows',
  'Bees',
  'Birds',
  'Bridges',
  'Canyons',
  'Cathedrals',
  'Circuits',
  'Clouds',
  'Comets',
  'Coyotes',
  'Dials',
  'Echoes',
  'Engines',
  'Fields',
  'Foxes',
  'Gardens',
  'Ghosts',
  'Harbors',
  'Horses',
  'Islands',
  'Kites',
  'Lanterns',
  'Machines',
  'Mirrors',
  'Moths',
  'Oceans',
  'Orchards',
  'Owls',
  'Pilots',
  'Rivers',
  'Rockets',
  'Sailors',
  'Satellites',
  'Shadows',
  'Signals',
  'Sparrows',
  'Statues',
  'Strangers',
  'Tides',
  'Towers',
  'Trains',
  'Valleys',
  'Wolves',
  'Waves',
  'Whales',
  'Windows',
  'Wires',
];

export interface SyntheticParams {
  seed: number;
  users: number;
  communities: number;
  items: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticParams = { seed: 7, users: 600, communities: 6, items: 1200 };

/** The planted structure's knobs (fixed, recorded in the manifest). */
export const IN_COMMUNITY_SHARE = 0.8;
export const FRIENDS_IN_COMMUNITY_SHARE = 0.85;
export const TEST_SHARE = 0.2;
const MIN_INTERACTIONS = 6;
const MAX_EXTRA_INTERACTIONS = 54;
const COLD_START_USERS = 2;

export const SYNTHETIC_LIMITS = {
  seed: [0, 0xffffffff],
  users: [20, 200_000],
  communities: [2, GENRES.length],
  /** Per community: at least 10 items. */
  items: [20, 200_000],
} as const;

/** Why the parameters cannot be generated, or null. */
export function syntheticParamsProblem(p: SyntheticParams): string | null {
  for (const k of ['seed', 'users', 'communities', 'items'] as const) {
    const [lo, hi] = SYNTHETIC_LIMITS[k];
    if (!Number.isInteger(p[k]) || p[k] < lo || p[k] > hi) return `${k} must be an integer in ${lo}..${hi}, got ${p[k]}`;
  }
  if (p.items < 10 * p.communities)
    return `items must be at least 10 per community (${10 * p.communities} for ${p.communities} communities), got ${p.items}`;
  if (p.users < 4 * p.communities)
    return `users must be at least 4 per community (${4 * p.communities} for ${p.communities} communities), got ${p.users}`;
  return null;
}

/** mulberry32: a small, fast 32-bit PRNG; uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticCommunity {
  id: number;
  genre: string;
  tags: string[];
  users: number;
  items: number;
  /** The most active user of the community (namespaced id), a good demo user. */
  exampleUser: string;
}

export interface SyntheticManifest {
  format: typeof SYNTHETIC_FORMAT;
  version: typeof SYNTHETIC_VERSION;
  params: SyntheticParams & {
    inCommunityShare: number;
    friendsInCommunityShare: number;
    testShare: number;
    zipfExponent: number;
    sharedTags: string[];
  };
  counts: {
    users: number;
    items: number;
    interactions: number;
    train: number;
    test: number;
    friendships: number;
    coldStartUsers: number;
    newItems: number;
  };
  communities: SyntheticCommunity[];
  /** Namespaced ids (`synthetic:u<n>`, `synthetic:i<n>`) as the importer writes them. */
  examples: { user: string; coldStartUsers: string[]; newItems: string[] };
  files: Record<string, string>;
}

export interface SyntheticDataset {
  manifest: SyntheticManifest;
  /** File name → contents (UTF-8, LF line ends, header line first). */
  files: Record<(typeof SYNTHETIC_FILES)[number], string>;
}

/** Fisher–Yates with the given stream. */
function shuffle<T>(xs: T[], rng: () => number): T[] {
  for (let k = xs.length - 1; k > 0; k--) {
    const j = Math.floor(rng() * (k + 1));
    [xs[k], xs[j]] = [xs[j], xs[k]];
  }
  return xs;
}

/** Sizes as even as possible, then members assigned in a shuffled order (ids do not give communities away). */
function assignCommunities(n: number, k: number, rng: () => number): number[] {
  return shuffle(
    Array.from({ length: n }, (_, x) => x % k),
    rng,
  );
}

/** Cumulative Zipf(1) weights over ranks 1..n: rank r is drawn with probability ∝ 1/r. */
export function zipfCdf(n: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1);
  for (let r = 0; r < n; r++) cdf[r] /= sum;
  return cdf;
}

/** The rank whose cumulative weight first exceeds `u` (binary search over `zipfCdf`). */
export function drawRank(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Generates the whole dataset in memory; raw ids are 1-based integers, communities 0-based. */
export function generateSynthetic(params: SyntheticParams): SyntheticDataset {
  const problem = syntheticParamsProblem(params);
  if (problem) throw new RangeError(problem);
  const { seed, users: U, communities: K, items: I } = params;
  const rng = mulberry32(seed);
  const genres = GENRES.slice(0, K);

  const userCommunity = assignCommunities(U, K, rng); // index = user id - 1
  const itemCommunity = assignCommunities(I, K, rng);
  const usersOf: number[][] = genres.map(() => []);
  userCommunity.forEach((c, x) => usersOf[c].push(x + 1));
  const itemsOf: number[][] = genres.map(() => []);
  itemCommunity.forEach((c, x) => itemsOf[c].push(x + 1));

  // Popularity: a random rank order per community, Zipf over ranks. The last-ranked item of each
  // community is a new release nobody has played yet.
  const ranked = itemsOf.map((ids) => shuffle([...ids], rng));
  const newItems = ranked.map((ids) => ids[ids.length - 1]);
  const playable = ranked.map((ids) => ids.slice(0, -1));
  const cdfs = playable.map((ids) => zipfCdf(ids.length));

  // Titles: adjective + noun, numbered on a clash; tags: genre + 2 of its pool, sometimes a shared tag.
  const usedTitles = new Map<string, number>();
  const itemRows: string[] = [];
  for (let id = 1; id <= I; id++) {
    const c = itemCommunity[id - 1];
    const base = `${ADJECTIVES[Math.floor(rng() * ADJECTIVES.length)]} ${NOUNS[Math.floor(rng() * NOUNS.length)]}`;
    const seen = usedTitles.get(base) ?? 0;
    usedTitles.set(base, seen + 1);
    const title = seen ? `${base} ${seen + 1}` : base;
    const pool = shuffle([...genres[c].tags], rng);
    const tags = [genres[c].genre, pool[0], pool[1]];
    if (rng() < 0.3) tags.push(SHARED_TAGS[Math.floor(rng() * SHARED_TAGS.length)]);
    itemRows.push(`${id}\t${c}\t${title}\t${tags.join(',')}`);
  }

  // Cold-start users: in two different communities, no interactions, friends like everyone else.
  const coldStart = new Set<number>();
  for (let k = 0; k < COLD_START_USERS; k++) {
    const members = usersOf[k % K];
    let u: number;
    do u = members[Math.floor(rng() * members.length)];
    while (coldStart.has(u));
    coldStart.add(u);
  }

  // Interactions in draw order ("time"): mostly the user's community, the rest across; the last
  // TEST_SHARE of each user's list is the test split.
  const interactionRows: string[] = [];
  const trainCount = new Array<number>(U + 1).fill(0);
  let train = 0;
  let test = 0;
  for (let u = 1; u <= U; u++) {
    if (coldStart.has(u)) continue;
    const own = userCommunity[u - 1];
    const x = rng();
    const want = MIN_INTERACTIONS + Math.floor(MAX_EXTRA_INTERACTIONS * x * x);
    const picked = new Set<number>();
    const list: Array<[number, number]> = [];
    for (let slot = 0; list.length < want && slot < want * 3; slot++) {
      const inside = rng() < IN_COMMUNITY_SHARE;
      const c = inside ? own : (own + 1 + Math.floor(rng() * (K - 1))) % K;
      // Redraw inside the chosen community on a repeat, so the in-community share stays planted
      // even when the popular head of the user's own community is used up.
      let item = 0;
      for (let tries = 0; tries < 40 && (item === 0 || picked.has(item)); tries++) item = playable[c][drawRank(cdfs[c], rng())];
      if (picked.has(item)) continue;
      const y = rng();
      picked.add(item);
      list.push([item, 1 + Math.floor(y * y * y * (inside ? 400 : 120))]);
    }
    const nTest = Math.floor(list.length * TEST_SHARE);
    list.forEach(([item, plays], k) => {
      const split = k >= list.length - nTest ? 'test' : 'train';
      if (split === 'test') test += 1;
      else {
        train += 1;
        trainCount[u] += 1;
      }
      interactionRows.push(`${u}\t${item}\t${plays}\t${split}`);
    });
  }

  // Friendships: each user starts 2..7 of them, mostly inside the community (homophily).
  const pairs = new Set<number>(); // lo * (U + 1) + hi
  const friendCount = new Array<number>(U + 1).fill(0);
  const befriend = (a: number, b: number): void => {
    if (a === b) return;
    const key = Math.min(a, b) * (U + 1) + Math.max(a, b);
    if (pairs.has(key)) return;
    pairs.add(key);
    friendCount[a] += 1;
    friendCount[b] += 1;
  };
  for (let u = 1; u <= U; u++) {
    const own = userCommunity[u - 1];
    const z = rng();
    const starts = (coldStart.has(u) ? 3 : 2) + Math.floor(6 * z * z);
    for (let k = 0; k < starts; k++) {
      const inside = rng() < FRIENDS_IN_COMMUNITY_SHARE;
      const c = inside ? own : (own + 1 + Math.floor(rng() * (K - 1))) % K;
      befriend(u, usersOf[c][Math.floor(rng() * usersOf[c].length)]);
    }
  }
  const friendRows = [...pairs].sort((a, b) => a - b).map((key) => `${Math.floor(key / (U + 1))}\t${key % (U + 1)}`);

  const P = 'synthetic:';
  const exampleOf = (c: number): number =>
    usersOf[c].reduce(
      (best, u) => (trainCount[u] > trainCount[best] || (trainCount[u] === trainCount[best] && u < best) ? u : best),
      usersOf[c][0],
    );
  // The demo user: the most active user of the first community that has at least two friends.
  const demoUser =
    [...usersOf[0]].filter((u) => !coldStart.has(u) && friendCount[u] >= 2).sort((a, b) => trainCount[b] - trainCount[a] || a - b)[0] ??
    exampleOf(0);

  const manifest: SyntheticManifest = {
    format: SYNTHETIC_FORMAT,
    version: SYNTHETIC_VERSION,
    params: {
      ...params,
      inCommunityShare: IN_COMMUNITY_SHARE,
      friendsInCommunityShare: FRIENDS_IN_COMMUNITY_SHARE,
      testShare: TEST_SHARE,
      zipfExponent: 1,
      sharedTags: [...SHARED_TAGS],
    },
    counts: {
      users: U,
      items: I,
      interactions: interactionRows.length,
      train,
      test,
      friendships: friendRows.length,
      coldStartUsers: coldStart.size,
      newItems: newItems.length,
    },
    communities: genres.map((g, c) => ({
      id: c,
      genre: g.genre,
      tags: [g.genre, ...g.tags],
      users: usersOf[c].length,
      items: itemsOf[c].length,
      exampleUser: `${P}u${exampleOf(c)}`,
    })),
    examples: {
      user: `${P}u${demoUser}`,
      coldStartUsers: [...coldStart].sort((a, b) => a - b).map((u) => `${P}u${u}`),
      newItems: [...newItems].sort((a, b) => a - b).map((i) => `${P}i${i}`),
    },
    files: {
      'users.tsv': `${SYNTHETIC_HEADERS.users}: user id (positive integer), community (0-based index into communities)`,
      'items.tsv': `${SYNTHETIC_HEADERS.items}: item id, community, title, comma-separated tags`,
      'interactions.tsv': `${SYNTHETIC_HEADERS.interactions}: one row per (user, item) pair; plays = PLAY weight; split train|test`,
      'friends.tsv': `${SYNTHETIC_HEADERS.friends}: one row per unordered pair, user < friend`,
    },
  };
  const tsv = (header: string, rows: string[]) => [header, ...rows].join('\n') + '\n';
  return {
    manifest,
    files: {
      'synthetic.json': `${JSON.stringify(manifest, null, 2)}\n`,
      'users.tsv': tsv(
        SYNTHETIC_HEADERS.users,
        userCommunity.map((c, x) => `${x + 1}\t${c}`),
      ),
      'items.tsv': tsv(SYNTHETIC_HEADERS.items, itemRows),
      'interactions.tsv': tsv(SYNTHETIC_HEADERS.interactions, interactionRows),
      'friends.tsv': tsv(SYNTHETIC_HEADERS.friends, friendRows),
    },
  };
}

/**
 * Writes the dataset into `folder` (created if missing). A folder holding other files but no
 * synthetic.json is refused, so a real dataset is never mixed with synthetic files. Files whose
 * contents are already identical are left untouched (same mtime), so regenerating the same seed
 * lets the importer find its completed import and skip it.
 */
export function writeSyntheticFolder(folder: string, ds: SyntheticDataset): { written: string[]; unchanged: string[] } {
  if (existsSync(folder)) {
    const present = readdirSync(folder);
    if (present.length && !present.includes('synthetic.json')) {
      throw new Error(`${folder} is not empty and holds no synthetic.json: refusing to write a synthetic dataset into it`);
    }
  } else mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [name, body] of Object.entries(ds.files)) {
    const path = join(folder, name);
    if (existsSync(path) && readFileSync(path, 'utf8') === body) {
      unchanged.push(name);
      continue;
    }
    writeFileSync(path, body);
    written.push(name);
  }
  return { written, unchanged };
}
