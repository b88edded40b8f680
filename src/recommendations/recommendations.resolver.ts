import { Args, Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { PAGE_MAX } from '../common/pagination/page-size';
import { computedPageCost } from '../common/query-cost';
import { RecommendationsArgs, SimilarItemsArgs } from './dto/recommendations.args';
import { RecommendationsService } from './recommendations.service';
import { recommendationConnection, similarItemConnection } from './types/recommendation.mapper';
import { RecommendationConnectionType, SimilarItemConnectionType } from './types/recommendation.type';

/**
 * A page is computed by one service call and its fields are plain values already in memory
 * (explanations are bounded lists), so the cost grows with `first`, not with first × selected fields.
 */
const pageComplexity = computedPageCost(PAGE_MAX);

@Resolver()
export class RecommendationsResolver {
  constructor(private readonly recs: RecommendationsService) {}

  @Query(() => RecommendationConnectionType, {
    complexity: pageComplexity,
    description:
      'Ranked recommendations for a user: never items they interacted with, never hidden ones. New interactions count at once (fold-in). NOT_FOUND USER_NOT_FOUND for an unknown user.',
  })
  @RequireAccess('read')
  async recommendations(@Args() args: RecommendationsArgs): Promise<RecommendationConnectionType> {
    const page = await this.recs.recommend({
      userId: args.userId,
      first: args.first,
      after: args.after,
      filter: args.filter,
      model: args.model,
      explain: args.explain,
    });
    return recommendationConnection(page, { userId: args.userId, explain: args.explain, hadCursor: !!args.after });
  }

  @Query(() => SimilarItemConnectionType, {
    complexity: pageComplexity,
    description:
      "Items nearest to an item in the active model's embedding space (cosine); hidden items never appear. For items the model has not seen, their tags stand in. Use relatedItems (random walks) without a model or for co-interaction neighbourhoods. NOT_FOUND ITEM_NOT_FOUND for an unknown item; UNAVAILABLE NO_MODEL without an active model.",
  })
  @RequireAccess('read')
  async similarItems(@Args() args: SimilarItemsArgs): Promise<SimilarItemConnectionType> {
    return similarItemConnection(args.itemId, await this.recs.similarItems(args.itemId, args.first, args.after));
  }
}
