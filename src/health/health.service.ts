import { Injectable, Logger } from '@nestjs/common';
import { Neo4jClient } from '../graph/neo4j.client';
import { GraphChanges, UNRELAYED_STATE_MAX_AGE_MS } from '../ingestion/graph-changes';
import { annSummary } from '../model-registry/ann-index';
import { ModelRegistryRepository } from '../model-registry/model-registry.repository';
import { ModelStore } from '../model-registry/model-store';
import { TrainingQueueRepository } from '../training/queue.repository';

/** Why a dependency is down, as a stable code: the error itself is logged, never returned (readiness is unauthenticated). */
export type CheckCode = 'OK' | 'TIMEOUT' | 'UNAVAILABLE';

export interface CheckResult {
  ok: boolean;
  status: 'ok' | 'down';
  code: CheckCode;
  latencyMs: number;
  detail?: Record<string, unknown>;
}

class CheckTimeout extends Error {}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new CheckTimeout(`timed out after ${ms} ms`)), ms).unref())]);

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    private readonly neo4j: Neo4jClient,
    private readonly queue: TrainingQueueRepository,
    private readonly registry: ModelRegistryRepository,
    private readonly changes: GraphChanges,
    private readonly store: ModelStore,
  ) {}

  async readiness(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const [neo4j, redis, sql, model] = await Promise.all([
      this.check('neo4j', async () => {
        await this.neo4j.read('health/ping');
      }),
      this.check('redis', () => this.queue.ping()),
      this.check('sql', () => this.registry.ping()),
      // A missing model is reported but does not make the API unready: cold-start serving still works.
      // Nor does an item index that failed to build (that model scores every item): `ann` (recommendations)
      // and `similar` (similarItems) say which.
      this.check('model', async () => {
        const active = await this.registry.active();
        const serving = this.store.active();
        return {
          active: active ? { id: active.id, kind: active.kind } : null,
          serving: serving
            ? { id: serving.version.id, ann: annSummary(serving.model.ann), similar: annSummary(serving.model.similar) }
            : null,
        };
      }),
    ]);
    return { ready: neo4j.ok && redis.ok && sql.ok, checks: { neo4j, redis, sql, model, changeFeed: this.changeFeed() } };
  }

  /**
   * Whether other processes' writes reach this one's caches at once (the Redis relay). While not,
   * this process still serves, from state at most `maxStaleMs` old; it does not make the API unready.
   */
  private changeFeed(): CheckResult {
    const relayed = this.changes.relayed;
    return {
      ok: relayed,
      status: relayed ? 'ok' : 'down',
      code: relayed ? 'OK' : 'UNAVAILABLE',
      latencyMs: 0,
      detail: { relayed, maxStaleMs: relayed ? null : UNRELAYED_STATE_MAX_AGE_MS },
    };
  }

  private async check(name: string, fn: () => Promise<Record<string, unknown> | void>, timeoutMs = 2_000): Promise<CheckResult> {
    const t0 = performance.now();
    try {
      const detail = await withTimeout(fn(), timeoutMs);
      return { ok: true, status: 'ok', code: 'OK', latencyMs: Math.round(performance.now() - t0), ...(detail ? { detail } : {}) };
    } catch (err) {
      this.logger.warn(`readiness: ${name} is down: ${(err as Error).message}`);
      const code: CheckCode = err instanceof CheckTimeout ? 'TIMEOUT' : 'UNAVAILABLE';
      return { ok: false, status: 'down', code, latencyMs: Math.round(performance.now() - t0) };
    }
  }
}
