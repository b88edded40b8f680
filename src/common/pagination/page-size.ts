import { applyDecorators, PipeTransform } from '@nestjs/common';
import { Args, Field, Int } from '@nestjs/graphql';
import { ValidateBy } from 'class-validator';
import { validationFailed } from '../validation.pipe';

/**
 * The one rule for `first` on every list: an integer in PAGE_MIN..max, default DEFAULT_FIRST. A list
 * passes its own maximum only where it legitimately differs from PAGE_MAX (each such constant says
 * why, next to the list). Too small or too large is BAD_USER_INPUT VALIDATION_FAILED on field `first`.
 */
export const PAGE_MIN = 1;
/** Lists read page by page from the graph (a user's interactions and friends, recommendations, similar items). */
export const PAGE_MAX = 200;
export const DEFAULT_FIRST = 20;

const outOfBounds = (max: number) => `must be between ${PAGE_MIN} and ${max}`;

/** Why `first` is out of bounds, or null when it is fine. */
export function firstProblem(first: unknown, max = PAGE_MAX): string | null {
  return Number.isInteger(first) && (first as number) >= PAGE_MIN && (first as number) <= max ? null : outOfBounds(max);
}

/** Throws VALIDATION_FAILED on `field` unless `first` is within bounds (for callers outside GraphQL). */
export function checkFirst(first: number, max = PAGE_MAX, field = 'first'): number {
  const problem = firstProblem(first, max);
  if (problem) throw validationFailed([{ field, message: problem }]);
  return first;
}

/** The one description of `first`: its range and the error outside it. */
export const firstDescription = (max = PAGE_MAX) =>
  `Page size, ${PAGE_MIN}..${max} (default ${DEFAULT_FIRST}); outside it: BAD_USER_INPUT VALIDATION_FAILED on \`first\`.`;

class FirstPipe implements PipeTransform<number, number> {
  constructor(private readonly max: number) {}
  transform(value: number): number {
    return checkFirst(value, this.max);
  }
}

/** Resolver parameter `first: Int! = 20`, bounded to 1..max. */
export const FirstArg = (max = PAGE_MAX): ParameterDecorator =>
  Args('first', { type: () => Int, defaultValue: DEFAULT_FIRST, description: firstDescription(max) }, new FirstPipe(max));

/** The one description of `after`. */
export const AFTER_DESCRIPTION =
  "A cursor from this list's previous page (pageInfo.endCursor or any edge's cursor); another list's cursor or garbage: BAD_USER_INPUT INVALID_CURSOR.";

/** Resolver parameter `after: String` (decoded by the list's cursor codec). */
export const AfterArg = (): ParameterDecorator => Args('after', { type: () => String, nullable: true, description: AFTER_DESCRIPTION });

/** `first: Int! = 20` in an @ArgsType class, bounded to 1..max (checked by the validation pipe). */
export const FirstField = (max = PAGE_MAX, description?: string): PropertyDecorator =>
  applyDecorators(
    Field(() => Int, { defaultValue: DEFAULT_FIRST, description: description ?? firstDescription(max) }),
    ValidateBy({ name: 'pageSize', validator: { validate: (v) => firstProblem(v, max) === null, defaultMessage: () => outOfBounds(max) } }),
  );
