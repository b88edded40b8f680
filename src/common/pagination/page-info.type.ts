import { Field, ObjectType } from '@nestjs/graphql';

/**
 * Relay's PageInfo, the one page description of every connection. Lists page forward only
 * (`first`/`after`): `hasPreviousPage` says whether rows come before this page, which is true exactly
 * when the page was asked for with an `after` cursor.
 */
@ObjectType('PageInfo', {
  description:
    'Where this page sits in its list (Relay cursor connections). Lists page forward: pass endCursor as `after` while hasNextPage is true.',
})
export class PageInfoType {
  @Field({ description: 'True when more rows follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when rows come before this page (it was asked for with an `after` cursor).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null on an empty page." })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last edge's cursor, to pass as `after` for the next page; null on an empty page.",
  })
  endCursor!: string | null;
}

/** The PageInfo of a page of edges: cursors from its first and last edge. */
export function pageInfoOf(edges: ReadonlyArray<{ cursor: string }>, hasNextPage: boolean, hasPreviousPage: boolean): PageInfoType {
  return {
    hasNextPage,
    hasPreviousPage,
    startCursor: edges.length ? edges[0].cursor : null,
    endCursor: edges.length ? edges[edges.length - 1].cursor : null,
  };
}
