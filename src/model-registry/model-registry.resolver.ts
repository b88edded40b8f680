import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../common/errors/domain-error';
import { ModelRegistryRepository } from './model-registry.repository';
import { ModelVersionType } from './types/model-version.type';

@Resolver(() => ModelVersionType)
export class ModelRegistryResolver {
  constructor(private readonly registry: ModelRegistryRepository) {}

  @Query(() => [ModelVersionType], { description: 'Registered model versions, newest first.' })
  async modelVersions(@Args('first', { type: () => Int, defaultValue: 20 }) first: number): Promise<ModelVersionType[]> {
    if (first < 1 || first > 100) throw badInput('FIRST_OUT_OF_RANGE', '`first` must be between 1 and 100', [{ field: 'first', message: 'must be between 1 and 100' }]);
    return (await this.registry.list(first)) as unknown as ModelVersionType[];
  }

  @Query(() => ModelVersionType, { nullable: true, description: 'The version serving recommendations, if any.' })
  async activeModel(): Promise<ModelVersionType | null> {
    return (await this.registry.active()) as unknown as ModelVersionType | null;
  }
}
