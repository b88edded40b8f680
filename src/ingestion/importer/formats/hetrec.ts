import { Dataset, Problems } from '../dataset';
import { columns, int, readLines, withHeader } from '../lines';
import { DatasetFormat } from './dataset-format';
import { readHetrecFiles, skippedTagsNote } from './hetrec-files';
import { FriendshipSet, InteractionMerger } from './rows';

const P = 'hetrec:';
const EVENT_TYPE = 'PLAY';

/** The original HetRec 2011 lastfm-2k files: no split (null), ids in the `hetrec:` namespace. */
function read(folder: string, problems: Problems): Dataset {
  const notes: string[] = [];
  const raw = readHetrecFiles(folder, '', problems);
  const users = new Set<number>();
  const itemIds = new Set<number>([...raw.titles.keys()].map(Number));
  const merger = new InteractionMerger();
  for (const [key, { w }] of raw.weights) {
    const [u, a] = key.split('\t');
    users.add(Number(u));
    itemIds.add(Number(a));
    merger.add(`${P}u${u}`, `${P}i${a}`, EVENT_TYPE, w, null);
  }
  const friends = new FriendshipSet();
  const uf = 'user_friends.dat';
  for (const line of withHeader(readLines(folder, uf, problems), uf, 'userID\tfriendID', problems)) {
    const cols = columns(line, uf, '\t', 2, problems);
    if (!cols) continue;
    const a = int(cols[0], 'userID', line, uf, problems);
    const b = int(cols[1], 'friendID', line, uf, problems);
    if (a === null || b === null) continue;
    if (a === b) {
      problems.add(uf, line.no, `self-friendship of user ${a}`);
      continue;
    }
    users.add(a);
    users.add(b);
    friends.add(`${P}u${a}`, `${P}u${b}`);
  }
  notes.push(
    `user_friends.dat: ${friends.rowsSeen} directed rows stored as ${friends.rows().length} FRIEND edges (one per unordered pair)`,
  );
  const items = [...itemIds]
    .sort((a, b) => a - b)
    .map((a) => ({ id: `${P}i${a}`, title: raw.titles.get(String(a)) ?? null, tags: raw.tagsOf(String(a)) }));
  notes.push(...skippedTagsNote(raw)); // after tagsOf has run for every item
  return {
    name: 'hetrec',
    prefix: P,
    users: [...users].sort((a, b) => a - b).map((u) => `${P}u${u}`),
    items,
    interactions: merger.rows(),
    friendships: friends.rows(),
    notes,
  };
}

export const hetrecFormat: DatasetFormat = {
  name: 'hetrec',
  markers: ['user_artists.dat', 'user_friends.dat', 'artists.dat', 'tags.dat', 'user_taggedartists.dat'],
  eventType: EVENT_TYPE,
  description:
    'The original HetRec 2011 lastfm-2k files: play counts as PLAY weights with no split, titles, top tags, user_friends.dat once per pair',
  read,
};
