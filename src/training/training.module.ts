import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { presentedToken, secretMatches } from '../auth/auth';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { IngestionModule } from '../ingestion/ingestion.module';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { RetentionService } from './retention.service';
import { SamplingModule } from '../sampling/sampling.module';
import { TRAINING_QUEUE } from './queue.constants';
import { TrainerRunner } from './trainer.runner';
import { TrainingMetrics } from './training-metrics';
import { TrainingProcessor } from './training.processor';
import { TrainingResolver } from './training.resolver';
import { TrainingService } from './training.service';
import { QueueEventsRepository } from './progress/queue-events.repository';
import { TrainingProgressResolver } from './progress/training-progress.resolver';
import { TrainingProgressService } from './progress/training-progress.service';

/** Where the job dashboard lives; every route under it needs the admin token. */
export const DASHBOARD_PREFIX = '/admin/queues';

/**
 * The job dashboard asks the browser for the admin token (Basic auth password, or a bearer header).
 * A Fastify onRequest hook on the matched route (its pattern, so no spelling of the URL gets past
 * it): the page and the dashboard's own API under the prefix alike.
 */
@Injectable()
export class DashboardAuth implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // no HTTP server (CLI contexts)
    fastify.addHook('onRequest', async (req, reply) => {
      const route = req.routeOptions.url;
      if (route === undefined || (route !== DASHBOARD_PREFIX && !route.startsWith(`${DASHBOARD_PREFIX}/`))) return;
      const token = presentedToken(req.headers.authorization);
      if (token && this.config.ADMIN_TOKEN && secretMatches(token, this.config.ADMIN_TOKEN)) return;
      return reply
        .code(token ? 403 : 401)
        .header('WWW-Authenticate', 'Basic realm="TasteGraph admin", charset="UTF-8"')
        .send({ error: token ? 'FORBIDDEN' : 'UNAUTHENTICATED' });
    });
  }
}

@Module({})
export class TrainingModule {
  /** The queue worker (processor) runs only where TRAINER_WORKER is true. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TrainingModule,
      imports: [
        ModelRegistryModule,
        IngestionModule,
        SamplingModule,
        BullBoardModule.forRoot({ route: DASHBOARD_PREFIX, adapter: FastifyAdapter }),
        BullBoardModule.forFeature({ name: TRAINING_QUEUE, adapter: BullMQAdapter }),
      ],
      providers: [
        TrainingService,
        TrainingResolver,
        TrainerRunner,
        RetentionService,
        DashboardAuth,
        TrainingMetrics,
        QueueEventsRepository,
        TrainingProgressService,
        TrainingProgressResolver,
        ...(config.TRAINER_WORKER ? [TrainingProcessor] : []),
      ],
      exports: [TrainingService, RetentionService],
    };
  }
}
