import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimiter } from './rate-limiter';
import { RequestDeadlineInterceptor } from './request-deadline.interceptor';

/** The rate limiter (used by the GraphQL rate-limit plugin) and the request deadline on every resolver. */
@Module({
  providers: [RateLimiter, { provide: APP_INTERCEPTOR, useClass: RequestDeadlineInterceptor }],
  exports: [RateLimiter],
})
export class LimitsModule {}
