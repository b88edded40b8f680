import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { presentedToken, secretMatches } from './auth';

/** Admin mutations: a bearer token equal to ADMIN_TOKEN. None → UNAUTHENTICATED, wrong → FORBIDDEN. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = GqlExecutionContext.create(context).getContext<{ req: { headers: IncomingHttpHeaders } }>().req;
    const token = presentedToken(req.headers.authorization);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'ADMIN_TOKEN_REQUIRED', 'This operation needs an admin bearer token');
    if (!this.config.ADMIN_TOKEN)
      throw new DomainError('FORBIDDEN', 'ADMIN_DISABLED', 'Admin operations are disabled (ADMIN_TOKEN is not set)');
    if (!secretMatches(token, this.config.ADMIN_TOKEN))
      throw new DomainError('FORBIDDEN', 'ADMIN_TOKEN_INVALID', 'The admin token is not valid');
    return true;
  }
}
