import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { MODEL_KIND_ENUM, ModelKind } from '../model-kinds';

export const ModelKindEnum = MODEL_KIND_ENUM;
export type ModelKindEnum = ModelKind;
export enum ModelVersionStatusEnum {
  CANDIDATE = 'CANDIDATE',
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(ModelKindEnum, { name: 'ModelKind' });
registerEnumType(ModelVersionStatusEnum, { name: 'ModelVersionStatus' });

@ObjectType('ModelVersion')
export class ModelVersionType {
  @Field(() => ID) id!: string;
  @Field(() => ModelKindEnum) kind!: ModelKindEnum;
  @Field(() => ModelVersionStatusEnum) status!: ModelVersionStatusEnum;
  @Field(() => String, { nullable: true }) runId!: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) metrics!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { nullable: true }) hyperparameters!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { nullable: true }) snapshotStats!: Record<string, number> | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) activatedAt!: Date | null;
}
