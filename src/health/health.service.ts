import { Injectable } from '@nestjs/common';
import { Neo4jClient } from '../graph/neo4j.client';
import { ModelRegistryRepository } from '../model-registry/model-registry.repository';
import { TrainingQueueRepository } from '../training/queue.repository';

export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
  detail?: Record<string, unknown>;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

async function check(fn: () => Promise<Record<string, unknown> | void>, timeoutMs = 2_000): Promise<CheckResult> {
  const t0 = performance.now();
  try {
    const detail = await withTimeout(fn(), timeoutMs);
    return { ok: true, latencyMs: Math.round(performance.now() - t0), ...(detail ? { detail } : {}) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (err as Error).message };
  }
}

@Injectable()
export class HealthService {
  constructor(
    private readonly neo4j: Neo4jClient,
    private readonly queue: TrainingQueueRepository,
    private readonly registry: ModelRegistryRepository,
  ) {}

  async readiness(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const [neo4j, redis, sql, model] = await Promise.all([
      check(async () => {
        await this.neo4j.read('health/ping');
      }),
      check(() => this.queue.ping()),
      check(() => this.registry.ping()),
      // A missing model is reported but does not make the API unready: cold-start serving still works.
      check(async () => {
        const active = await this.registry.active();
        return { active: active ? { id: active.id, kind: active.kind } : null };
      }),
    ]);
    return { ready: neo4j.ok && redis.ok && sql.ok, checks: { neo4j, redis, sql, model } };
  }
}
