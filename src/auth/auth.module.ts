import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { ApiKeyStore } from './api-key.store';

/** Every GraphQL resolver passes AccessGuard, which enforces the method's RequireAccess (scope or admin). */
@Module({ providers: [ApiKeyStore, { provide: APP_GUARD, useClass: AccessGuard }], exports: [ApiKeyStore] })
export class AuthModule {}
