import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AdminGuard } from '../auth/admin.guard';
import { presentedToken, secretMatches } from '../auth/auth';
import { AppConfig } from '../config/config.schema';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { SamplingModule } from '../sampling/sampling.module';
import { AttentionRepository } from './attention.repository';
import { TRAINING_QUEUE } from './queue.constants';
import { TrainerRunner } from './trainer.runner';
import { TrainingProcessor } from './training.processor';
import { TrainingResolver } from './training.resolver';
import { TrainingService } from './training.service';

/** The job dashboard asks the browser for the admin token (Basic auth password, or a bearer header). */
function dashboardAuth(config: AppConfig) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = presentedToken(req.headers.authorization);
    if (token && config.ADMIN_TOKEN && secretMatches(token, config.ADMIN_TOKEN)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="TasteGraph admin", charset="UTF-8"');
    res.status(token ? 403 : 401).json({ error: token ? 'FORBIDDEN' : 'UNAUTHENTICATED' });
  };
}

@Module({})
export class TrainingModule {
  /** The queue worker (processor) runs only where TRAINER_WORKER is true. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TrainingModule,
      imports: [
        ModelRegistryModule,
        SamplingModule,
        BullBoardModule.forRoot({ route: '/admin/queues', adapter: ExpressAdapter, middleware: dashboardAuth(config) }),
        BullBoardModule.forFeature({ name: TRAINING_QUEUE, adapter: BullMQAdapter }),
      ],
      providers: [TrainingService, TrainingResolver, TrainerRunner, AttentionRepository, AdminGuard, ...(config.TRAINER_WORKER ? [TrainingProcessor] : [])],
      exports: [TrainingService],
    };
  }
}
