import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ModelKindEnum } from './model-version.type';

export enum SliceReasonEnum {
  PAYS = 'PAYS',
  WITHIN_INTERVALS = 'WITHIN_INTERVALS',
  TOO_FEW_USERS = 'TOO_FEW_USERS',
  NO_FIGURES = 'NO_FIGURES',
  NO_CANDIDATE = 'NO_CANDIDATE',
}

registerEnumType(SliceReasonEnum, {
  name: 'SliceChoiceReason',
  description: 'Why a slice is served by the version it is (docs/decisions/0033-per-slice-model-choice.md).',
  valuesMap: {
    PAYS: {
      description: "Another version's validation Recall@20 beats the active's by more than both bootstrap half-widths, on ≥ 100 users.",
    },
    WITHIN_INTERVALS: {
      description: 'The best candidate does not beat the active version by more than both half-widths: the active version.',
    },
    TOO_FEW_USERS: { description: 'Fewer than 100 validation users in the slice: the active version.' },
    NO_FIGURES: { description: 'The active version has no validation figures for the slice (an older run, or an empty slice).' },
    NO_CANDIDATE: { description: 'No version of another kind was measured on the same validation users: the active version.' },
  },
});

@ObjectType('SliceChoice', {
  description: 'One user slice of the slice table: the version that serves it, and the validation figures behind the choice.',
})
export class SliceChoiceType {
  @Field({
    description:
      'The slice, `<group>:<bucket>` as metrics.json names it (e.g. `by_interactions:6-20`, `sparse_with_friends:<=5 & friends>=1`).',
  })
  slice!: string;
  @Field(() => ID, { description: 'The version that serves the slice.' }) versionId!: string;
  @Field(() => ModelKindEnum, { description: "That version's kind." }) kind!: ModelKindEnum;
  @Field(() => SliceReasonEnum, { description: 'Why.' }) reason!: SliceReasonEnum;
  @Field(() => Int, { description: "Validation users in the slice (the active version's figures)." }) users!: number;
  @Field(() => Float, { nullable: true, description: "The active version's validation Recall@20 on the slice." }) activeRecall!:
    number | null;
  @Field(() => Float, { nullable: true, description: 'Half the width of its 95% bootstrap interval.' }) activeHalfWidth!: number | null;
  @Field(() => ID, { nullable: true, description: 'The candidate compared (the one that pays, else the best on the slice); null: none.' })
  candidateVersionId!: string | null;
  @Field(() => Float, { nullable: true, description: "The candidate's validation Recall@20 on the slice." }) candidateRecall!:
    number | null;
  @Field(() => Float, { nullable: true, description: 'Half the width of its 95% bootstrap interval.' }) candidateHalfWidth!: number | null;
}

@ObjectType('ModelSliceTable', { description: "A version's slice table: which version serves each user slice while it is active." })
export class ModelSliceTableType {
  @Field(() => ID, { description: 'The version the table belongs to.' }) versionId!: string;
  @Field({ description: 'Whether this process routes by slice tables (SLICE_MODEL_CHOICE); false: the active version serves every slice.' })
  enabled!: boolean;
  @Field(() => [SliceChoiceType], {
    description: 'One row per serving slice, by slice; empty when the version was last activated before tables existed.',
  })
  slices!: SliceChoiceType[];
}
