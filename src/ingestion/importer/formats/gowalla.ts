import { Dataset, Problems } from '../dataset';
import { columns, int, readLines, withHeader } from '../lines';
import { DatasetFormat } from './dataset-format';
import { InteractionMerger, sortedValues } from './rows';

const P = 'gowalla:';
const EVENT_TYPE = 'VIEW';

/** `org_id remap_id` lists → remap → org. */
function readRemap(folder: string, file: string, problems: Problems): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of withHeader(readLines(folder, file, problems), file, 'org_id remap_id', problems)) {
    const cols = columns(line, file, ' ', 2, problems);
    if (!cols) continue;
    const org = int(cols[0], 'org_id', line, file, problems);
    const remap = int(cols[1], 'remap_id', line, file, problems);
    if (org === null || remap === null) continue;
    if (out.has(remap)) problems.add(file, line.no, `remap_id ${remap} listed twice`);
    out.set(remap, cols[0]);
  }
  return out;
}

/** LightGCN gowalla: `user item item ...` lines; train.txt + valid.txt = split 'train', test.txt = 'test'; no social edges. */
function read(folder: string, problems: Problems): Dataset {
  const users = readRemap(folder, 'user_list.txt', problems);
  const items = readRemap(folder, 'item_list.txt', problems);
  const merger = new InteractionMerger();
  for (const [file, split] of [
    ['train.txt', 'train'],
    ['valid.txt', 'train'],
    ['test.txt', 'test'],
  ] as const) {
    for (const line of readLines(folder, file, problems)) {
      if (line.text === '') {
        problems.add(file, line.no, 'empty line');
        continue;
      }
      const cols = line.text.split(' ');
      const ids = cols.map((c, k) => int(c, k === 0 ? 'user' : `item ${k}`, line, file, problems));
      if (ids.some((x) => x === null)) continue;
      const ru = users.get(ids[0]!);
      if (ru === undefined) {
        problems.add(file, line.no, `user ${ids[0]} is not in user_list.txt`);
        continue;
      }
      if (cols.length < 2) {
        problems.add(file, line.no, 'a user with no items (truncated line?)');
        continue;
      }
      for (const ii of ids.slice(1)) {
        const ri = items.get(ii!);
        if (ri === undefined) problems.add(file, line.no, `item ${ii} is not in item_list.txt`);
        else merger.add(`${P}u${ru}`, `${P}i${ri}`, EVENT_TYPE, 1, split);
      }
    }
  }
  const notes = merger.merged ? [`${merger.merged} duplicate row(s) merged`] : [];
  return {
    name: 'gowalla',
    prefix: P,
    users: sortedValues(users).map((r) => `${P}u${r}`),
    items: sortedValues(items).map((r) => ({ id: `${P}i${r}`, title: null, tags: null })),
    interactions: merger.rows(),
    friendships: [],
    notes,
  };
}

export const gowallaFormat: DatasetFormat = {
  name: 'gowalla',
  markers: ['train.txt', 'valid.txt', 'test.txt', 'user_list.txt', 'item_list.txt'],
  eventType: EVENT_TYPE,
  description:
    "LightGCN gowalla: check-ins as VIEW edges of weight 1, train.txt and valid.txt as split 'train', test.txt as 'test'; no friendships",
  read,
};
