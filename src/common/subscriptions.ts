import type { SubscriptionConfig } from '@nestjs/graphql';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { presentedToken, secretMatches } from '../auth/auth';
import type { AppConfig } from '../config/config.schema';
import { formatGraphqlError } from './errors/format-graphql-error';

/** A client that opened the socket has this long to send connection_init before it is closed. */
const CONNECTION_INIT_WAIT_MS = 5_000;

interface WsContext {
  connectionParams?: Readonly<Record<string, unknown>>;
}

const wsAuthorization = (ctx: WsContext): string | undefined => {
  const a = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
  return typeof a === 'string' ? a : undefined;
};

/**
 * GraphQL subscriptions over graphql-ws on /graphql. Every subscription is admin-only, so the socket
 * itself is: connection_init must carry {authorization: 'Bearer <ADMIN_TOKEN>'} or the server closes it
 * with 4403 Forbidden. The token also becomes the operation's `req.headers.authorization`, so AccessGuard
 * checks each subscription as it checks an HTTP request; errors take the same shape as over HTTP.
 */
export function subscriptionsConfig(config: AppConfig): SubscriptionConfig {
  return {
    'graphql-ws': {
      path: '/graphql',
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      onConnect: (ctx: WsContext) => {
        const token = presentedToken(wsAuthorization(ctx));
        return Boolean(token && config.ADMIN_TOKEN && secretMatches(token, config.ADMIN_TOKEN));
      },
      onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
        result.errors?.length
          ? { ...result, errors: result.errors.map((e) => formatGraphqlError(e.toJSON(), e)) as unknown as GraphQLError[] }
          : result,
    },
  };
}

/** The GraphQL context of an HTTP request (Fastify's request) or of a graphql-ws operation (its connection). */
export function graphqlContext(arg: unknown, requestTimeoutMs: number): Record<string, unknown> {
  const ws = arg as WsContext & { extra?: unknown };
  if (ws && typeof ws === 'object' && 'extra' in ws && 'connectionParams' in ws) {
    // no deadline: a subscription lives as long as its run
    return { req: { headers: { authorization: wsAuthorization(ws) } } };
  }
  const { req } = (arg ?? {}) as { req?: unknown };
  return { req, deadline: Date.now() + requestTimeoutMs };
}
