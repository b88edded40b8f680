import { AppConfig } from '../config/config.schema';
import { GraphChange, GraphChanges, UNRELAYED_STATE_MAX_AGE_MS } from '../ingestion/graph-changes';
import { RecommendationsRepository, UserContext } from './recommendations.repository';
import { USER_STATE_TTL_MS, UserStateService } from './user-state.service';

/** A repository standing in for Neo4j: counts reads and answers the current "graph". */
function fakeRepo() {
  const graph = {
    items: new Map<string, string[]>([['alice', ['i1']]]),
    friends: new Map<string, string[]>(),
    hidden: ['i9'],
    deleted: [] as string[],
  };
  const reads = { users: 0, hidden: 0, fingerprints: 0 };
  const fingerprint = (userId: string) =>
    JSON.stringify([graph.items.get(userId), (graph.friends.get(userId) ?? []).map((f) => [f, graph.items.get(f)?.length])]);
  const repo = {
    async contextFingerprints(userIds: string[]): Promise<Map<string, string>> {
      reads.fingerprints++;
      return new Map(userIds.map((id) => [id, fingerprint(id)]));
    },
    async userContexts(userIds: string[]): Promise<Map<string, UserContext>> {
      reads.users++;
      return new Map(
        userIds.map((userId) => {
          const items = graph.items.get(userId);
          const friends = graph.friends.get(userId) ?? [];
          return [
            userId,
            {
              found: !!items,
              items: (items ?? []).map((id) => ({ id, title: null, weight: 1, lastTs: null })),
              friends: friends.map((id) => ({ id, name: null, items: graph.items.get(id) ?? [] })),
              fingerprint: fingerprint(userId),
            },
          ];
        }),
      );
    },
    async hiddenItems(): Promise<string[]> {
      reads.hidden++;
      return [...graph.hidden];
    },
    async deletedItems(): Promise<string[]> {
      return [...graph.deleted];
    },
  } as unknown as RecommendationsRepository;
  return { graph, reads, repo };
}

describe('UserStateService: cached serving state dropped by the ingestion writes that touch it', () => {
  const setup = () => {
    const { graph, reads, repo } = fakeRepo();
    const changes = new GraphChanges();
    return { graph, reads, changes, users: new UserStateService(repo, changes, { CACHE_MAX_BYTES: 1 << 30 } as AppConfig) };
  };

  it("keeps a user's state until a write for that user is published", async () => {
    const { graph, reads, changes, users } = setup();
    expect([...(await users.state('alice')).seen]).toEqual(['i1']);
    await users.state('alice');
    expect(reads.users).toBe(1);
    graph.items.set('alice', ['i1', 'i2']);
    changes.publish({ kind: 'userEdges', userIds: ['bob'] }); // someone else
    expect([...(await users.state('alice')).seen]).toEqual(['i1']);
    changes.publish({ kind: 'userEdges', userIds: ['alice', 'bob'] });
    expect([...(await users.state('alice')).seen]).toEqual(['i1', 'i2']);
    expect(reads.users).toBe(2);
  });

  it('publishes after the write even when it fails (it may have landed)', async () => {
    const { graph, changes, users } = setup();
    await users.state('alice');
    graph.items.set('alice', ['i3']);
    await expect(
      changes.after({ kind: 'userEdges', userIds: ['alice'] }, async () => Promise.reject(new Error('commit lost'))),
    ).rejects.toThrow('commit lost');
    expect([...(await users.state('alice')).seen]).toEqual(['i3']);
  });

  it("a friend's write drops the user's state too (its friends' items count in the ranking and explanations)", async () => {
    const { graph, reads, changes, users } = setup();
    graph.friends.set('alice', ['bob']);
    graph.items.set('bob', ['i5']);
    expect((await users.state('alice')).ctx.friends).toEqual([{ id: 'bob', name: null, items: ['i5'] }]);
    await users.state('bob');
    expect(reads.users).toBe(2);
    graph.items.set('bob', ['i5', 'i6']);
    changes.publish({ kind: 'userEdges', userIds: ['carol'] }); // nobody's friend here
    await users.state('alice');
    expect(reads.users).toBe(2);
    changes.publish({ kind: 'userEdges', userIds: ['bob'] });
    expect((await users.state('alice')).ctx.friends).toEqual([{ id: 'bob', name: null, items: ['i5', 'i6'] }]);
    expect(reads.users).toBe(3);
  });

  it('past the expiry, a user whose context fingerprint is unchanged keeps its state; a changed one is read again', async () => {
    jest.useFakeTimers();
    try {
      const { graph, reads, users } = setup();
      const expire = async () => {
        jest.setSystemTime(Date.now() + USER_STATE_TTL_MS + 1);
        await users.state('alice'); // answered from the cache, starts the background refresh
        await jest.advanceTimersByTimeAsync(100);
      };
      const first = await users.state('alice');
      await expire();
      expect(reads).toMatchObject({ users: 1, fingerprints: 1 });
      expect(await users.state('alice')).toBe(first); // same object: its vectors and rankings stay
      graph.items.set('alice', ['i1', 'i7']); // another process wrote
      await expire();
      expect(reads).toMatchObject({ users: 2, fingerprints: 2 });
      expect([...(await users.state('alice')).seen]).toEqual(['i1', 'i7']);
      expect(users.stats().unchangedRefreshes).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('an unknown user is not kept (created a moment later, found at once)', async () => {
    const { graph, users } = setup();
    expect((await users.state('carol')).ctx.found).toBe(false);
    graph.items.set('carol', []);
    expect((await users.state('carol')).ctx.found).toBe(true);
  });

  it('hiding or unhiding items drops the hidden set; deleting items or users drops everything', async () => {
    const { graph, reads, changes, users } = setup();
    expect([...(await users.hidden('')).ids]).toEqual(['i9']);
    graph.hidden = ['i9', 'i1'];
    expect([...(await users.hidden('')).ids]).toEqual(['i9']);
    changes.publish({ kind: 'itemsHidden', itemIds: ['i1'] });
    expect([...(await users.hidden('')).ids]).toEqual(['i9', 'i1']);
    await users.state('alice');
    changes.publish({ kind: 'itemsDeleted', itemIds: ['i2'] });
    await users.state('alice');
    await users.hidden('');
    changes.publish({ kind: 'usersDeleted', userIds: ['bob'] });
    await users.state('alice');
    expect(reads).toEqual({ users: 3, hidden: 3, fingerprints: 0 });
  });

  it('deleted (tombstoned) items are withheld with the hidden ones from the moment deleteItems publishes', async () => {
    const { graph, changes, users } = setup();
    expect([...(await users.hidden('')).ids]).toEqual(['i9']);
    graph.deleted = ['i2'];
    changes.publish({ kind: 'itemsDeleted', itemIds: ['i2'] });
    const withheld = await users.hidden('');
    expect([...withheld.ids].sort()).toEqual(['i2', 'i9']);
    expect(withheld.complete).toBe(true);
  });

  it('a listener that throws does not fail the write', async () => {
    const changes = new GraphChanges();
    changes.subscribe(() => {
      throw new Error('bug');
    });
    await expect(changes.after({ kind: 'userEdges', userIds: ['a'] }, async () => 'written')).resolves.toBe('written');
  });

  it('hands each change to the other processes before the write answers, and applies theirs like its own', async () => {
    const { graph, reads, changes, users } = setup();
    const sent: GraphChange[] = [];
    let release!: () => void;
    changes.relayTo((c) => new Promise<void>((ok) => ((release = ok), sent.push(c))));
    let answered = false;
    const write = changes.after({ kind: 'userEdges', userIds: ['alice'] }, async () => 'written').then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([{ kind: 'userEdges', userIds: ['alice'] }]);
    expect(answered).toBe(false);
    release();
    await write;
    await users.state('alice');
    graph.items.set('alice', ['i1', 'i3']);
    changes.receive({ kind: 'userEdges', userIds: ['alice'] }); // another replica's write
    expect([...(await users.state('alice')).seen]).toEqual(['i1', 'i3']);
    expect(reads.users).toBe(2);
  });

  it('while the relay is down, state is never served older than UNRELAYED_STATE_MAX_AGE_MS; each transition drops everything', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const { graph, reads, changes, users } = setup();
      await users.state('alice');
      changes.setRelayed(false); // drops everything: changes may have been missed
      await users.state('alice');
      expect(reads.users).toBe(2);
      graph.items.set('alice', ['i1', 'i4']); // written by a replica whose change cannot arrive
      jest.setSystemTime(UNRELAYED_STATE_MAX_AGE_MS - 1);
      expect([...(await users.state('alice')).seen]).toEqual(['i1']);
      jest.setSystemTime(UNRELAYED_STATE_MAX_AGE_MS + 1);
      expect([...(await users.state('alice')).seen]).toEqual(['i1', 'i4']); // waited for a fresh read, not stale-while-revalidate
      changes.setRelayed(true);
      await users.state('alice');
      expect(reads.users).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });

  it("a state cached at another write version is read again (another replica's write whose change has not arrived yet)", async () => {
    const { graph, reads, changes, users } = setup();
    const versions = new Map<string, string>();
    changes.relayTo(
      async () => undefined,
      async (id) => versions.get(id) ?? '0',
    );
    await users.state('alice');
    await users.state('alice');
    expect(reads.users).toBe(1);
    graph.items.set('alice', ['i1', 'i5']);
    versions.set('alice', '1'); // written through another process; no change received
    expect([...(await users.state('alice')).seen]).toEqual(['i1', 'i5']);
    await users.state('alice');
    expect(reads.users).toBe(2);
  });
});
