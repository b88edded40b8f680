import type { ErrorCategory } from './domain-error';

/** One reason code: the GraphQL `extensions.code` it is sent with, and when a client sees it. */
export interface ReasonEntry {
  category: ErrorCategory;
  when: string;
}

/** A domain's reasons, `as const satisfies ReasonTable` in its `<domain>.reasons.ts`. */
export type ReasonTable = Record<string, ReasonEntry>;

/**
 * Every reason code, by code. Each domain adds its own table to this interface (declaration
 * merging), so this layer imports no domain and a reason two domains define differently fails tsc:
 *
 *   type XReasonTable = typeof X_REASONS;
 *   declare module '../common/errors/reasons' { interface KnownReasons extends XReasonTable {} }
 */
export interface KnownReasons {}

/** A known reason code: a typo fails tsc. */
export type Reason = keyof KnownReasons & string;

/** The reasons sent with GraphQL code C (`notFound` takes only NOT_FOUND reasons, and so on). */
export type ReasonIn<C extends ErrorCategory> = { [R in Reason]: KnownReasons[R] extends { category: C } ? R : never }[Reason];
