import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { badInput, DomainError } from '../common/errors/domain-error';

/** Reports the armor rule's rejection as a validation error carrying the limit's reason (HTTP 400, nothing runs). */
const reportAs =
  (error: (message: string) => DomainError) =>
  (ctx: ValidationContext | null, err: GraphQLError): void => {
    const message = err.message.replace(/^Syntax Error: /, '');
    ctx?.reportError(new GraphQLError(message, { originalError: error(message) }));
  };

/**
 * Validation rules bounding an operation's shape before its cost is estimated: nesting depth
 * (QUERY_TOO_DEEP) and aliased fields (TOO_MANY_ALIASES; `__typename` aliases are free).
 */
export function queryShapeRules(limits: { maxDepth: number; maxAliases: number }): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [reportAs((m) => badInput('QUERY_TOO_DEEP', m))],
    }) as unknown as ValidationRule,
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reportAs((m) => badInput('TOO_MANY_ALIASES', m))],
    }) as unknown as ValidationRule,
  ];
}
