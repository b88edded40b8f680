import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { EventWeight, parseEventWeights } from './event-weights';

/** Ingestion settings derived from the config once, at start-up. */
export interface IngestionSettings {
  eventWeights: ReadonlyMap<string, EventWeight>;
  maxFutureMs: number;
}

export const INGESTION_SETTINGS = Symbol('INGESTION_SETTINGS');

export const ingestionSettingsProvider = {
  provide: INGESTION_SETTINGS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): IngestionSettings => ({
    eventWeights: parseEventWeights(config.INGEST_EVENT_WEIGHTS),
    maxFutureMs: config.INGEST_MAX_FUTURE_S * 1000,
  }),
};

/** Why a timestamp (epoch ms) is out of range, or null. */
export function tsProblem(ts: number, now: number, maxFutureMs: number): string | null {
  if (!Number.isFinite(ts)) return 'must be a valid date';
  if (ts < 0) return 'must not be before 1970-01-01';
  if (ts > now + maxFutureMs) return `must not be more than ${maxFutureMs / 1000} s in the future`;
  return null;
}
