import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { FirstArg } from '../common/pagination/page-size';
import { pageCost } from '../common/query-cost';
import { ModelVersionEntity } from './model-version.entity';
import { ModelRegistryService } from './model-registry.service';
import { ModelVersionType } from './types/model-version.type';

/** modelVersions' `first`: one unpaged list (no cursor) of whole registry rows, newest first. */
const MODEL_VERSIONS_MAX = 100;

const asType = (v: ModelVersionEntity) => v as unknown as ModelVersionType;

@Resolver(() => ModelVersionType)
export class ModelRegistryResolver {
  constructor(private readonly registry: ModelRegistryService) {}

  @Query(() => [ModelVersionType], { complexity: pageCost(MODEL_VERSIONS_MAX), description: 'Registered model versions, newest first.' })
  @RequireAccess('read')
  async modelVersions(@FirstArg(MODEL_VERSIONS_MAX) first: number): Promise<ModelVersionType[]> {
    return (await this.registry.list(first)).map(asType);
  }

  @Query(() => ModelVersionType, { nullable: true, description: 'The version serving recommendations, if any.' })
  @RequireAccess('read')
  async activeModel(): Promise<ModelVersionType | null> {
    const v = await this.registry.active();
    return v && asType(v);
  }

  @Mutation(() => ModelVersionType, { description: "Admin: validates a version's artefacts, makes it ACTIVE and swaps serving to it." })
  @RequireAccess('admin')
  async promoteModelVersion(@Args('id', { type: () => ID }) id: string): Promise<ModelVersionType> {
    return asType(await this.registry.promote(id));
  }

  @Mutation(() => ModelVersionType, { description: 'Admin: makes the previously active version active again.' })
  @RequireAccess('admin')
  async rollbackModel(): Promise<ModelVersionType> {
    return asType(await this.registry.rollback());
  }
}
