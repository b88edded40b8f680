import { Dataset, Problems } from '../dataset';
import { DatasetFormat } from './dataset-format';
import { sortedValues } from './rows';
import { readSplitIds, readSplitInteractions, readTrust, SOCIAL_SPLIT_FILES } from './social-split';

const P = 'ciao:';
const EVENT_TYPE = 'RATING';

/** SocialLGN ciao: the split (duplicate rows merge: count and weight add up; a pair in both files is 'train'), directed trust stored once per pair. */
function read(folder: string, problems: Problems): Dataset {
  const notes: string[] = [];
  const ids = readSplitIds(folder, problems);
  const merger = readSplitInteractions(folder, ids, P, EVENT_TYPE, () => 1, problems);
  const friends = readTrust(folder, ids.users, P, problems);
  if (merger.merged)
    notes.push(`${merger.merged} duplicate row(s) merged into their pair's edge (count and weight add up; 'train' wins over 'test')`);
  notes.push(
    `trust.txt: ${friends.rowsSeen} directed trust rows stored as ${friends.rows().length} FRIEND edges (one per unordered pair; direction is not kept)`,
  );
  return {
    name: 'ciao',
    prefix: P,
    users: sortedValues(ids.users).map((r) => `${P}u${r}`),
    items: sortedValues(ids.items).map((r) => ({ id: `${P}i${r}`, title: null, tags: null })),
    interactions: merger.rows(),
    friendships: friends.rows(),
    notes,
  };
}

export const ciaoFormat: DatasetFormat = {
  name: 'ciao',
  markers: SOCIAL_SPLIT_FILES,
  eventType: EVENT_TYPE,
  description:
    'SocialLGN ciao: the official train/test split (RATING edges of weight 1 per row) and directed trust.txt, one FRIEND edge per pair',
  read,
};
