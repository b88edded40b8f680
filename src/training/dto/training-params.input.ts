import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Hyperparameters an admin may set for a run; every field optional and bounded. */
@InputType('TrainingParamsInput')
export class TrainingParamsInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(5000) epochs?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(8) @Max(512) dim?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(6) layers?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(1e-6) @Max(1) lr?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(64) @Max(65536) batchSize?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0.05) @Max(600) maxMinutes?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) evalEvery?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) patience?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsIn(['uniform', 'popularity', 'hard']) negatives?: string;
  @Field(() => Int, {
    nullable: true,
    description:
      'After the epoch is picked on validation, train this many more epochs on every interaction (validation ones included); the registry keeps both test results.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  refitEpochs?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(2 ** 31 - 1) seed?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0) @Max(1) friendMinOverlap?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0) @Max(1) attentionThreshold?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(1000) attentionTopk?: number;
  @Field(() => String, { nullable: true, description: 'Only export nodes whose id starts with this (one dataset of several).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_:.-]*$/)
  idPrefix?: string;
}
