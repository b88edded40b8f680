import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { PageInfoType } from '../../common/pagination/page-info.type';
import { MODEL_KIND_ENUM, ModelKind } from '../model-kinds';
import { TrainingMetricsType } from './metrics.type';

export const ModelKindEnum = MODEL_KIND_ENUM;
export type ModelKindEnum = ModelKind;

export enum ModelVersionStatusEnum {
  CANDIDATE = 'CANDIDATE',
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}

registerEnumType(ModelKindEnum, {
  name: 'ModelKind',
  description: 'A model the trainer builds and serving accepts (models/README.md).',
  valuesMap: {
    LIGHTGCN: { description: 'LightGCN: linear propagation over user-item edges.' },
    SOCIALGCN: { description: 'SocialGCN: LightGCN plus friend edges with learned attention.' },
    DENOISEGCN: {
      description: 'DenoiseGCN: SocialGCN with a learned gate per friendship that drops the edges which do not help (models/README.md).',
    },
    NGCF: { description: 'Neural Graph Collaborative Filtering.' },
    GCN: { description: 'Graph convolutional network.' },
    GAT: { description: 'Graph attention network.' },
    GRAPHSAGE: { description: 'GraphSAGE: sampled neighbourhood aggregation.' },
    PINSAGE: { description: 'PinSage: random-walk neighbourhoods with importance pooling.' },
  },
});
registerEnumType(ModelVersionStatusEnum, {
  name: 'ModelVersionStatus',
  description: 'A model version in the registry.',
  valuesMap: {
    CANDIDATE: { description: 'Registered, never promoted (or not good enough to be).' },
    ACTIVE: { description: 'Serves recommendations (one at a time).' },
    RETIRED: { description: 'Served before; rollbackModel can make the previous one active again.' },
  },
});

@ObjectType('ModelVersion', { description: 'One trained model in the registry: what it was trained on, how well it did.' })
export class ModelVersionType {
  @Field(() => ID, { description: 'The version id (a UUID).' }) id!: string;
  @Field(() => ModelKindEnum, { description: 'The model kind.' }) kind!: ModelKindEnum;
  @Field(() => ModelVersionStatusEnum, { description: 'Candidate, active or retired.' }) status!: ModelVersionStatusEnum;
  @Field(() => ID, { nullable: true, description: 'The training run that produced it (null for versions registered by hand).' })
  runId!: string | null;
  @Field(() => TrainingMetricsType, { nullable: true, description: 'Validation and test metrics measured when it was trained.' })
  metrics!: TrainingMetricsType | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Hyperparameters it was trained with (their names vary by model kind).' })
  hyperparameters!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Counts of the snapshot it was trained on (users, items, interactions, ...).' })
  snapshotStats!: Record<string, number> | null;
  @Field(() => GraphQLISODateTime, { description: 'When it was registered.' }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it last became ACTIVE (null: never).' }) activatedAt!: Date | null;
}

@ObjectType('ModelVersionEdge', { description: 'One model version of the page, with its cursor.' })
export class ModelVersionEdgeType {
  @Field({ description: 'Pass as `after` to continue after this edge.' }) cursor!: string;
  @Field(() => ModelVersionType, { description: 'The model version.' }) node!: ModelVersionType;
}

@ObjectType('ModelVersionConnection', { description: 'Registered model versions, newest first.' })
export class ModelVersionConnectionType {
  @Field(() => [ModelVersionEdgeType], { description: "This page's versions." }) edges!: ModelVersionEdgeType[];
  @Field(() => PageInfoType, { description: 'Where this page sits in the list.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'All registered versions (every page).' }) totalCount!: number;
}
