import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { AfterArg, FirstArg, PAGE_MAX } from '../common/pagination/page-size';
import { offsetCursor, offsetPage } from '../common/pagination/cursor';
import { trainingMetrics } from './types/metrics.type';
import { pageCost } from '../common/query-cost';
import { ModelVersionEntity } from './model-version.entity';
import { ModelRegistryService } from './model-registry.service';
import { FriendAttentionType, TrainingCurvePointType } from './types/friend-attention.type';
import { ModelVersionConnectionType, ModelVersionType } from './types/model-version.type';
import { ModelSliceTableType, SliceReasonEnum } from './types/slice-choice.type';

/** modelVersions' `first`: whole registry rows (metrics and hyperparameters JSON), newest first. */
const MODEL_VERSIONS_MAX = 100;
/** Offset cursors: versions before the next page, newest first. */
const versionsCursor = offsetCursor('modelVersions');

const asType = (v: ModelVersionEntity): ModelVersionType => ({
  id: v.id,
  kind: v.kind,
  status: v.status as ModelVersionType['status'],
  runId: v.runId,
  metrics: trainingMetrics(v.metrics),
  hyperparameters: v.hyperparameters,
  snapshotStats: v.snapshotStats,
  createdAt: v.createdAt,
  activatedAt: v.activatedAt,
});

@Resolver(() => ModelVersionType)
export class ModelRegistryResolver {
  constructor(private readonly registry: ModelRegistryService) {}

  @Query(() => ModelVersionConnectionType, {
    complexity: pageCost(MODEL_VERSIONS_MAX),
    description: 'Registered model versions, newest first.',
  })
  @RequireAccess('read')
  async modelVersions(@FirstArg(MODEL_VERSIONS_MAX) first: number, @AfterArg() after?: string): Promise<ModelVersionConnectionType> {
    const offset = versionsCursor.decode(after) ?? 0;
    const { rows, total } = await this.registry.page(offset, first + 1);
    return { ...offsetPage(versionsCursor, rows.slice(0, first).map(asType), offset, rows.length > first), totalCount: total };
  }

  @Query(() => ModelVersionType, { nullable: true, description: 'The version serving recommendations, if any.' })
  @RequireAccess('read')
  async activeModel(): Promise<ModelVersionType | null> {
    const v = await this.registry.active();
    return v && asType(v);
  }

  @Query(() => ModelSliceTableType, {
    nullable: true,
    description:
      "Admin: a version's slice table (default: the active version's): which version serves each user slice, and the validation figures it was chosen on. Null without an active version.",
  })
  @RequireAccess('admin')
  async modelSliceTable(
    @Args('versionId', { type: () => ID, nullable: true, description: 'The version; omitted: the active one. Unknown: NOT_FOUND.' })
    versionId?: string,
  ): Promise<ModelSliceTableType | null> {
    const t = await this.registry.sliceTable(versionId ?? null);
    return t && { ...t, slices: t.slices.map((r) => ({ ...r, reason: r.reason as SliceReasonEnum })) };
  }

  @Query(() => [FriendAttentionType], {
    complexity: pageCost(PAGE_MAX),
    description: `A user's friends with the active model's attention in both directions (stored per direction on FRIEND edges), the user's highest attention first; first 1..${PAGE_MAX}. Empty for an unknown user.`,
  })
  @RequireAccess('read')
  friendAttention(
    @Args('userId', { type: () => ID, description: 'The user whose friends to list.' }) userId: string,
    @FirstArg() first: number,
  ): Promise<FriendAttentionType[]> {
    return this.registry.friendAttention(userId, first);
  }

  @ResolveField(() => [TrainingCurvePointType], {
    complexity: 10,
    description: "Loss and validation metrics per epoch, from the version's history artefact (empty when the registry has none).",
  })
  @RequireAccess('read')
  trainingCurve(@Parent() version: ModelVersionType): Promise<TrainingCurvePointType[]> {
    return this.registry.trainingCurve(version.id);
  }

  @Mutation(() => ModelVersionType, { description: "Admin: validates a version's artefacts, makes it ACTIVE and swaps serving to it." })
  @RequireAccess('admin')
  async promoteModelVersion(
    @Args('id', { type: () => ID, description: 'The version to promote; unknown: NOT_FOUND.' }) id: string,
  ): Promise<ModelVersionType> {
    return asType(await this.registry.promote(id));
  }

  @Mutation(() => ModelVersionType, { description: 'Admin: makes the previously active version active again.' })
  @RequireAccess('admin')
  async rollbackModel(): Promise<ModelVersionType> {
    return asType(await this.registry.rollback());
  }
}
