import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ErrorDetail } from '../../common/errors/domain-error';
import { flatten } from '../../common/validation.pipe';
import { MODEL_KINDS } from '../../model-registry/model-kinds';
import { KIND_ONLY_PARAMS, TrainingParamsInput } from './training-params.input';

/**
 * The one check of a run's model and parameters, against the mutation's own schema (TrainingParamsInput):
 * the service runs it before enqueueing, the worker again on the job read back from Redis, before any of
 * it becomes a trainer flag. Unknown parameters are refused, not dropped. An empty list means valid.
 */
export function trainingJobProblems(model: unknown, params: unknown): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (typeof model !== 'string' || !(MODEL_KINDS as readonly string[]).includes(model)) {
    problems.push({ field: 'model', message: `must be one of ${MODEL_KINDS.join(', ')}` });
  }
  if (!params || typeof params !== 'object' || Array.isArray(params))
    return [...problems, { field: 'params', message: 'must be an object' }];
  const input = plainToInstance(TrainingParamsInput, params);
  const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  // A parameter another kind's trainer would silently ignore is refused (the trainer flag exists for every kind).
  const misplaced = Object.entries(params as Record<string, unknown>).flatMap(([k, v]) => {
    const kind = KIND_ONLY_PARAMS.get(k);
    return v !== undefined && v !== null && kind && kind !== model ? [{ field: `params.${k}`, message: `only for model ${kind}` }] : [];
  });
  return [...problems, ...flatten(errors, 'params'), ...misplaced];
}
