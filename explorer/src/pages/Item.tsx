import { fmt, href, useQuery } from '../hooks';
import { ITEM, nodes, RELATED_ITEMS, SIMILAR_ITEMS, type Item, type RelatedItem, type SimilarItem } from '../queries';

/** An item: similar items by embeddings beside related items by random walks. */
export function ItemPage({ id }: { id: string }) {
  const item = useQuery<{ item: Item }>(ITEM, { id });
  const similar = useQuery<{ similarItems: { edges: Array<{ node: SimilarItem }> } }>(SIMILAR_ITEMS, { id, first: 15 });
  const related = useQuery<{ relatedItems: RelatedItem[] }>(RELATED_ITEMS, { id, first: 15 });
  if (item.error) return <p className="error">{item.error.message}</p>;
  const it = item.data?.item;
  return (
    <section data-testid="item-page" data-state={!similar.loading && !related.loading ? 'ready' : 'loading'}>
      <h2>
        {it?.title ?? id} <span className="muted">{id}</span> {it?.hidden && <span className="status FAILED">hidden</span>}
      </h2>
      <p className="muted">{it?.tags.join(', ')}</p>
      <div className="columns two">
        <div>
          <h3>Similar items (embeddings, cosine)</h3>
          {similar.error ? (
            <p className="error">{similar.error.message}</p>
          ) : (
            <ol data-testid="similar-items">
              {nodes(similar.data?.similarItems).map((s) => (
                <li key={s.id}>
                  <a href={href('items', s.item.id)}>{s.item.title ?? s.item.id}</a> <span className="muted">{fmt(s.similarity, 3)}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div>
          <h3>Related items (random walks item → user → item)</h3>
          {related.error ? (
            <p className="error">{related.error.message}</p>
          ) : (
            <ol data-testid="related-items">
              {related.data?.relatedItems.map((r) => (
                <li key={r.id}>
                  <a href={href('items', r.item.id)}>{r.item.title ?? r.item.id}</a>{' '}
                  <span className="muted">
                    {fmt(r.weight, 3)} ({r.visits} visits)
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}
