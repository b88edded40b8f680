import { Dataset, Problems } from '../dataset';
import { DatasetFormat } from './dataset-format';
import { readHetrecFiles, skippedTagsNote } from './hetrec-files';
import { sortedValues } from './rows';
import { readSplitIds, readSplitInteractions, readTrust, SOCIAL_SPLIT_FILES } from './social-split';

const P = 'lastfm:';
const EVENT_TYPE = 'PLAY';

/** SocialLGN lastfm: the official split, trust.txt, reindex maps, and the HetRec raw files for titles, tags and play counts. */
function read(folder: string, problems: Problems): Dataset {
  const notes: string[] = [];
  const ids = readSplitIds(folder, problems);
  const raw = readHetrecFiles(folder, 'raw', problems);
  let noWeight = 0;
  const merger = readSplitInteractions(
    folder,
    ids,
    P,
    EVENT_TYPE,
    (ru, ri) => {
      const w = raw.weights.get(`${ru}\t${ri}`);
      if (!w) noWeight += 1;
      return w ? w.w : 1;
    },
    problems,
  );
  const friends = readTrust(folder, ids.users, P, problems);
  if (noWeight) notes.push(`${noWeight} split pair(s) without a listening count in raw/user_artists.dat got weight 1`);
  if (merger.merged) notes.push(`${merger.merged} duplicate split row(s) merged into their pair's edge`);
  notes.push(`trust.txt: ${friends.rowsSeen} directed rows stored as ${friends.rows().length} FRIEND edges (one per unordered pair)`);
  const items = sortedValues(ids.items).map((r) => ({ id: `${P}i${r}`, title: raw.titles.get(r) ?? null, tags: raw.tagsOf(r) }));
  notes.push(...skippedTagsNote(raw)); // after tagsOf has run for every item
  return {
    name: 'lastfm',
    prefix: P,
    users: sortedValues(ids.users).map((r) => `${P}u${r}`),
    items,
    interactions: merger.rows(),
    friendships: friends.rows(),
    notes,
  };
}

export const lastfmFormat: DatasetFormat = {
  name: 'lastfm',
  markers: [...SOCIAL_SPLIT_FILES, 'raw/artists.dat', 'raw/user_artists.dat'],
  eventType: EVENT_TYPE,
  description:
    'SocialLGN lastfm: the official train/test split and trust.txt, with titles, top tags and play counts (PLAY weights) from the HetRec files under raw/',
  read,
};
