import { useEffect, useRef, useState } from 'react';
import { gql } from '../api';
import { FriendGraph } from '../components/FriendGraph';
import { fmt, href, useQuery } from '../hooks';
import {
  FRIEND_ATTENTION,
  RECOMMENDATIONS,
  RECORD_INTERACTION,
  recommendedItemId,
  USER,
  type FriendAttention,
  type Recommendation,
  type Recommendations,
  type User,
} from '../queries';

const FIRST = 10;

function RecommendationList({ recs, before }: { recs: Recommendations; before?: Recommendations | null }) {
  const prior = new Map(before?.edges.map((e) => [recommendedItemId(e.node), e.node.rank]) ?? []);
  return (
    <ol className="recs">
      {recs.edges.map(({ node: r }) => {
        const was = prior.get(recommendedItemId(r));
        const change = !before
          ? null
          : was === undefined
            ? 'new'
            : was > r.rank
              ? `↑${was - r.rank}`
              : was < r.rank
                ? `↓${r.rank - was}`
                : '=';
        return (
          <li key={recommendedItemId(r)} data-testid="recommendation">
            {change && <span className={`change ${change === 'new' ? 'new' : ''}`}>{change}</span>}
            <a href={href('items', recommendedItemId(r))}>{r.item.title ?? recommendedItemId(r)}</a>{' '}
            <span className="muted">{fmt(r.score, 3)}</span>
            {r.explanation && <div className="why">{r.explanation.sentence}</div>}
          </li>
        );
      })}
    </ol>
  );
}

/** A user: their items, their friends by attention (graph), their explained recommendations, and what an interaction changes. */
export function UserPage({ id }: { id: string }) {
  const user = useQuery<{ user: User }>(USER, { id, items: 50 });
  const friends = useQuery<{ friendAttention: FriendAttention[] }>(FRIEND_ATTENTION, { id, first: 24 });
  const recs = useQuery<{ recommendations: Recommendations }>(RECOMMENDATIONS, { id, first: FIRST });
  const [before, setBefore] = useState<Recommendations | null>(null);
  const [recorded, setRecorded] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t0 = useRef(performance.now());
  const ready = !user.loading && !friends.loading && !recs.loading;
  useEffect(() => {
    // the page's load time (all three answers rendered), for the browser test and the docs
    if (ready && !performance.getEntriesByName('explorer:user-page').length)
      performance.measure('explorer:user-page', { start: t0.current });
  }, [ready]);

  const record = async (r: Recommendation) => {
    setError(null);
    try {
      setBefore(recs.data!.recommendations);
      await gql(RECORD_INTERACTION, { events: [{ userId: id, itemId: recommendedItemId(r), type: 'LIKE' }] });
      setRecorded(r.item.title ?? recommendedItemId(r));
      user.reload();
      recs.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (user.error) return <p className="error">{user.error.message}</p>;
  const u = user.data?.user;
  return (
    <section data-testid="user-page" data-state={ready ? 'ready' : 'loading'}>
      <h2>
        User {id} <span className="muted">{u?.name}</span>
      </h2>
      {error && <p className="error">{error}</p>}
      <div className="columns">
        <div>
          <h3>Friends by attention</h3>
          {friends.error ? (
            <p className="error">{friends.error.message}</p>
          ) : friends.data && friends.data.friendAttention.length ? (
            <>
              <FriendGraph userId={id} friends={friends.data.friendAttention} />
              <p className="legend">
                <span className="kept">━ kept</span> <span className="filtered">╌ filtered out</span>{' '}
                <span>··· no attention (model without it)</span>; width = attention; one arrow per direction.
              </p>
              <table className="compact">
                <thead>
                  <tr>
                    <th>friend</th>
                    <th>{id} → friend</th>
                    <th>friend → {id}</th>
                  </tr>
                </thead>
                <tbody>
                  {friends.data.friendAttention.map((f) => (
                    <tr key={f.id}>
                      <td>
                        <a href={href('users', f.user.id)}>{f.user.name ?? f.user.id}</a>
                      </td>
                      <td className={f.kept === false ? 'filtered' : ''}>{fmt(f.attention, 3)}</td>
                      <td className={f.keptBack === false ? 'filtered' : ''}>{fmt(f.attentionBack, 3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p>{friends.loading ? 'Loading…' : 'No friends.'}</p>
          )}
        </div>
        <div>
          <h3>
            Recommendations{' '}
            {recs.data && (
              <span className="muted">
                {recs.data.recommendations.path} · {recs.data.recommendations.modelKind ?? 'no model'}
              </span>
            )}
          </h3>
          {recs.error ? (
            <p className="error">{recs.error.message}</p>
          ) : recs.data ? (
            <>
              {recorded && (
                <p className="note" data-testid="after-interaction">
                  After recording LIKE on “{recorded}” (↑↓ rank change, new = entered the top {FIRST}):
                </p>
              )}
              <RecommendationList recs={recs.data.recommendations} before={recorded ? before : null} />
              <div className="record">
                Record a LIKE and see the answer change:{' '}
                {recs.data.recommendations.edges.slice(0, 3).map(({ node }) => (
                  <button key={recommendedItemId(node)} onClick={() => record(node)} data-testid="record-like">
                    LIKE {node.item.title ?? recommendedItemId(node)}
                  </button>
                ))}
              </div>
            </>
          ) : (
            <p>Loading…</p>
          )}
        </div>
        <div>
          <h3>Items {u && <span className="muted">({u.interactions.totalCount})</span>}</h3>
          <ul className="items" data-testid="user-items">
            {u?.interactions.edges.map(({ node }) => (
              <li key={node.item.id}>
                <a href={href('items', node.item.id)}>{node.item.title ?? node.item.id}</a>{' '}
                <span className="muted">
                  {node.type} ×{node.count} (w {fmt(node.weight, 1)})
                </span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
