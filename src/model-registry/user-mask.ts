import { ModelArtifacts } from './artifacts';

/**
 * Drops deleted users from a loaded model, in place, whatever version it is (a rollback included):
 * their row of the user embeddings is zeroed, their id leaves the id list and index (serving then
 * treats them as unknown to the model), and every attention row naming them goes. The files on disk
 * are left as they were (their checksums are the registry's proof); retention deletes old ones.
 * Returns how many users were masked.
 */
export function maskUsers(
  model: Pick<ModelArtifacts, 'users' | 'userIndex' | 'userEmb' | 'dim' | 'attention'>,
  ids: Iterable<string>,
): number {
  const gone = new Set(ids);
  let masked = 0;
  for (const id of gone) {
    const k = model.userIndex.get(id);
    if (k === undefined) continue;
    model.userEmb.fill(0, k * model.dim, (k + 1) * model.dim);
    model.userIndex.delete(id);
    model.users[k] = '';
    masked++;
  }
  if (gone.size) {
    for (const key of model.attention.keys()) {
      const [a, b] = key.split('\u0000');
      if (gone.has(a) || gone.has(b)) model.attention.delete(key);
    }
  }
  return masked;
}
