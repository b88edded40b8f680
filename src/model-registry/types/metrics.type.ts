import { Field, Float, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';

@ObjectType('MetricValue', { description: 'One named metric, e.g. recall@20 = 0.12.' })
export class MetricValueType {
  @Field({ description: 'The metric and its cut-off, e.g. recall@20, ndcg@20, precision@10.' }) name!: string;
  @Field(() => Float, { description: 'Its value (ranking metrics are 0..1).' }) value!: number;
}

@ObjectType('TrainingMetrics', { description: "A run's or a model version's evaluation: loss, validation and test metrics." })
export class TrainingMetricsType {
  @Field(() => Float, { nullable: true, description: 'The latest training loss (null when not reported).' }) loss!: number | null;
  @Field(() => [MetricValueType], { description: 'Validation metrics, by name ([] when none yet).' }) validation!: MetricValueType[];
  @Field(() => [MetricValueType], { description: 'Test metrics, by name ([] when none).' }) test!: MetricValueType[];
  @Field(() => GraphQLJSON, {
    description: 'Everything the trainer reported, as it reported it (per-slice metrics, refit results, friend-edge counts, ...).',
  })
  all!: Record<string, unknown>;
}

/** The numeric entries of a metrics object, by name. */
const values = (m: unknown): MetricValueType[] =>
  m && typeof m === 'object'
    ? Object.entries(m as Record<string, unknown>)
        .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
        .map(([name, value]) => ({ name, value: value as number }))
        .sort((a, b) => a.name.localeCompare(b.name))
    : [];

/** A trainer metrics object (`val` or `validation`, `test`, `loss`) in the schema's shape; null stays null. */
export function trainingMetrics(all: Record<string, unknown> | null | undefined): TrainingMetricsType | null {
  if (!all) return null;
  const loss = typeof all.loss === 'number' && Number.isFinite(all.loss) ? all.loss : null;
  return { loss, validation: values(all.validation ?? all.val), test: values(all.test), all };
}
