import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { configuredApiKeys, presentedToken, secretMatches } from './auth';

/**
 * App queries and mutations: when API_KEYS is set, an `x-api-key` header must carry one of them
 * (the admin token also passes). With API_KEYS empty (the demo) everything is open.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: string[];
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.keys = configuredApiKeys(config.API_KEYS);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.length || context.getType<string>() !== 'graphql') return true;
    const req = GqlExecutionContext.create(context).getContext<{ req: { headers: IncomingHttpHeaders } }>().req;
    const key = req.headers['x-api-key'];
    const presented = typeof key === 'string' ? key : null;
    if (presented && this.keys.some((k) => secretMatches(presented, k))) return true;
    const admin = presentedToken(req.headers.authorization);
    if (admin && this.config.ADMIN_TOKEN && secretMatches(admin, this.config.ADMIN_TOKEN)) return true;
    throw new DomainError(
      presented ? 'FORBIDDEN' : 'UNAUTHENTICATED',
      presented ? 'API_KEY_INVALID' : 'API_KEY_REQUIRED',
      presented ? 'The API key is not valid' : 'This API needs an x-api-key header',
    );
  }
}
