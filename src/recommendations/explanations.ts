import { attentionKey, ModelArtifacts } from '../model-registry/artifacts';

export interface ExplanationFriend {
  id: string;
  name: string | null;
  /** The model's attention of the user on this friend (null when the model has none for the edge). */
  attention: number | null;
}

export interface ExplanationItem {
  id: string;
  title: string | null;
  similarity: number;
}

/**
 * The friends whose interactions may explain a recommendation. When the model learned attention
 * over the user's friendships (SocialGCN, user in the model), only edges it kept count, ranked by
 * attention; edges the model never saw are not used. Otherwise every friend counts, by id.
 */
export function explainingFriends(
  model: ModelArtifacts | null,
  userId: string,
  friends: Array<{ id: string; name: string | null }>,
  interacted: Set<string>,
): ExplanationFriend[] {
  const useAttention = !!model && model.attention.size > 0 && model.userIndex.has(userId);
  const out: ExplanationFriend[] = [];
  for (const f of friends) {
    if (!interacted.has(f.id)) continue;
    const att = model?.attention.get(attentionKey(userId, f.id));
    if (useAttention && !att?.kept) continue;
    out.push({ id: f.id, name: f.name, attention: att ? att.attention : null });
  }
  return out.sort((a, b) => (b.attention ?? 0) - (a.attention ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const label = (x: { id: string; title?: string | null; name?: string | null }): string => x.title ?? x.name ?? x.id;

function andList(names: string[], total: number): string {
  const shown = names.slice(0, 2);
  const more = total - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} other${more > 1 ? 's' : ''}`;
  return shown.length === 2 ? `${shown[0]} and ${shown[1]}` : shown[0];
}

/** "Because you like X and Y, and your friends A and B like it too." */
export function sentence(basedOn: ExplanationItem[], friends: ExplanationFriend[], path: string, isNew: boolean): string {
  const parts: string[] = [];
  if (basedOn.length) parts.push(`you like ${andList(basedOn.map(label), basedOn.length)}`);
  if (friends.length) parts.push(`your friend${friends.length > 1 ? 's' : ''} ${andList(friends.map(label), friends.length)} like${friends.length > 1 ? '' : 's'} it`);
  const why = parts.length ? `Because ${parts.join(', and ')}` : path === 'POPULAR' ? 'Popular right now' : 'Popular with your friends';
  return `${why}${isNew ? ' (new: matched by its tags)' : ''}.`;
}
