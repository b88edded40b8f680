import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable, throwError, timeout } from 'rxjs';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';

export interface DeadlineContext {
  /** epoch ms after which the request's fields answer REQUEST_TIMEOUT (set when the request starts) */
  deadline?: number;
}

/**
 * The request deadline: every resolver (fields of nested types too) still running at the request's
 * deadline answers UNAVAILABLE REQUEST_TIMEOUT, so the response goes out on time with what was
 * ready. The work left behind ends by its own bound (each Neo4j transaction's NEO4J_TX_TIMEOUT_MS).
 */
@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const { deadline } = GqlExecutionContext.create(context).getContext<DeadlineContext>();
    if (deadline === undefined) return next.handle();
    const timedOut = () =>
      new DomainError('UNAVAILABLE', 'REQUEST_TIMEOUT', `The request ran past its deadline of ${this.config.REQUEST_TIMEOUT_MS} ms`);
    const left = deadline - Date.now();
    if (left <= 0) return throwError(timedOut);
    return next.handle().pipe(timeout({ first: left, with: () => throwError(timedOut) }));
  }
}
