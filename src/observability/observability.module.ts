import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';
import { runInRequest } from './request-context';
import { Telemetry } from './telemetry';

/**
 * The request id of every HTTP request (Fastify's `req.id`, from a valid `x-request-id` or new:
 * bootstrap.ts) is echoed in the response header and becomes the async context of the handler, so
 * log lines, spans and queued jobs started while serving it carry it.
 */
@Injectable()
export class RequestIdHooks implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // no HTTP server (CLI contexts)
    fastify.addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id);
      done();
    });
    // After the body is read (body parsing leaves the async context): the handler runs inside it.
    fastify.addHook('preHandler', (req, _reply, done) => runInRequest({ requestId: req.id }, done));
  }
}

/** Metrics, request ids and traces for the whole app (docs/observability.md). */
@Global()
@Module({
  providers: [Telemetry, RequestIdHooks, MetricsServer],
  controllers: [MetricsController],
  exports: [Telemetry, MetricsServer],
})
export class ObservabilityModule {}
