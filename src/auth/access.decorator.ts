import { SetMetadata } from '@nestjs/common';
import type { Scope } from './api-keys';

/** What a GraphQL operation (or a field that exposes other users' data) needs: an app-key scope, or admin. */
export type Access = Scope | 'admin';

export const ACCESS_METADATA = 'tastegraph:access';

/**
 * Declares who may call a resolver method; AccessGuard enforces it, and a method without it is refused
 * (a test walks the schema so none ships without one). `admin` takes the ADMIN_TOKEN bearer token;
 * a scope takes an app key holding it (or the admin token).
 */
export const RequireAccess = (access: Access) => SetMetadata(ACCESS_METADATA, access);
