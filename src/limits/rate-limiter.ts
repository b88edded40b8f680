import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';

export type Budget = 'read' | 'write';

export type Verdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Per-client budgets of operations per window, one for reads (queries) and one for writes
 * (mutations), counted in Redis so every replica spends the same budget. While Redis cannot be
 * reached each replica counts in its own memory instead (rate-limiter-flexible's insurance
 * limiter): requests keep being served and limited, at up to replicas × the budget.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: Redis | null = null;
  private readonly limiters: Record<Budget, RateLimiterAbstract> | null = null;
  private redisDown = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.RATE_LIMIT_ENABLED) return;
    this.redis = new Redis({
      host: config.REDIS_HOST,
      port: config.REDIS_PORT,
      password: config.REDIS_PASSWORD || undefined,
      // Fail at once while disconnected (the in-memory limiter answers) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    });
    this.redis.on('error', (err: Error) => {
      if (!this.redisDown) this.logger.warn(`rate limits count in memory until Redis is back: ${err.message}`);
      this.redisDown = true;
    });
    this.redis.on('ready', () => {
      if (this.redisDown) this.logger.log('rate limits count in Redis again');
      this.redisDown = false;
    });
    const make = (budget: Budget, points: number) => {
      const keyPrefix = `${config.REDIS_PREFIX}:rate:${budget}`;
      const duration = config.RATE_LIMIT_WINDOW_S;
      return new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
      });
    };
    this.limiters = { read: make('read', config.RATE_LIMIT_READS), write: make('write', config.RATE_LIMIT_WRITES) };
  }

  get enabled(): boolean {
    return this.limiters !== null;
  }

  /** Spends one operation of `client`'s budget. */
  async consume(budget: Budget, client: string): Promise<Verdict> {
    if (!this.limiters) return { allowed: true };
    try {
      await this.limiters[budget].consume(client, 1);
      return { allowed: true };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { allowed: false, retryAfterMs: res.msBeforeNext };
      // Neither store answered: serve rather than fail the request.
      this.logger.warn(`rate limit not checked: ${(res as Error).message}`);
      return { allowed: true };
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
