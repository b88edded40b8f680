import { Field, Float, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** The trainer's negative samplers (models/tastegraph_trainer/config.py NEGATIVES); the GraphQL names are the values upper-cased. */
export enum NegativeSampling {
  UNIFORM = 'uniform',
  POPULARITY = 'popularity',
  HARD = 'hard',
}
registerEnumType(NegativeSampling, {
  name: 'NegativeSampling',
  description: 'How the trainer draws negative items for each positive.',
  valuesMap: {
    UNIFORM: { description: 'Uniformly among all items.' },
    POPULARITY: { description: 'In proportion to item popularity.' },
    HARD: { description: 'The highest-scoring of a few sampled candidates.' },
  },
});

/** Parameters only one model kind reads, by the kind (trainingJobProblems refuses them for another kind). */
export const KIND_ONLY_PARAMS: ReadonlyMap<string, string> = new Map([
  ['edgeL0', 'DENOISEGCN'],
  ['edgeGateInit', 'DENOISEGCN'],
]);

/** Hyperparameters an admin may set for a run; every field optional and bounded. */
@InputType('TrainingParamsInput', {
  description:
    "Hyperparameters for one run; omitted ones take the trainer's defaults. Out of range: BAD_USER_INPUT VALIDATION_FAILED on the field.",
})
export class TrainingParamsInput {
  @Field(() => Int, { nullable: true, description: 'Most epochs, 1..5000 (early stopping or maxMinutes usually end first).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  epochs?: number;

  @Field(() => Int, { nullable: true, description: 'Embedding size, 8..512.' }) @IsOptional() @IsInt() @Min(8) @Max(512) dim?: number;
  @Field(() => Int, { nullable: true, description: 'Propagation layers, 1..6.' }) @IsOptional() @IsInt() @Min(1) @Max(6) layers?: number;
  @Field(() => Float, { nullable: true, description: 'Learning rate, 0.000001..1.' })
  @IsOptional()
  @IsNumber()
  @Min(1e-6)
  @Max(1)
  lr?: number;

  @Field(() => Int, { nullable: true, description: 'Positive pairs per batch, 64..65536.' })
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(65536)
  batchSize?: number;

  @Field(() => Float, { nullable: true, description: 'Time budget of the training loop in minutes, 0.05..600.' })
  @IsOptional()
  @IsNumber()
  @Min(0.05)
  @Max(600)
  maxMinutes?: number;

  @Field(() => Int, { nullable: true, description: 'Epochs between validation runs, 1..100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  evalEvery?: number;

  @Field(() => Int, { nullable: true, description: 'Validation runs without improvement before early stopping, 1..100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  patience?: number;

  @Field(() => NegativeSampling, { nullable: true, description: 'How negative items are drawn (default UNIFORM).' })
  @IsOptional()
  @IsEnum(NegativeSampling)
  negatives?: NegativeSampling;

  @Field(() => Int, {
    nullable: true,
    description:
      'After the epoch is picked on validation, train this many more epochs on every interaction (validation ones included); the registry keeps both test results. 0..1000.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  refitEpochs?: number;

  @Field(() => Int, { nullable: true, description: 'Random seed, 0..2147483647.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  seed?: number;

  @Field(() => Float, { nullable: true, description: 'SocialGCN: friend edges with a lower item overlap (0..1) are left out of training.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  friendMinOverlap?: number;

  @Field(() => Float, { nullable: true, description: 'SocialGCN: friend edges whose learned attention is below this (0..1) are not kept.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  attentionThreshold?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'SocialGCN: keep at most this many friends per user by attention, 0..1000 (0: no cap).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  attentionTopk?: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'DENOISEGCN only (trainer --edge-l0): weight of the L0 penalty on the share of open friend-edge gates, 0..1 (trainer default 0.001; higher drops more friendships).',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  edgeL0?: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "DENOISEGCN only (trainer --edge-gate-init): the friend-edge gates' logit bias at start, -20..20 (trainer default 3: nearly every edge open).",
  })
  @IsOptional()
  @IsNumber()
  @Min(-20)
  @Max(20)
  edgeGateInit?: number;

  @Field(() => String, {
    nullable: true,
    description: 'Only export nodes whose id starts with this (one dataset of several); at most 64 of A-Z a-z 0-9 _ : . -',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_:.-]*$/)
  idPrefix?: string;
}
