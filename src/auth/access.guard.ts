import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { Access, ACCESS_METADATA } from './access.decorator';
import { ApiKeyStore } from './api-key.store';
import { ApiKey, Scope } from './api-keys';
import { presentedToken, secretMatches } from './auth';

/** Who sent a request, worked out once per request. */
type Caller = { kind: 'admin' } | { kind: 'key'; key: ApiKey } | { kind: 'none'; presentedKey: boolean };

/**
 * The one guard of every GraphQL resolver (root operations, and fields registered with
 * fieldResolverEnhancers). It reads the method's RequireAccess: `admin` needs the admin bearer
 * token; a scope needs an `x-api-key` holding it, or the admin token, unless no keys are configured
 * (open, loopback or API_OPEN_ACCESS). A method without a declaration is refused. HTTP routes
 * (health, GraphiQL assets) are not GraphQL and pass; the job dashboard has its own check.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly callers = new WeakMap<object, Caller>();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const access = this.reflector.get<Access | undefined>(ACCESS_METADATA, context.getHandler());
    if (!access) {
      const info = gql.getInfo<GraphQLResolveInfo>();
      // A programming error, not the caller's: logged and answered INTERNAL_SERVER_ERROR, never run.
      throw new Error(`${info.parentType.name}.${info.fieldName} declares no access (RequireAccess)`);
    }
    const req = gql.getContext<{ req: { headers: IncomingHttpHeaders } }>().req;
    return access === 'admin' ? this.admin(req.headers) : this.scoped(access, req);
  }

  private admin(headers: IncomingHttpHeaders): true {
    const token = presentedToken(headers.authorization);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'ADMIN_TOKEN_REQUIRED', 'This operation needs an admin bearer token');
    if (!this.config.ADMIN_TOKEN)
      throw new DomainError('FORBIDDEN', 'ADMIN_DISABLED', 'Admin operations are disabled (ADMIN_TOKEN is not set)');
    if (!secretMatches(token, this.config.ADMIN_TOKEN))
      throw new DomainError('FORBIDDEN', 'ADMIN_TOKEN_INVALID', 'The admin token is not valid');
    return true;
  }

  private scoped(scope: Scope, req: { headers: IncomingHttpHeaders }): true {
    if (this.keys.open) return true;
    let caller = this.callers.get(req);
    if (!caller) this.callers.set(req, (caller = this.identify(req.headers)));
    if (caller.kind === 'admin') return true;
    if (caller.kind === 'none')
      throw caller.presentedKey
        ? new DomainError('FORBIDDEN', 'API_KEY_INVALID', 'The API key is not valid')
        : new DomainError('UNAUTHENTICATED', 'API_KEY_REQUIRED', 'This API needs an x-api-key header');
    if (!caller.key.scopes.has(scope))
      throw new DomainError(
        'FORBIDDEN',
        'SCOPE_MISSING',
        `This operation needs the ${scope} scope; key ${caller.key.name} has ${[...caller.key.scopes].join('+')}`,
      );
    return true;
  }

  private identify(headers: IncomingHttpHeaders): Caller {
    const token = presentedToken(headers.authorization);
    if (token && this.config.ADMIN_TOKEN && secretMatches(token, this.config.ADMIN_TOKEN)) return { kind: 'admin' };
    const header = headers['x-api-key'];
    const presented = typeof header === 'string' && header ? header : null;
    const key = presented ? this.keys.find(presented) : null;
    return key ? { kind: 'key', key } : { kind: 'none', presentedKey: presented !== null };
  }
}
