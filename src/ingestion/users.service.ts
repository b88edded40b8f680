import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '../common/errors/domain-error';
import { UserInput } from './dto/user.input';
import { ATTRIBUTES_MAX_BYTES, BATCH_MAX } from './limits';
import { keysetCursor, keysetPage } from '../common/pagination/cursor';
import { FriendConnectionType, InteractionConnectionType } from './types/connection.type';
import { DeleteUserPayload } from './types/payloads.type';
import { UserType } from './types/user.type';
import { GraphChanges } from './graph-changes';
import { UsersRepository } from './users.repository';

/** Keyset cursors (the id of the last row shown); `first` is bounded by the resolver (FirstArg). */
const interactionsCursor = keysetCursor('interactions');
const friendsCursor = keysetCursor('friends');

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly changes: GraphChanges,
  ) {}

  async upsert(inputs: UserInput[]): Promise<UserType[]> {
    if (inputs.length === 0) return [];
    if (inputs.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} users per call, got ${inputs.length}`);
    const seen = new Set<string>();
    const details = [];
    for (const [i, u] of inputs.entries()) {
      if (seen.has(u.id)) details.push({ field: `users[${i}].id`, message: `duplicate id ${JSON.stringify(u.id)} in the batch` });
      seen.add(u.id);
      if (u.attributes && Buffer.byteLength(JSON.stringify(u.attributes)) > ATTRIBUTES_MAX_BYTES) {
        details.push({ field: `users[${i}].attributes`, message: `larger than ${ATTRIBUTES_MAX_BYTES} bytes` });
      }
    }
    if (details.length)
      throw badInput('INVALID_USERS', `${details.length} invalid user(s): ${details.map((d) => d.field).join(', ')}`, details);
    const rows = inputs.map((u) => ({
      id: u.id,
      name: u.name ?? null,
      attributesJson: u.attributes ? JSON.stringify(u.attributes) : null,
    }));
    return this.changes.after({ kind: 'userEdges', userIds: rows.map((r) => r.id) }, () => this.users.upsert(rows, Date.now()));
  }

  async get(id: string): Promise<UserType> {
    const user = await this.users.get(id);
    if (!user) throw notFound('USER_NOT_FOUND', `no user with id ${JSON.stringify(id)}`);
    return user;
  }

  /**
   * Removes the user and every edge it has, and tombstones the id, in one transaction; before the
   * answer every cache of this process has dropped the user (GraphChanges), and the loaded models
   * their vector and attention rows.
   */
  async delete(id: string): Promise<DeleteUserPayload> {
    const d = await this.changes.after({ kind: 'usersDeleted', userIds: [id] }, () => this.users.delete(id, Date.now()));
    if (!d) throw notFound('USER_NOT_FOUND', `no user with id ${JSON.stringify(id)}`);
    return { id, interactionsRemoved: d.interactions, friendshipsRemoved: d.friendships, relationshipsRemoved: d.relationships };
  }

  async interactions(userId: string, first: number, after?: string | null): Promise<InteractionConnectionType> {
    const rows = await this.users.interactions(userId, interactionsCursor.decode(after), first + 1);
    const { interactions } = await this.users.counts(userId);
    return { ...keysetPage(interactionsCursor, rows, first, (r) => r.item.id, after), totalCount: interactions };
  }

  async friends(userId: string, first: number, after?: string | null): Promise<FriendConnectionType> {
    const rows = await this.users.friends(userId, friendsCursor.decode(after), first + 1);
    const { friends } = await this.users.counts(userId);
    return { ...keysetPage(friendsCursor, rows, first, (r) => r.user.id, after), totalCount: friends };
  }
}
