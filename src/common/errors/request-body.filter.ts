import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Reason } from './reasons';

const REASON: Reason = 'INVALID_REQUEST_BODY';

/**
 * A POST to /graphql that Fastify refuses before GraphQL runs (JSON that does not parse, a `__proto__`
 * or `constructor.prototype` key, a body over the limit, an unsupported content type) answers in the
 * GraphQL error shape, so a client reads one format whatever refused it: Fastify's 4xx status with
 * `errors[0].extensions` = { code: BAD_USER_INPUT, reason: INVALID_REQUEST_BODY }. Nest hands such errors
 * over as an HttpException with Fastify's status and message (RoutesResolver.mapExternalException);
 * GraphQL's own errors never come here (Apollo answers them) and other routes keep Nest's handling.
 */
@Catch()
export class RequestBodyErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const status = exception instanceof HttpException ? exception.getStatus() : 0;
    const graphqlPost = req.method === 'POST' && req.url.split('?')[0] === '/graphql';
    if (!graphqlPost || status < 400 || status >= 500) return super.catch(exception, host);
    void http
      .getResponse<FastifyReply>()
      .status(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ errors: [{ message: (exception as HttpException).message, extensions: { code: 'BAD_USER_INPUT', reason: REASON } }] });
    return undefined;
  }
}
