import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { TRAINING_QUEUE } from './queue.constants';
import { TrainingQueueRepository } from './queue.repository';

/** Redis connection for BullMQ and the `training` queue, used only through TrainingQueueRepository. Producers fail fast when Redis is down. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        prefix: config.REDIS_PREFIX,
        connection: {
          host: config.REDIS_HOST,
          port: config.REDIS_PORT,
          password: config.REDIS_PASSWORD || undefined,
          // Commands fail at once while disconnected instead of queueing forever.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          retryStrategy: (times: number) => Math.min(times * 200, 2_000),
        },
      }),
    }),
    BullModule.registerQueue({ name: TRAINING_QUEUE }),
  ],
  providers: [TrainingQueueRepository],
  exports: [BullModule, TrainingQueueRepository],
})
export class QueueModule {}
