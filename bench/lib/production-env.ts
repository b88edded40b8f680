// Imported first by benchmarks that run the app in process: libraries read NODE_ENV when they load
// (graphql-js drops its development-only instanceof checks in production), as `npm start` would run,
// and the garbage-collector policy src/main.ts sets.
import { applyGcPolicy } from '../../src/common/gc-policy';

process.env.NODE_ENV = 'production';
applyGcPolicy();
